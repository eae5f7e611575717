//! The guided tour's content: the source document chapter by chapter, in
//! English and Chinese, each factual claim with a verdict, the correction and a
//! primary reference, and links into the live pages. Pure data (no UI, no ML
//! framework): numbers in the checks are computed by [`crate::math`] at render
//! time and filled into `{0}`, `{1}`, … — none is copied from the document.

pub mod audit;

use crate::math::{
    doc_check::{self, adam_example as ax},
    format::fmt_sig,
    loss::{self, LogUnit, Reduction},
    optim::{Hyper, Method, Optimizer},
    parse::parse_list,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Correct,
    /// True in part, or a loose paraphrase of something true.
    Partly,
    Unsupported,
    Wrong,
}

impl Verdict {
    pub fn key(self) -> &'static str {
        match self {
            Verdict::Correct => "correct",
            Verdict::Partly => "partly",
            Verdict::Unsupported => "unsupported",
            Verdict::Wrong => "wrong",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            Verdict::Correct => "Correct",
            Verdict::Partly => "Partly correct",
            Verdict::Unsupported => "Unsupported",
            Verdict::Wrong => "Wrong",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Verdict::Correct => "正确",
            Verdict::Partly => "部分正确",
            Verdict::Unsupported => "缺乏依据",
            Verdict::Wrong => "错误",
        }
    }
}

/// A link into a live page of the site.
#[derive(Clone, Copy, Debug)]
pub struct Live {
    /// Path relative to the base, with an optional `#anchor`.
    pub path: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
}

/// One factual claim of the document, checked.
#[derive(Clone, Copy, Debug)]
pub struct Claim {
    /// The document's words (Chinese, quoted).
    pub quote: &'static str,
    /// What it claims, in English.
    pub claim_en: &'static str,
    pub verdict: Verdict,
    /// The check; `{0}`, `{1}` … are filled by `values`.
    pub check_en: &'static str,
    pub check_zh: &'static str,
    /// Primary reference(s).
    pub reference: Ref,
    pub live: Option<Live>,
    pub values: fn() -> Vec<String>,
}

/// A claim's reference.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Ref {
    /// Bibliographic entries, in the works' own language (English).
    Work(&'static str),
    /// The site's own words (English, Chinese), e.g. "the document's own code".
    Own(&'static str, &'static str),
}

impl Ref {
    pub fn is_empty(&self) -> bool {
        match self {
            Ref::Work(s) => s.is_empty(),
            Ref::Own(en, zh) => en.is_empty() || zh.is_empty(),
        }
    }
}

impl Claim {
    /// The check with its computed numbers filled in.
    pub fn check(&self, zh: bool) -> String {
        fill(
            if zh { self.check_zh } else { self.check_en },
            &(self.values)(),
        )
    }
}

/// Replaces `{i}` with `values[i]`.
pub fn fill(text: &str, values: &[String]) -> String {
    let mut out = text.to_string();
    for (i, v) in values.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), v);
    }
    out
}

fn none() -> Vec<String> {
    Vec::new()
}

fn list(s: &str) -> Vec<f64> {
    parse_list(s).unwrap_or_default()
}

/// MSE of the document's example: the mean, then the sum.
fn mse_values() -> Vec<String> {
    let ex = doc_check::MSE_EXAMPLE;
    let (y, p) = (list(ex.targets), list(ex.predictions));
    let mean = loss::mse(&y, &p, Reduction::Mean)
        .map(|v| v.value())
        .unwrap_or(f64::NAN);
    let sum = loss::mse(&y, &p, Reduction::Sum)
        .map(|v| v.value())
        .unwrap_or(f64::NAN);
    vec![fmt_sig(mean, 4), fmt_sig(sum, 4), ex.printed.into()]
}

/// The document's cross-entropy formula on its example (nats), and the binary
/// cross-entropy that its printed value matches.
fn ce_values() -> Vec<String> {
    let ex = doc_check::CE_EXAMPLE;
    let (y, p) = (list(ex.targets), list(ex.predictions));
    let doc = loss::document_cross_entropy(&y, &p, LogUnit::Nats, Reduction::Mean)
        .map(|v| v.value())
        .unwrap_or(f64::NAN);
    let bce = loss::binary_cross_entropy(&y, &p, LogUnit::Nats, Reduction::Mean)
        .map(|v| v.value())
        .unwrap_or(f64::NAN);
    vec![fmt_sig(doc, 4), fmt_sig(bce, 4), ex.printed.into()]
}

/// Adam's first step on the document's numbers, with bias correction, and the
/// document's own update with its (wrong) v₁.
fn adam_values() -> Vec<String> {
    let h = Hyper {
        beta1: ax::BETA1,
        beta2: ax::BETA2,
        eps: ax::EPS,
        ..Hyper::textbook(ax::LR)
    };
    let s = Optimizer::new(Method::Adam, h, ax::THETA.to_vec()).apply(&ax::GRAD);
    let v1 = s.v.as_ref().map(|v| v[0]).unwrap_or(f64::NAN);
    let own = ax::THETA[0] - ax::LR * 0.05 / (0.005f64.sqrt() + ax::EPS);
    vec![
        fmt_sig(v1, 4),
        fmt_sig(s.theta[0], 6),
        fmt_sig(s.theta[1], 6),
        fmt_sig(own, 6),
        ax::PRINTED_THETA1.into(),
    ]
}

/// The document's GD example: the gradient at its starting point.
fn gd_values() -> Vec<String> {
    let theta = [1.0f64, 2.0];
    let g = [2.0 * (theta[0] - 1.0), 2.0 * (theta[1] - 2.0)];
    vec![fmt_sig(g[0], 3), fmt_sig(g[1], 3)]
}

const DOC_CNN_META: &str = include_str!("../../public/models/doc-cnn.json");

/// The shipped article's CNN's test accuracy, from its metadata file (written
/// by `lab train`; a native test checks it against the weights).
fn doc_cnn_accuracy() -> Vec<String> {
    let field = |key: &str| {
        DOC_CNN_META
            .split_once(&format!("\"{key}\":"))
            .and_then(|(_, rest)| rest.split([',', '}']).next())
            .and_then(|v| v.trim().parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    let (acc, n) = (field("test_accuracy"), field("test_records"));
    let i = crate::math::stats::wilson((acc * n).round() as usize, n as usize);
    vec![
        format!("{:.1}", acc * 100.0),
        format!("{:.1}", i.lo * 100.0),
        format!("{:.1}", i.hi * 100.0),
    ]
}

/// How many sentences of the article the background card stands for (from the audit).
fn background_sentences() -> Vec<String> {
    let n: usize = audit::SPANS
        .iter()
        .filter(|s| s.cover == audit::Cover::Card("参数是模型中的可调整值"))
        .map(|s| s.sentences)
        .sum();
    vec![n.to_string()]
}

/// The source document, for the tests that check the tour against it. A
/// test that needs it fails without it (it never passes by skipping).
#[cfg(test)]
pub(crate) fn source_document() -> String {
    let path = "../shared/seed/essence-of-large-models.md";
    std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!("the source document is needed at {path} beside the repository: {e}")
    })
}

/// The article's CNN: parameter count from its layer sizes.
fn params_values() -> Vec<String> {
    let conv = |i: usize, o: usize| 9 * i * o + o;
    let dense = |i: usize, o: usize| i * o + o;
    let n = conv(3, 32) + conv(32, 64) + conv(64, 64) + dense(64 * 4 * 4, 64) + dense(64, 10);
    vec![crate::math::format::fmt_int(n as u64)]
}

/// GPT-3's weights at 16 bits each, in GB (175 billion parameters × 2 bytes).
fn gpt3_size() -> Vec<String> {
    let bytes = 175e9 * 2.0;
    vec![fmt_sig(bytes / 1e9, 3)]
}

/// The article's Keras model: its convolution and dense layers, counted in its code.
fn keras_layers() -> Vec<String> {
    let conv = KERAS_MODEL.matches("layers.Conv2D(").count();
    let dense = KERAS_MODEL.matches("layers.Dense(").count();
    vec![
        conv.to_string(),
        dense.to_string(),
        (conv + dense).to_string(),
    ]
}

pub struct Chapter {
    /// Anchor id on the tour page.
    pub id: &'static str,
    /// The document's heading, as written.
    pub zh: &'static str,
    pub en: &'static str,
    pub summary_en: &'static str,
    pub summary_zh: &'static str,
    pub live: &'static [Live],
    pub claims: &'static [Claim],
}

const LOSSES: Live = Live {
    path: "/losses",
    en: "Loss calculators",
    zh: "损失函数计算器",
};
const OPTIMIZERS: Live = Live {
    path: "/optimizers",
    en: "Optimizers, step by step",
    zh: "逐步演示优化器",
};
const TRAIN: Live = Live {
    path: "/train",
    en: "Train the CNN in your browser",
    zh: "在浏览器中训练CNN",
};
const COMPRESS: Live = Live {
    path: "/compress",
    en: "Compress the trained model",
    zh: "压缩训练好的模型",
};
const CLASSIFY: Live = Live {
    path: "/classify",
    en: "Classify your own images",
    zh: "分类你自己的图片",
};
const TEXT: Live = Live {
    path: "/text",
    en: "Compress text with a language model",
    zh: "用语言模型压缩文本",
};
const THEOREM: Live = Live {
    path: "/theorem",
    en: "From noisy data to an exact law",
    zh: "从带噪数据到精确定律",
};

const GPT3: &str = "Brown et al., \u{201c}Language Models are Few-Shot Learners\u{201d}, NeurIPS 2020, arXiv:2005.14165, \u{a7}2.1 and Table 2.1";
const KOLMOGOROV: &str = "Kolmogorov, \u{201c}Three approaches to the quantitative definition of information\u{201d}, 1965; Rissanen, \u{201c}Modeling by shortest data description\u{201d}, Automatica 1978; Li & Vit\u{e1}nyi, An Introduction to Kolmogorov Complexity, ch. 2";
const KINGMA: &str = "Kingma & Ba, \u{201c}Adam: A Method for Stochastic Optimization\u{201d}, ICLR 2015, arXiv:1412.6980, Algorithm 1";

pub const CHAPTERS: &[Chapter] = &[
    Chapter {
        id: "background",
        zh: "背景介绍",
        en: "Background",
        summary_en: "Large language models such as GPT-3 are introduced; the document then claims that their core challenge — and their essence — is compression: finding the shortest effective program that represents the data. It likens training to searching for that shortest program.",
        summary_zh: "文章先介绍GPT-3等大规模语言模型，然后声称它们的核心挑战和本质都是“压缩”：找到能表示数据的最短有效程序，并把训练比作寻找这个最短程序的过程。",
        live: &[TRAIN, COMPRESS, TEXT],
        claims: &[
            Claim {
                quote: "GPT-3……由OpenAI于2020年发布。GPT-3包含1750亿个参数",
                claim_en: "GPT-3 was released by OpenAI in 2020 and has 175 billion parameters.",
                verdict: Verdict::Correct,
                check_en: "Correct: the GPT-3 paper (May 2020) describes a 175-billion-parameter model.",
                check_zh: "正确：GPT-3论文（2020年5月）描述的模型有1750亿个参数。",
                reference: Ref::Work(GPT3),
                live: None,
                values: none,
            },
            Claim {
                quote: "其表现甚至超越了人类专业作家的水平",
                claim_en: "GPT-3's writing surpasses that of professional human writers.",
                verdict: Verdict::Unsupported,
                check_en: "Unsupported: the paper's own test is whether people can tell GPT-3's short news articles from human ones; for the largest model they were right about 52 % of the time, close to chance. Being hard to tell apart is not surpassing professional writers, and no such comparison is reported.",
                check_zh: "缺乏依据：论文只测试了人们能否区分GPT-3写的短新闻与人写的新闻；对最大的模型，人们的正确率约为52%，接近随机猜测。难以区分并不等于“超越专业作家”，论文中也没有这样的比较。",
                reference: Ref::Work(GPT3),
                live: None,
                values: none,
            },
            Claim {
                quote: "GPT-3采用了层次化结构，将模型分为多个较小的子模型，这些子模型在不同阶段对输入数据进行处理",
                claim_en: "GPT-3 uses a hierarchical structure that splits the model into smaller sub-models, for better compression.",
                verdict: Verdict::Wrong,
                check_en: "Wrong: GPT-3 is one dense decoder-only Transformer (96 layers, d_model 12,288, 96 heads, 2,048-token context), the GPT-2 architecture with alternating dense and locally banded sparse attention. There are no sub-models, and its design is not a compression technique: it is the largest model of its time.",
                check_zh: "错误：GPT-3是一个稠密的仅解码器Transformer（96层，d_model为12288，96个注意力头，上下文2048个词元），沿用GPT-2的架构，注意力在稠密与局部带状稀疏之间交替。它没有“子模型”，其设计也不是压缩技术——它是当时最大的模型。",
                reference: Ref::Work(GPT3),
                live: None,
                values: none,
            },
            Claim {
                quote: "最短程序问题……如何找到一个程序，该程序能够在最短的时间内完成给定的任务",
                claim_en: "The \u{201c}shortest program problem\u{201d} is about finding the program that finishes a task in the shortest time.",
                verdict: Verdict::Wrong,
                check_en: "Wrong: the shortest program (Kolmogorov complexity, and in practice the minimum description length principle) is about length in bits, not running time. The shortest program that prints the data may be very slow. This site measures length: the bits of a model file plus the bits of the labels coded with its predictions.",
                check_zh: "错误：“最短程序”（柯尔莫哥洛夫复杂度，以及实践中的最小描述长度原则）指的是以比特计的长度，而不是运行时间。输出数据的最短程序可能运行得很慢。本站度量的是长度：模型文件的比特数加上用模型预测编码标签所需的比特数。",
                reference: Ref::Work(KOLMOGOROV),
                live: Some(COMPRESS),
                values: none,
            },
            Claim {
                quote: "大模型的本质是压缩",
                claim_en: "The essence of a large model is compression; training is the search for the shortest program.",
                verdict: Verdict::Unsupported,
                check_en: "Stated, not shown. There is a precise version: a model's cumulative log-loss on data it has not yet trained on is a code length (prequential coding), so better prediction is shorter code, and a language model can drive an arithmetic coder. The document never makes this link; the training page measures it live (the compression meter), and the text page codes a text with a language model into a real file shorter than brotli's.",
                check_zh: "只有断言，没有论证。这句话有精确的版本：模型在尚未训练过的数据上的累计对数损失就是一种编码长度（预测序贯编码），因此预测越好编码越短，语言模型可以驱动算术编码器。文章没有建立这一联系；本站的训练页面会实时度量它（压缩计量表），文本页面则用语言模型把一段文本编码成比 brotli 更短的真实文件。",
                reference: Ref::Work("Blier & Ollivier, \u{201c}The Description Length of Deep Learning Models\u{201d}, NeurIPS 2018; Del\u{e9}tang et al., \u{201c}Language Modeling Is Compression\u{201d}, ICLR 2024"),
                live: Some(TEXT),
                values: none,
            },
            Claim {
                quote: "最终目的都是将海量数据压缩到一个小巧、高效的模型中",
                claim_en: "A large model compresses vast data into a small, efficient model.",
                verdict: Verdict::Wrong,
                check_en: "GPT-3's weights alone are about {0} GB at 16 bits per parameter, against roughly 570 GB of filtered text it was trained on: hardly small. The sentence mixes two things. A model can be the code for its data (the data's description length falls as the model predicts better), but that is not the same as the model being a small file; compressing the model itself (pruning, quantization) is a separate step.",
                check_zh: "仅GPT-3的权重按每个参数16位计就约有{0} GB，而它训练所用的过滤后文本约为570 GB：谈不上“小巧”。这句话混淆了两件事：模型可以是数据的编码（模型预测越好，数据的描述长度越短），但这不等于模型本身是个小文件；压缩模型本身（剪枝、量化）是另一回事。",
                reference: Ref::Work("Brown et al., \u{201c}Language Models are Few-Shot Learners\u{201d}, NeurIPS 2020, \u{a7}2.1\u{2013}2.2"),
                live: Some(COMPRESS),
                values: gpt3_size,
            },
            Claim {
                quote: "找到最短程序的过程就是模型训练和优化的过程",
                claim_en: "Finding the shortest program is what model training does.",
                verdict: Verdict::Wrong,
                check_en: "No procedure can find the shortest program for given data: Kolmogorov complexity is uncomputable. Training does something narrower: it adjusts the weights of an architecture chosen in advance to lower a loss. The number of weights, and so the length of the model, does not change; what falls is the code length of the labels given the model, one of the two parts of the description length.",
                check_zh: "没有任何算法能为给定数据找到最短程序：柯尔莫哥洛夫复杂度是不可计算的。训练做的事情窄得多：在事先选定的网络结构里调整权重以降低损失。权重的个数、也就是模型的长度并不改变；下降的是给定模型后标签的编码长度，即描述长度两部分中的一部分。",
                reference: Ref::Work(KOLMOGOROV),
                live: Some(TRAIN),
                values: none,
            },
            Claim {
                quote: "压缩还可以提高模型的泛化能力",
                claim_en: "Compression improves generalization and stability across tasks.",
                verdict: Verdict::Unsupported,
                check_en: "Unsupported as a general statement. Compression-based bounds do tie a short description to a small generalization gap, but whether compressing a trained network costs accuracy depends on how far it goes: Han et al. reached 35\u{2013}49\u{d7} on large ImageNet networks with no loss after retraining, while aggressive pruning or few bits do cost accuracy, as the compression lab measures on the real model. Compressing a model does not by itself make it generalize better.",
                check_zh: "作为一般结论缺乏依据。基于压缩的泛化界确实把短描述与小的泛化差距联系起来，但压缩训练好的网络是否损失准确率取决于压缩的程度：Han等人在大型ImageNet网络上重新训练后达到35\u{2013}49倍压缩而不损失准确率，而激进的剪枝或很少的位数确实会损失准确率——压缩实验室在真实模型上测出了这一点。压缩模型本身并不会让它泛化得更好。",
                reference: Ref::Work("Arora et al., \u{201c}Stronger generalization bounds for deep nets via a compression approach\u{201d}, ICML 2018; Han, Mao & Dally, \u{201c}Deep Compression\u{201d}, ICLR 2016"),
                live: Some(COMPRESS),
                values: none,
            },
        ],
    },
    Chapter {
        id: "concepts",
        zh: "核心概念与联系",
        en: "Core Concepts and Connections",
        summary_en: "Parameters, architectures, data representation and optimizers are listed as the core concepts; the link between large models and compression is restated as the search for the shortest neural network that represents the data; applications and challenges (compute, privacy, interpretability) follow.",
        summary_zh: "文章把参数、网络结构、数据表示和优化方法列为核心概念；再次把大模型与压缩的关系表述为寻找能表示数据的最短神经网络；随后列出应用场景和挑战（算力、隐私、可解释性）。",
        live: &[COMPRESS],
        claims: &[
            Claim {
                quote: "参数是模型中的可调整值，用于控制模型的行为和性能",
                claim_en: "The textbook background: what parameters, layers, losses, optimizers and metrics are, and the field's familiar challenges.",
                verdict: Verdict::Correct,
                check_en: "Standard material, correct as stated: parameters are the adjustable values; losses measure the gap between prediction and label; an optimizer such as gradient descent or Adam minimises the loss; pixels normalised to [0, 1]; convolutions extract features, pooling shrinks the maps, dense layers classify; accuracy, recall and F1 are common metrics; large models cost compute and storage, raise privacy questions and are hard to interpret. This card stands for {0} such sentences of background; the list at the end of this page names every sentence of the article and what checks it.",
                check_zh: "这是标准的教科书内容，表述正确：参数是可调整的值；损失函数衡量预测与标签之间的差距；梯度下降或Adam等优化算法使损失最小化；像素归一化到[0, 1]；卷积提取特征，池化缩小特征图，全连接层做分类；准确率、召回率和F1是常用指标；大模型耗费算力和存储，引出隐私问题，而且难以解释。这张卡片代表{0}句这样的背景知识；本页末尾的清单列出了文章的每一句话以及核查它的地方。",
                reference: Ref::Work("Goodfellow, Bengio & Courville, Deep Learning, MIT Press 2016, ch. 5\u{2013}9 and 11"),
                live: None,
                values: background_sentences,
            },
            Claim {
                quote: "最短程序问题可以转化为如何找到一个最短的神经网络结构，使其能够最佳地表示给定的数据",
                claim_en: "The shortest-program problem becomes finding the shortest network that best represents the data.",
                verdict: Verdict::Partly,
                check_en: "A loose paraphrase of the minimum description length principle, imprecise in a way that changes the answer: the minimum description length is the sum L(model) + L(data | model). The smallest network alone is not the goal, nor is the best fit alone; the compression lab draws both parts and shows that on 860 labels no model beats the uniform code (860 \u{b7} log\u{2082} 10 \u{2248} 2,857 bits \u{2248} 357 B, less than lab-cnn's 906 bias and batch-norm parameters alone, 3.6 kB as 32-bit floats): the shortest description there is no model at all, while on a million labels it is an accurate one.",
                check_zh: "这是对最小描述长度原则的粗略转述，其不精确之处会改变答案：最小描述长度是L(模型) + L(数据 | 模型)之和。目标既不是单独的最小网络，也不是单独的最佳拟合；压缩实验室画出了这两部分，并表明：只有860个标签时，没有任何模型能胜过均匀编码（860 \u{b7} log\u{2082} 10 \u{2248} 2857 比特 \u{2248} 357 字节，比 lab-cnn 仅有的 906 个偏置和批归一化参数（以 32 位浮点数计 3.6 kB）还小）：此时最短的描述是根本不用模型；而有一百万个标签时，最短的是一个准确的模型。",
                reference: Ref::Work("Rissanen 1978; Gr\u{fc}nwald, The Minimum Description Length Principle, MIT Press 2007, ch. 1"),
                live: Some(COMPRESS),
                values: none,
            },
            Claim {
                quote: "常见的优化方法包括正则化、dropout、层次化结构等",
                claim_en: "Regularization, dropout and hierarchical structure are common ways to \u{201c}optimize\u{201d} a model.",
                verdict: Verdict::Partly,
                check_en: "Broadly correct for regularization and dropout (dropout: Srivastava et al. 2014), though they reduce overfitting rather than make a model smaller; \u{201c}hierarchical structure\u{201d} is not a named technique. This site's default CNN uses dropout and batch normalization.",
                check_zh: "对正则化和dropout大体正确（dropout见Srivastava等，2014），但它们减少过拟合，并不让模型变小；“层次化结构”并不是一种具体技术。本站默认的CNN使用了dropout和批归一化。",
                reference: Ref::Work("Srivastava et al., \u{201c}Dropout\u{201d}, JMLR 15, 2014"),
                live: Some(TRAIN),
                values: none,
            },
        ],
    },
    Chapter {
        id: "algorithm",
        zh: "核心算法原理 & 具体操作步骤",
        en: "Core Algorithm Principles and Specific Operational Steps",
        summary_en: "Generic steps: clean and normalize data, choose an architecture, initialize, pick a loss (MSE, cross-entropy) and an optimizer (gradient descent, Adam), train for many epochs, evaluate on a validation set, then compress. A CIFAR-10 example lists the same steps.",
        summary_zh: "通用步骤：清洗并归一化数据，选择架构，初始化参数，选择损失函数（MSE、交叉熵）和优化算法（梯度下降、Adam），训练多个周期，在验证集上评估，然后压缩。随后用CIFAR-10的例子列出相同的步骤。",
        live: &[TRAIN, LOSSES, OPTIMIZERS],
        claims: &[
            Claim {
                quote: "训练过程：进行100个迭代周期",
                claim_en: "The CIFAR-10 example trains for 100 epochs.",
                verdict: Verdict::Wrong,
                check_en: "Inconsistent with its own code, which trains for 20 epochs (`epochs=20`). The training page lets you pick the number of epochs and shows each one's test accuracy.",
                check_zh: "与文章自己的代码不一致：代码只训练20个周期（`epochs=20`）。训练页面可以选择周期数，并显示每个周期的测试准确率。",
                reference: Ref::Own("The document's own code, \u{a7}项目实践 2.3", "文章自己的代码，\u{a7}项目实践 2.3"),
                live: Some(TRAIN),
                values: none,
            },
            Claim {
                quote: "数据清洗：去除重复数据和缺失值",
                claim_en: "The CIFAR-10 example cleans the data by removing duplicates and missing values.",
                verdict: Verdict::Unsupported,
                check_en: "Nothing in the code does this. CIFAR-10 has no missing values (every record is a label byte and 3,072 pixel bytes), but it does have near-duplicates: Barz & Denzler found near-copies of some test images in the training set, which the article's code leaves in place. This site reads the official binary files and checks every record's size; it does not purge duplicates either, and says so.",
                check_zh: "代码里没有任何这样的步骤。CIFAR-10没有缺失值（每条记录都是1个标签字节加3072个像素字节），但确实有近似重复：Barz与Denzler发现部分测试图片在训练集中有近似副本，文章的代码对此未做任何处理。本站读取官方二进制文件并检查每条记录的大小；本站同样没有去除重复，并在此说明。",
                reference: Ref::Work("Krizhevsky, \u{201c}Learning Multiple Layers of Features from Tiny Images\u{201d}, 2009; Barz & Denzler, \u{201c}Do We Train on Test Data? Purging CIFAR of Near-Duplicates\u{201d}, Journal of Imaging 6(6), 2020"),
                live: Some(TRAIN),
                values: none,
            },
            Claim {
                quote: "架构设计：设计一个三层卷积神经网络，包括卷积层、池化层和全连接层",
                claim_en: "The example's architecture is a three-layer convolutional network with convolution, pooling and fully connected layers.",
                verdict: Verdict::Partly,
                check_en: "Loose: the code has {0} convolution layers and {1} dense (fully connected) layers, {2} layers with weights in all (pooling has none). \u{201c}Three-layer\u{201d} counts only the convolutions.",
                check_zh: "不够准确：代码中有{0}个卷积层和{1}个全连接层，共{2}个带权重的层（池化层没有权重）。“三层”只数了卷积层。",
                reference: Ref::Own("The document's own code (the model in \u{a7}项目实践)", "文章自己的代码（\u{a7}项目实践中的模型）"),
                live: Some(TRAIN),
                values: keras_layers,
            },
            Claim {
                quote: "模型评估：使用验证集对模型进行评估",
                claim_en: "The model is evaluated on a validation set.",
                verdict: Verdict::Wrong,
                check_en: "The code passes the test set as `validation_data` and then reports test accuracy on the same images: the test set is used for monitoring, so it is no longer an unbiased held-out set. This project trains only on train.bin and uses test.bin only to evaluate.",
                check_zh: "代码把测试集当作 `validation_data` 传入，随后又在同一批图片上报告测试准确率：测试集被用于监控训练，就不再是无偏的留出集。本项目只在train.bin上训练，test.bin只用于评估。",
                reference: Ref::Work("Hastie, Tibshirani & Friedman, The Elements of Statistical Learning, 2nd ed., \u{a7}7.2"),
                live: Some(TRAIN),
                values: none,
            },
        ],
    },
    Chapter {
        id: "math",
        zh: "数学模型和公式 & 详细讲解 & 举例说明",
        en: "Detailed Explanation and Examples of Mathematical Models and Formulas",
        summary_en: "Formulas and worked examples for mean squared error, cross-entropy, gradient descent, stochastic gradient descent and Adam. The formulas for MSE and gradient descent are standard; most worked examples and the Adam formula are not.",
        summary_zh: "给出均方误差、交叉熵、梯度下降、随机梯度下降和Adam的公式与算例。MSE和梯度下降的公式是标准的；但大多数算例以及Adam的公式不正确。",
        live: &[LOSSES, OPTIMIZERS],
        claims: &[
            Claim {
                quote: "MSE = (1/n) Σ (yᵢ − ŷᵢ)²",
                claim_en: "The MSE formula.",
                verdict: Verdict::Correct,
                check_en: "Correct: the standard mean squared error.",
                check_zh: "正确：标准的均方误差。",
                reference: Ref::Work("Hastie, Tibshirani & Friedman, \u{a7}2.4"),
                live: Some(Live { path: "/losses#mse-heading", en: "MSE calculator", zh: "MSE计算器" }),
                values: none,
            },
            Claim {
                quote: "MSE = … = 0.14",
                claim_en: "The MSE of the worked example is 0.14.",
                verdict: Verdict::Wrong,
                check_en: "Its own inputs give {0} (sum of squared errors {1}, divided by 5), not {2}. No common reading (sum, root, mean absolute error) gives {2} either.",
                check_zh: "用文中自己的输入计算得{0}（平方误差之和{1}再除以5），而不是{2}。任何常见的解读（求和、开方、平均绝对误差）也都得不到{2}。",
                reference: Ref::Own("Direct computation", "直接计算"),
                live: Some(Live { path: "/losses#mse-heading", en: "Recompute it", zh: "重新计算" }),
                values: mse_values,
            },
            Claim {
                quote: "Cross-Entropy Loss = −(1/n) Σ yᵢ log(ŷᵢ) … ≈ 0.237",
                claim_en: "Cross-entropy of the worked example ≈ 0.237.",
                verdict: Verdict::Wrong,
                check_en: "With the formula as printed (natural log) the example gives {0}, not {2}. The nearest common reading is the binary cross-entropy −(1/n) Σ [y log p + (1 − y) log(1 − p)] = {1} — a different formula, and still not {2}. The printed formula treats five independent probabilities as if they were one distribution.",
                check_zh: "按文中公式（自然对数）计算，该例得{0}，而不是{2}。最接近的常见解读是二元交叉熵 −(1/n) Σ [y log p + (1 − y) log(1 − p)] = {1}——那是另一个公式，而且仍然不等于{2}。文中公式把五个相互独立的概率当成了一个概率分布。",
                reference: Ref::Work("Goodfellow, Bengio & Courville, Deep Learning, \u{a7}5.5 and \u{a7}6.2.2"),
                live: Some(Live { path: "/losses#ce-heading", en: "Cross-entropy calculator", zh: "交叉熵计算器" }),
                values: ce_values,
            },
            Claim {
                quote: "θ = θ − α ∇θ J(θ) … 通过迭代更新，模型参数将逐渐逼近最优解",
                claim_en: "The gradient-descent example shows the parameters approaching the optimum.",
                verdict: Verdict::Wrong,
                check_en: "The update rule is right, but the example starts at the minimum θ = (1, 2), where the gradient is ({0}, {1}): nothing moves, so it shows no approach at all. The optimizer page runs the same function from other starting points.",
                check_zh: "更新规则是对的，但算例从最小值点θ = (1, 2)出发，那里的梯度是({0}, {1})：参数根本不动，所以算例没有展示任何“逼近”。优化器页面在同一个函数上从其他起点运行。",
                reference: Ref::Work("Cauchy 1847; Nocedal & Wright, Numerical Optimization, \u{a7}3.3"),
                live: Some(Live { path: "/optimizers#article-opt-heading", en: "Run the examples", zh: "运行这些算例" }),
                values: gd_values,
            },
            Claim {
                quote: "随机梯度下降通过引入随机性，可以加速收敛并避免局部最小值",
                claim_en: "SGD's randomness speeds up convergence and avoids local minima; the example shows a stochastic step.",
                verdict: Verdict::Unsupported,
                check_en: "The example's loss does not depend on the sample (x₁, y₁) at all, so its \u{201c}stochastic\u{201d} gradient is the full gradient, and it again starts at the minimum. SGD is cheaper per step, but its noise slows final convergence unless the step size decays; escaping bad minima is not guaranteed.",
                check_zh: "算例的损失函数根本不依赖样本(x₁, y₁)，所以它的“随机”梯度就是完整梯度，而且又是从最小值点出发。SGD每步更便宜，但除非步长衰减，其噪声会减慢最终收敛；也不能保证避开局部最小值。",
                reference: Ref::Work("Bottou, Curtis & Nocedal, \u{201c}Optimization Methods for Large-Scale Machine Learning\u{201d}, SIAM Review 2018, \u{a7}4"),
                live: Some(Live { path: "/optimizers", en: "Race GD against SGD", zh: "比较GD与SGD" }),
                values: none,
            },
            Claim {
                quote: "Adam优化算法是一种结合了SGD和动量方法的优化算法",
                claim_en: "Adam combines SGD with momentum; its moments are mₜ = β₁mₜ₋₁ + (1 − β₁)[gₜ − μₜ] and vₜ = β₂vₜ₋₁ + (1 − β₂)[gₜ² − μₜ²].",
                verdict: Verdict::Wrong,
                check_en: "Adam keeps an exponential average of the gradient (momentum) and of the squared gradient (per-parameter scaling, as in RMSProp), and corrects both for their start at zero: m̂ₜ = mₜ/(1 − β₁ᵗ), v̂ₜ = vₜ/(1 − β₂ᵗ), θ ← θ − α·m̂ₜ/(√v̂ₜ + ε). There are no μₜ terms, the bias correction is missing, and the paper's default β₂ is 0.999.",
                check_zh: "Adam维护梯度的指数平均（动量）和梯度平方的指数平均（逐参数缩放，类似RMSProp），并对两者从零开始造成的偏差进行修正：m̂ₜ = mₜ/(1 − β₁ᵗ)，v̂ₜ = vₜ/(1 − β₂ᵗ)，θ ← θ − α·m̂ₜ/(√v̂ₜ + ε)。公式中没有μₜ项，文中缺少偏差修正，而且论文默认的β₂是0.999。",
                reference: Ref::Work(KINGMA),
                live: Some(Live { path: "/optimizers#article-opt-heading", en: "Adam step by step", zh: "逐步演示Adam" }),
                values: none,
            },
            Claim {
                quote: "二阶矩估计（Variance）",
                claim_en: "Adam's second estimate vₜ is the variance of the gradient.",
                verdict: Verdict::Wrong,
                check_en: "Adam's vₜ is the uncentred second moment, an average of gₜ², not the variance (which would subtract the squared mean). The article's [gₜ² − μₜ²] turns it into a variance-like quantity that Kingma & Ba never use; with a gradient that barely changes it is near zero and the step blows up (see the constant-gradient surface on the optimizers page).",
                check_zh: "Adam的vₜ是未中心化的二阶矩，即gₜ²的平均，而不是方差（方差还要减去均值的平方）。文章的[gₜ² − μₜ²]把它变成了一个类似方差的量，Kingma与Ba从未这样用；梯度几乎不变时它接近零，步长就会爆炸（见优化器页面的常数梯度曲面）。",
                reference: Ref::Work(KINGMA),
                live: Some(Live { path: "/optimizers#article-opt-heading", en: "The article's Adam, stepped", zh: "逐步运行文章的Adam" }),
                values: none,
            },
            Claim {
                quote: "θ₁ = 1 − 0.001 · 0.05/(√0.005 + 1e-8) ≈ 0.9955",
                claim_en: "Adam's first step on the example gives θ ≈ (0.9955, 1.9955).",
                verdict: Verdict::Wrong,
                check_en: "Three slips. v₁ = 0.01 · 0.5² = {0}, not 0.005. Even with its own numbers θ₁ comes out as {3}, not {4}. And θ₂ has gradient −0.3, so it moves up, not down. Adam with bias correction moves each parameter by about α on its first step: θ = ({1}, {2}).",
                check_zh: "有三处错误。v₁ = 0.01 · 0.5² = {0}，而不是0.005。即使用文中自己的数字，θ₁也应为{3}，而不是{4}。而且θ₂的梯度是−0.3，它应该增大而不是减小。带偏差修正的Adam第一步使每个参数移动约α：θ = ({1}, {2})。",
                reference: Ref::Work(KINGMA),
                live: Some(Live { path: "/optimizers#article-opt-heading", en: "See the corrected step", zh: "查看修正后的一步" }),
                values: adam_values,
            },
        ],
    },
    Chapter {
        id: "practice",
        zh: "项目实践：代码实例和详细解释说明",
        en: "Project Practice: Code Examples and Detailed Explanations",
        summary_en: "A Keras script: load CIFAR-10, scale pixels to [0, 1], one-hot labels, a `Conv32–Pool–Conv64–Pool–Conv64–Dense64–Dense10` network, Adam with categorical cross-entropy for 20 epochs at batch 64, plots of the curves, a compression step that is only a comment, and a final loop meant to print per-epoch results.",
        summary_zh: "一段Keras脚本：加载CIFAR-10，把像素缩放到[0, 1]，标签转为one-hot，网络为 `Conv32–Pool–Conv64–Pool–Conv64–Dense64–Dense10`，用Adam和分类交叉熵以批大小64训练20个周期，画出曲线；“模型压缩”一步只有注释；最后一个循环本意是打印每个周期的结果。",
        live: &[TRAIN, CLASSIFY, COMPRESS],
        claims: &[
            Claim {
                quote: "model = keras.Sequential() … layers.Dense(num_classes, activation='softmax')",
                claim_en: "The model definition (a small CNN).",
                verdict: Verdict::Correct,
                check_en: "A valid Keras model with {0} parameters. The project implements it layer for layer in Burn (shown below) and ships it trained as \u{201c}the article's CNN\u{201d}.",
                check_zh: "这是一个合法的Keras模型，共{0}个参数。本项目用Burn逐层实现了它（见下文），并把训练好的版本作为“文章的CNN”提供。",
                reference: Ref::Work("Keras Sequential API; TensorFlow CNN tutorial (same architecture)"),
                live: Some(CLASSIFY),
                values: params_values,
            },
            Claim {
                quote: "for epoch in range(1, 21): loss, accuracy = model.evaluate(x_train[:1000], y_train[:1000])",
                claim_en: "The loop prints the loss and accuracy of each epoch.",
                verdict: Verdict::Wrong,
                check_en: "It runs after training, so it evaluates the same final model 20 times, on 1,000 training images, and prints 20 identical lines labelled \u{201c}`Epoch 1`\u{201d} to \u{201c}`Epoch 20`\u{201d}. Per-epoch numbers exist only in `history.history`. The training page evaluates the model on the held-out test images after every epoch, while it trains.",
                check_zh: "它在训练结束后才运行，因此是把同一个最终模型在1000张训练图片上评估20次，打印出20行完全相同、却标着“`Epoch 1`”到“`Epoch 20`”的结果。每个周期的数值只存在于`history.history`中。训练页面在训练过程中每个周期结束后都在留出的测试图片上评估模型。",
                reference: Ref::Work("Keras Model.evaluate and Model.fit (History) documentation"),
                live: Some(TRAIN),
                values: none,
            },
            Claim {
                quote: "# 2.5 模型压缩 … 例如，可以使用参数共享和层次化结构技术",
                claim_en: "The script compresses the model.",
                verdict: Verdict::Wrong,
                check_en: "The compression step is two comments: no code prunes, quantizes, shares or distils anything. The compression lab prunes, quantizes and shares weights on the trained model and measures size and accuracy; distillation trains a student on the training page (or with `lab train`).",
                check_zh: "“模型压缩”一步只有两行注释：没有任何代码进行剪枝、量化、参数共享或蒸馏。压缩实验室在训练好的模型上进行剪枝、量化和参数共享，并度量大小和准确率；蒸馏则在训练页面上（或用 `lab train`）训练学生模型。",
                reference: Ref::Work("Han, Mao & Dally, \u{201c}Deep Compression\u{201d}, ICLR 2016; Hinton, Vinyals & Dean, \u{201c}Distilling the Knowledge in a Neural Network\u{201d}, 2015"),
                live: Some(COMPRESS),
                values: none,
            },
            Claim {
                quote: "通过调整学习率和批次大小，我们可以找到最佳的训练效果",
                claim_en: "Tuning the learning rate and batch size finds the best training result.",
                verdict: Verdict::Unsupported,
                check_en: "The script uses Keras defaults and one batch size; nothing is tuned. On the training page you can change both and watch the effect (a learning rate that is too high diverges, and the page says so).",
                check_zh: "脚本使用Keras默认值和单一批大小，没有任何调参。在训练页面上你可以改变这两者并观察效果（学习率过高会发散，页面会提示）。",
                reference: Ref::Own("The document's own code", "文章自己的代码"),
                live: Some(TRAIN),
                values: none,
            },
        ],
    },
    Chapter {
        id: "results",
        zh: "运行结果展示",
        en: "Display of Running Results",
        summary_en: "Describes the loss and accuracy curves, reports a test accuracy of about 93 %, concludes that the training strategy succeeded and that compression kept the model efficient, and shows three result figures.",
        summary_zh: "描述损失和准确率曲线，报告约93%的测试准确率，得出训练策略成功、压缩使模型保持高效的结论，并展示三张结果图。",
        live: &[TRAIN, CLASSIFY],
        claims: &[
            Claim {
                quote: "模型的测试准确率为 ≈ 93%",
                claim_en: "The small CNN reaches about 93 % test accuracy on CIFAR-10.",
                verdict: Verdict::Wrong,
                check_en: "Not for this network. TensorFlow's own tutorial with the same layers reports about 70 % after 10 epochs; trained by this project's code on its 10,000-image subset it reaches {0} % on the 860 test images (95 % interval {1}\u{2013}{2} %; see the model's card on the classify page). 93 % takes far larger networks with augmentation and long schedules.",
                check_zh: "这个网络达不到。TensorFlow官方教程用完全相同的层，训练10个周期后约为70%；用本项目的代码在10000张图片的子集上训练，它在860张测试图片上为{0}%（95% 区间 {1}\u{2013}{2}%；见分类页面的模型说明）。93%需要大得多的网络、数据增强和很长的训练。",
                reference: Ref::Work("TensorFlow tutorial \u{201c}Convolutional Neural Network (CNN)\u{201d}; He et al., \u{201c}Deep Residual Learning\u{201d}, CVPR 2016 (CIFAR-10 results)"),
                live: Some(CLASSIFY),
                values: doc_cnn_accuracy,
            },
            Claim {
                quote: "模型的训练损失（橙色线）和验证损失（蓝色线）",
                claim_en: "Training loss is the orange line, validation loss the blue one.",
                verdict: Verdict::Wrong,
                check_en: "The code plots training first, and Matplotlib's default colour cycle draws the first line blue (C0) and the second orange (C1): the colours are swapped. The curves themselves were never shown.",
                check_zh: "代码先画训练曲线，而Matplotlib默认颜色循环中第一条线是蓝色（C0），第二条是橙色（C1）：颜色说反了。而且这些曲线从未被展示。",
                reference: Ref::Work("Matplotlib documentation, default property cycle (\u{201c}tab10\u{201d})"),
                live: Some(TRAIN),
                values: none,
            },
            Claim {
                quote: "两者的差距逐渐减小，这表明模型在验证数据上的泛化能力逐渐增强",
                claim_en: "Both losses fall for 20 epochs and the gap between them narrows, so generalisation improves.",
                verdict: Verdict::Unsupported,
                check_en: "No curve is shown (the figures are placeholders), so nothing supports it, and it is not what such a network usually does: a CNN like this one, without dropout or data augmentation, fits CIFAR-10's training images ever better while the validation loss stops falling and then rises after some epochs \u{2014} the gap widens. Train several epochs on the training page and watch the test loss against the training loss.",
                check_zh: "没有展示任何曲线（图片都是占位图），所以没有证据支持，而且这也不是这类网络通常的表现：像这样没有dropout和数据增强的CNN，对CIFAR-10训练图片拟合得越来越好，而验证损失在若干周期后停止下降并开始上升——差距是扩大的。在训练页面训练几个周期，对比测试损失与训练损失。",
                reference: Ref::Work("Goodfellow, Bengio & Courville, Deep Learning, \u{a7}5.2 and \u{a7}7.8 (early stopping)"),
                live: Some(TRAIN),
                values: none,
            },
            Claim {
                quote: "![损失函数曲线](https://via.placeholder.com/600x400)",
                claim_en: "Result figures: loss curve, accuracy curve and a test-accuracy table.",
                verdict: Verdict::Wrong,
                check_en: "All three are placeholder images from via.placeholder.com: no result is shown. The training page draws the real curves, per-class accuracy and a confusion matrix from your own run.",
                check_zh: "三张图都是via.placeholder.com的占位图片：没有展示任何结果。训练页面根据你自己的训练绘制真实曲线、各类别准确率和混淆矩阵。",
                reference: Ref::Own("The document's own figure links", "文章自己的图片链接"),
                live: Some(TRAIN),
                values: none,
            },
            Claim {
                quote: "模型在保持较高性能的同时，并未显著增大计算和存储需求",
                claim_en: "The model kept high performance without larger compute or storage needs (a compression effect).",
                verdict: Verdict::Unsupported,
                check_en: "Nothing was compressed or measured. The compression lab measures file sizes in bytes and accuracy on test images for each setting.",
                check_zh: "既没有压缩，也没有度量。压缩实验室对每种设置都度量文件字节数和测试图片上的准确率。",
                reference: Ref::Own("The document's own code", "文章自己的代码"),
                live: Some(COMPRESS),
                values: none,
            },
        ],
    },
    Chapter {
        id: "applications",
        zh: "实际应用场景",
        en: "Practical Application Scenarios",
        summary_en: "A survey list: text generation, translation, question answering, object detection, image classification and generation, recommendation, speech recognition, summarization, sentiment analysis.",
        summary_zh: "一份概览列表：文本生成、机器翻译、问答、目标检测、图像分类与生成、推荐、语音识别、文本摘要、情感分析。",
        live: &[CLASSIFY],
        claims: &[Claim {
            quote: "大模型可以用于图像分类任务",
            claim_en: "Large models are used for image classification, among many applications.",
            verdict: Verdict::Correct,
            check_en: "Correct in general, and the only application the document's own code touches. The classify page runs the trained CNN on your own pictures, in your browser.",
            check_zh: "总体正确，也是文章代码唯一涉及的应用。分类页面在你的浏览器里用训练好的CNN识别你自己的图片。",
            reference: Ref::Work("Dosovitskiy et al., \u{201c}An Image is Worth 16x16 Words\u{201d}, ICLR 2021"),
            live: Some(CLASSIFY),
            values: none,
        }],
    },
    Chapter {
        id: "tools",
        zh: "工具和资源推荐",
        en: "Tools and Resources Recommendations",
        summary_en: "Books (Deep Learning; Python Machine Learning), papers (dropout in RNNs, BERT, Attention Is All You Need, GANs), Distill, and the frameworks TensorFlow, PyTorch and Keras.",
        summary_zh: "书籍（《深度学习》《Python机器学习》）、论文（RNN中的dropout、BERT、《Attention Is All You Need》、GAN）、Distill，以及TensorFlow、PyTorch和Keras框架。",
        live: &[],
        claims: &[
            Claim {
                quote: "Keras - 一个高级神经网络API，能够在TensorFlow和Theano后端运行",
                claim_en: "Keras runs on TensorFlow and Theano back ends.",
                verdict: Verdict::Wrong,
                check_en: "Outdated: Theano's development ended in 2017 and Keras dropped it; the `tf.keras` the code imports runs on TensorFlow only, and Keras 3 runs on TensorFlow, JAX and PyTorch.",
                check_zh: "已过时：Theano在2017年停止开发，Keras也已放弃它；代码导入的 `tf.keras` 只在TensorFlow上运行，Keras 3则支持TensorFlow、JAX和PyTorch。",
                reference: Ref::Work("Keras 3 release notes (keras.io); Theano announcement, September 2017"),
                live: None,
                values: none,
            },
            Claim {
                quote: "TensorFlow Model Optimization Toolkit - https://www.tensorflow.org/tfx/model_optimization",
                claim_en: "A link to the TensorFlow Model Optimization Toolkit.",
                verdict: Verdict::Wrong,
                check_en: "The toolkit lives at `tensorflow.org/model_optimization`, not under `/tfx/`. The paper references (Vaswani et al. 2017, Devlin et al. 2019, Goodfellow et al. 2014, Gal & Ghahramani 2016) are real and correctly attributed.",
                check_zh: "该工具包的地址是 `tensorflow.org/model_optimization`，不在 `/tfx/` 下。所列论文（Vaswani等2017、Devlin等2019、Goodfellow等2014、Gal与Ghahramani 2016）真实存在，作者归属正确。",
                reference: Ref::Work("tensorflow.org/model_optimization"),
                live: None,
                values: none,
            },
        ],
    },
    Chapter {
        id: "summary",
        zh: "总结：未来发展趋势与挑战",
        en: "Summary: Future Development Trends and Challenges",
        summary_en: "Trends: model compression and efficiency, adaptive learning, multimodal models, interpretability. Challenges: compute, privacy and security, fairness and ethics. These are opinions, reasonable ones; the title's promise — generalizing to an exact theorem — is never shown in the document.",
        summary_zh: "趋势：模型压缩与效率、自适应学习、多模态、可解释性。挑战：算力、隐私与安全、公平与伦理。这些是合理的观点；但标题承诺的“概括得到精确定理”在文中从未展示。",
        live: &[THEOREM],
        claims: &[Claim {
            quote: "通过逐步修改和概括得到精确的定理",
            claim_en: "Incremental modifications of the shortest program generalize to an exact theorem (the title's promise).",
            verdict: Verdict::Unsupported,
            check_en: "The document never demonstrates it. The exact-theorem demo does: it fits noisy data by gradient descent, then snaps one parameter at a time to a simple number whenever that shortens parameter bits + residual bits without fitting worse than the noise — and prints the law exactly, or refuses when the data does not support it.",
            check_zh: "文章从未演示这一点。“精确定理”演示做到了：先用梯度下降拟合带噪数据，然后每次把一个参数换成简单的数——只要这能缩短“参数比特 + 残差比特”且拟合不比噪声更差——最后精确地写出定律；数据不支持时则拒绝简化。",
            reference: Ref::Work("Rissanen 1978; Schmidt & Lipson, \u{201c}Distilling Free-Form Natural Laws from Experimental Data\u{201d}, Science 2009"),
            live: Some(THEOREM),
            values: none,
        }],
    },
    Chapter {
        id: "appendix",
        zh: "附录：常见问题与解答",
        en: "Appendix: Frequently Asked Questions and Answers",
        summary_en: "Five short answers: what large models are, how they work, their advantages and disadvantages, how to optimize them. The text ends with a note addressed to whoever requested it (\u{201c}I have tried to follow the constraints you provided…\u{201d}), a sign that it was generated to order.",
        summary_zh: "五个简短问答：什么是大模型、如何工作、优点、缺点、如何优化。全文以一段写给委托人的话结尾（“我尽可能遵循了您提供的约束条件……”），说明这是按要求生成的文本。",
        live: &[],
        claims: &[Claim {
            quote: "大模型……还可以实现高效的计算和推理",
            claim_en: "An advantage of large models is efficient computation and inference.",
            verdict: Verdict::Wrong,
            check_en: "Contradicted by the next answer (\u{201c}they need a lot of computing resources\u{201d}) and by the facts: compute per token grows with the number of parameters (about 2 FLOPs per parameter per token for a Transformer's forward pass).",
            check_zh: "与紧接着的下一个回答（“需要大量的计算资源”）相矛盾，也与事实不符：每个词元的计算量随参数数量增长（Transformer前向传播每个参数每个词元约2次浮点运算）。",
            reference: Ref::Work("Kaplan et al., \u{201c}Scaling Laws for Neural Language Models\u{201d}, 2020, \u{a7}2.1"),
            live: None,
            values: none,
        }],
    },
];

/// The document's model and training call, quoted as printed (§项目实践 2.2–2.3).
pub const KERAS_MODEL: &str = "model = keras.Sequential()
model.add(layers.Conv2D(32, (3, 3), activation='relu', input_shape=x_train.shape[1:]))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(64, (3, 3), activation='relu'))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(64, (3, 3), activation='relu'))
model.add(layers.Flatten())
model.add(layers.Dense(64, activation='relu'))
model.add(layers.Dense(num_classes, activation='softmax'))

model.compile(optimizer='adam',
              loss='categorical_crossentropy',
              metrics=['accuracy'])";

const MODEL_RS: &str = include_str!("../engine/model.rs");

/// The project's Burn code for the same model, cut from `src/engine/model.rs`
/// between its `tour:doc-cnn` markers (so it is always the code that runs).
pub fn burn_model() -> String {
    let begin = "// tour:doc-cnn:begin\n";
    let end = "// tour:doc-cnn:end";
    match (MODEL_RS.find(begin), MODEL_RS.find(end)) {
        (Some(b), Some(e)) if b < e => format!(
            "{}\n    // \u{2026} tensors(), load_weights(), arch()\n}}",
            MODEL_RS[b + begin.len()..e].trim_end()
        ),
        _ => String::new(),
    }
}

/// How the two differ, each with its English and Chinese explanation.
pub const DIFFERENCES: &[(&str, &str)] = &[
    (
        "Layout: Keras stores images channels-last `(32, 32, 3)`; Burn's tensors here are channels-first `[batch, 3, 32, 32]`. Both flatten 64 × 4 × 4 = 1,024 features, in different orders, so the weights are not interchangeable without a permutation; the parameter count is identical.",
        "布局：Keras按通道在后存储图像 `(32, 32, 3)`；这里Burn的张量是通道在前 `[batch, 3, 32, 32]`。两者都展平为64 × 4 × 4 = 1024个特征，但顺序不同，所以权重不经置换不能互换；参数数量完全相同。",
    ),
    (
        "Softmax: Keras ends the model with softmax; its cross-entropy (TensorFlow backend) notices that the probabilities come from a softmax and computes the loss from the logits underneath, in one stable step (the 1e-7 clipping applies only to probabilities from elsewhere). The Burn model returns logits and its loss applies log-softmax to them: the same computation, and the same probabilities.",
        "Softmax：Keras在模型末尾加softmax；它的交叉熵（TensorFlow后端）会识别出概率来自softmax，转而用其下的logits一步稳定地计算损失（1e-7截断只用于其他来源的概率）。Burn模型输出logits，损失函数对其做log-softmax：计算相同，得到的概率也相同。",
    ),
    (
        "Labels: Keras one-hot encodes them (to_categorical); Burn's cross-entropy takes class indices. The loss is the same number.",
        "标签：Keras把它们转为one-hot编码（to_categorical）；Burn的交叉熵直接接受类别索引。损失值相同。",
    ),
    (
        "Adam: Keras's 'adam' uses learning rate 0.001, β₁ 0.9, β₂ 0.999, ε 1e-7; Burn's default ε is 1e-5 and the paper's 1e-8. This project trains with Burn's AdamW and says ε = 1e-5 on the training page.",
        "Adam：Keras的'adam'使用学习率0.001、β₁ 0.9、β₂ 0.999、ε 1e-7；Burn默认ε为1e-5，论文为1e-8。本项目用Burn的AdamW训练，并在训练页面注明ε = 1e-5。",
    ),
    (
        "Initialization: Keras draws kernels from Glorot-uniform with zero biases; Burn's `Conv2d` and `Linear` default to Kaiming-uniform with gain 1/√3 (uniform in `±1/√fan_in`), biases included. Here the initial weights are drawn on the CPU from the seed, so every backend starts from the same model.",
        "初始化：Keras的卷积核用Glorot均匀分布、偏置为零；Burn的 `Conv2d` 和 `Linear` 默认用增益为1/√3的Kaiming均匀分布（在 `±1/√fan_in` 内均匀），偏置也如此。本项目在CPU上按种子生成初始权重，所以所有后端都从同一个模型开始。",
    ),
    (
        "Convolution: `conv::forward` is Burn's `Conv2d` on WebGPU. On the CPU backend it computes the same convolution as one matrix multiply over image patches (im2col, `src/engine/conv.rs`), because Burn's CPU backend computes the weights' gradient in a slow scalar loop; a test holds both to the same outputs and gradients.",
        "卷积：`conv::forward` 在WebGPU上就是Burn的 `Conv2d`。在CPU后端上，它把同一个卷积算成对图像块的一次矩阵乘法（im2col，`src/engine/conv.rs`），因为Burn的CPU后端用很慢的标量循环计算权重梯度；有测试保证两种算法的输出和梯度一致。",
    ),
    (
        "Data and evaluation: the script trains on all 50,000 CIFAR-10 images and validates on the test set; here training uses a 10,000-image subset (train.bin only) and the 860 test images are used only to evaluate.",
        "数据与评估：脚本在全部50000张CIFAR-10图片上训练，并在测试集上做验证；本项目只用10000张的训练子集（仅train.bin）训练，860张测试图片只用于评估。",
    ),
];

/// Every claim, with its chapter.
pub fn all_claims() -> impl Iterator<Item = (&'static Chapter, &'static Claim)> {
    CHAPTERS
        .iter()
        .flat_map(|c| c.claims.iter().map(move |k| (c, k)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_is_filled_with_a_computed_number() {
        for (_, claim) in all_claims() {
            for zh in [false, true] {
                let text = claim.check(zh);
                assert!(
                    !text.contains('{') && !text.contains('}'),
                    "unfilled: {text}"
                );
            }
        }
        // The numbers are the math module's, not the document's.
        assert_eq!(mse_values()[0], "0.076");
        assert_eq!(mse_values()[1], "0.38");
        let ce = ce_values();
        assert_eq!(ce[0], "0.1468");
        assert_eq!(ce[1], "0.2336");
        let adam = adam_values();
        assert_eq!(adam[0], "0.0025");
        assert_eq!(adam[1], "0.999");
        assert_eq!(adam[2], "2.001");
        assert_eq!(adam[3], "0.999293");
        assert_eq!(params_values()[0], "122,570");
        assert_eq!(gpt3_size(), ["350"]);
        assert_eq!(keras_layers(), ["3", "2", "5"]);
        assert_eq!(doc_cnn_accuracy()[0], "63.4");
    }

    #[test]
    fn every_chapter_heading_is_the_documents() {
        let doc = crate::tour::source_document();
        for c in CHAPTERS {
            assert!(doc.contains(&format!("### {}（", c.zh)), "{}", c.zh);
        }
        // The quoted Keras code is the document's, line for line.
        for line in KERAS_MODEL.lines().filter(|l| !l.trim().is_empty()) {
            assert!(doc.contains(line), "not in the document: {line}");
        }
        // Every quote is the document's own words (formulas are transcribed,
        // so only plain-text pieces between the ellipses are compared).
        let mut missing = Vec::new();
        for (_, c) in all_claims() {
            // Markdown is left out of quotes: "**Keras** - …" is quoted "Keras - …".
            let pieces = c.quote.split('\u{2026}').flat_map(|p| p.split(" - "));
            for piece in pieces.map(str::trim).filter(|p| !p.is_empty()) {
                let formula = piece.chars().any(|ch| {
                    "=\u{2248}\u{3a3}\u{3b8}\u{221a}\u{b7}\u{1d62}\u{2212}#![".contains(ch)
                });
                if !formula && !doc.contains(piece) {
                    missing.push(piece);
                }
            }
        }
        assert!(missing.is_empty(), "not in the document: {missing:?}");
        // Each verdict kind occurs, and every claim has a reference.
        for v in [
            Verdict::Correct,
            Verdict::Partly,
            Verdict::Unsupported,
            Verdict::Wrong,
        ] {
            assert!(all_claims().any(|(_, c)| c.verdict == v));
        }
        assert!(all_claims().all(|(_, c)| !c.reference.is_empty()));
    }

    #[test]
    fn the_burn_code_is_cut_from_the_model_source() {
        let code = burn_model();
        assert!(code.contains("pub struct DocCnn"), "{code}");
        assert!(code.contains("conv(64, 64)"));
        assert!(code.contains("// [b, 10]"));
        assert!(!code.contains("tour:doc-cnn"));
    }
}

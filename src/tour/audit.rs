//! Every sentence of the article, accounted for. The tour's cards check its
//! claims; this list shows that no factual sentence is left without one. The
//! article's prose (outside code blocks and headings) is cut into sentences
//! ([`sentences`]), and [`SPANS`] covers them in order: each run of sentences
//! is either checked by a card (named by a piece of the card's quote) or is
//! not a claim (framing, a reading list, a forecast, the author's note to
//! whoever commissioned the text). A native test walks the document against
//! the list, so the counts shown on the tour page are the document's own.

/// What covers a run of sentences.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cover {
    /// Checked by the tour card whose quote contains this text.
    Card(&'static str),
    /// Announces, summarises or exhorts: nothing to check.
    Framing,
    /// An entry of a list of tools, books, papers or sites.
    Listing,
    /// A forecast or a value judgement about the field's future.
    Opinion,
    /// Addressed to whoever commissioned the text, not to its readers.
    Colophon,
}

impl Cover {
    pub fn name(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Cover::Card(_), false) => "checked on a card",
            (Cover::Card(_), true) => "由卡片核查",
            (Cover::Framing, false) => "framing (no claim)",
            (Cover::Framing, true) => "铺垫（没有论断）",
            (Cover::Listing, false) => "an entry of a list",
            (Cover::Listing, true) => "列表条目",
            (Cover::Opinion, false) => "a forecast or opinion",
            (Cover::Opinion, true) => "预测或观点",
            (Cover::Colophon, false) => "a note to the commissioner",
            (Cover::Colophon, true) => "写给委托人的话",
        }
    }
}

/// A run of consecutive sentences: the first one begins with `from`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub from: &'static str,
    pub sentences: usize,
    pub cover: Cover,
}

/// The article's prose cut into sentences: lines outside code fences and
/// headings, split after 。！？ and after . ! ? followed by a space; pieces of
/// under four characters (list bullets, stray marks) are dropped.
pub fn sentences(doc: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut code = false;
    for line in doc.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            code = !code;
            continue;
        }
        if code || t.is_empty() || t.starts_with('#') {
            continue;
        }
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        let (mut start, mut i) = (0, 0);
        while i < chars.len() {
            let (at, c) = chars[i];
            if matches!(c, '\u{3002}' | '\u{ff01}' | '\u{ff1f}') {
                keep(&mut out, &line[start..at + c.len_utf8()]);
                start = at + c.len_utf8();
            } else if matches!(c, '.' | '!' | '?')
                && chars.get(i + 1).is_some_and(|(_, n)| n.is_whitespace())
            {
                keep(&mut out, &line[start..at + 1]);
                let mut j = i + 1;
                while chars.get(j).is_some_and(|(_, n)| n.is_whitespace()) {
                    j += 1;
                }
                start = chars.get(j).map_or(line.len(), |&(a, _)| a);
                i = j;
                continue;
            }
            i += 1;
        }
        keep(&mut out, &line[start..]);
    }
    out
}

fn keep<'a>(out: &mut Vec<&'a str>, piece: &'a str) {
    let p = piece.trim();
    if p.chars().count() >= 4 {
        out.push(p);
    }
}

/// A run's first words as a reader sees them: Markdown marks (list dashes,
/// `**`, `\(`) and LaTeX backslashes left out.
pub fn shown(from: &str) -> String {
    let s = from.trim_start_matches("- ").replace("**", "");
    let s = s.replace("\\[", "").replace("\\(", "").replace("\\)", "");
    s.replace('\\', "").trim().to_string()
}

/// How many sentences each kind of cover takes, in [`Cover::name`] order:
/// (cards, framing, listing, opinion, colophon).
pub fn counts() -> [usize; 5] {
    let mut c = [0; 5];
    for s in SPANS {
        let k = match s.cover {
            Cover::Card(_) => 0,
            Cover::Framing => 1,
            Cover::Listing => 2,
            Cover::Opinion => 3,
            Cover::Colophon => 4,
        };
        c[k] += s.sentences;
    }
    c
}

/// The article's sentences in order, run by run.
pub const SPANS: &[Span] = &[
    Span {
        from: "在当前技术环境下，大规模语言模型",
        sentences: 2,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "然而，它们的成功背后隐藏着一系列",
        sentences: 1,
        cover: Cover::Card("通过逐步修改和概括得到精确的定理"),
    },
    Span {
        from: "本文旨在探讨大模型的本质——压缩",
        sentences: 5,
        cover: Cover::Framing,
    },
    Span {
        from: "In the current technological landscape,",
        sentences: 1,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "However, behind their success lies a",
        sentences: 1,
        cover: Cover::Card("通过逐步修改和概括得到精确的定理"),
    },
    Span {
        from: "This article aims to explore the",
        sentences: 8,
        cover: Cover::Framing,
    },
    Span {
        from: "大规模语言模型（Large-sc",
        sentences: 2,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "GPT-3（Generative",
        sentences: 1,
        cover: Cover::Card("由OpenAI于2020年发布"),
    },
    Span {
        from: "GPT-3包含1750亿个参数，",
        sentences: 1,
        cover: Cover::Card("超越了人类专业作家"),
    },
    Span {
        from: "大规模语言模型之所以受到广泛关注",
        sentences: 3,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "然而，大规模语言模型的成功背后隐",
        sentences: 1,
        cover: Cover::Framing,
    },
    Span {
        from: "其中，最核心的挑战之一就是“压缩",
        sentences: 1,
        cover: Cover::Card("最终目的都是将海量数据压缩"),
    },
    Span {
        from: "这是因为，随着模型规模的增大，计",
        sentences: 4,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "另一方面，压缩还可以提高模型的泛",
        sentences: 1,
        cover: Cover::Card("压缩还可以提高模型的泛化能力"),
    },
    Span {
        from: "在语言模型中，压缩的具体实现方式",
        sentences: 1,
        cover: Cover::Card("# 2.5 模型压缩"),
    },
    Span {
        from: "例如，GPT-3采用了层次化结构",
        sentences: 2,
        cover: Cover::Card("GPT-3采用了层次化结构"),
    },
    Span {
        from: "大模型的本质可以理解为压缩。",
        sentences: 1,
        cover: Cover::Card("大模型的本质是压缩"),
    },
    Span {
        from: "这是因为，无论是通过增加参数数量",
        sentences: 1,
        cover: Cover::Card("最终目的都是将海量数据压缩"),
    },
    Span {
        from: "这个过程类似于编程中的“最短程序",
        sentences: 3,
        cover: Cover::Card("最短程序问题……如何找到一个程序"),
    },
    Span {
        from: "在人工智能领域，这个问题可以转化",
        sentences: 1,
        cover: Cover::Card("最短的神经网络结构"),
    },
    Span {
        from: "对于大规模语言模型来说，找到最短",
        sentences: 2,
        cover: Cover::Card("找到最短程序的过程就是模型训练"),
    },
    Span {
        from: "通过这种方式，大模型能够将复杂的",
        sentences: 1,
        cover: Cover::Card("最终目的都是将海量数据压缩"),
    },
    Span {
        from: "总结来说，大模型的本质是压缩。",
        sentences: 1,
        cover: Cover::Card("大模型的本质是压缩"),
    },
    Span {
        from: "通过压缩，模型能够将海量数据转化",
        sentences: 1,
        cover: Cover::Card("最终目的都是将海量数据压缩"),
    },
    Span {
        from: "找到最短程序的过程就是实现这一目",
        sentences: 1,
        cover: Cover::Card("找到最短程序的过程就是模型训练"),
    },
    Span {
        from: "在接下来的章节中，我们将深入探讨",
        sentences: 1,
        cover: Cover::Framing,
    },
    Span {
        from: "在大模型中，核心概念包括参数、神",
        sentences: 2,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "在大模型中，参数数量通常非常庞大",
        sentences: 1,
        cover: Cover::Card("由OpenAI于2020年发布"),
    },
    Span {
        from: "- **神经网络结构**：神经网",
        sentences: 6,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "大模型的本质在于压缩。",
        sentences: 1,
        cover: Cover::Card("大模型的本质是压缩"),
    },
    Span {
        from: "压缩意味着通过某种方式将复杂的数",
        sentences: 1,
        cover: Cover::Card("最终目的都是将海量数据压缩"),
    },
    Span {
        from: "在计算机科学中，这个问题被称为“",
        sentences: 2,
        cover: Cover::Card("最短程序问题……如何找到一个程序"),
    },
    Span {
        from: "对于大模型来说，压缩的本质是实现",
        sentences: 1,
        cover: Cover::Card("最终目的都是将海量数据压缩"),
    },
    Span {
        from: "这一过程涉及到数据预处理、模型训",
        sentences: 3,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "- **模型训练**：通过训练，",
        sentences: 2,
        cover: Cover::Card("找到最短程序的过程就是模型训练"),
    },
    Span {
        from: "- **模型优化**：模型优化是",
        sentences: 1,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "常见的优化方法包括正则化、dro",
        sentences: 1,
        cover: Cover::Card("常见的优化方法包括正则化"),
    },
    Span {
        from: "大模型与最短程序问题之间存在紧密",
        sentences: 2,
        cover: Cover::Card("最短程序问题……如何找到一个程序"),
    },
    Span {
        from: "在大模型中，最短程序问题可以转化",
        sentences: 1,
        cover: Cover::Card("最短的神经网络结构"),
    },
    Span {
        from: "这涉及到模型架构设计、参数调整和",
        sentences: 1,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "- **模型架构设计**：设计高",
        sentences: 1,
        cover: Cover::Card("最短的神经网络结构"),
    },
    Span {
        from: "例如，Transformer结构",
        sentences: 1,
        cover: Cover::Card("GPT-3采用了层次化结构"),
    },
    Span {
        from: "- **参数调整**：通过调整模",
        sentences: 4,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "大模型在多个应用场景中展现出强大",
        sentences: 6,
        cover: Cover::Card("大模型可以用于图像分类任务"),
    },
    Span {
        from: "尽管大模型在许多任务中表现出色，",
        sentences: 6,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "综上所述，大模型的本质在于压缩，",
        sentences: 1,
        cover: Cover::Card("大模型的本质是压缩"),
    },
    Span {
        from: "在接下来的章节中，我们将深入探讨",
        sentences: 2,
        cover: Cover::Framing,
    },
    Span {
        from: "数据表示是将输入数据转换为模型能",
        sentences: 1,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "具体操作步骤如下：",
        sentences: 1,
        cover: Cover::Framing,
    },
    Span {
        from: "- **数据清洗**：数据清洗是",
        sentences: 7,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "在数据表示和预处理完成后，我们需",
        sentences: 1,
        cover: Cover::Framing,
    },
    Span {
        from: "大模型通常采用深度学习架构，如卷",
        sentences: 1,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "以下是一些核心步骤：",
        sentences: 1,
        cover: Cover::Framing,
    },
    Span {
        from: "- **模型选择**：根据具体任",
        sentences: 5,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "模型训练是压缩算法的核心步骤。",
        sentences: 1,
        cover: Cover::Card("找到最短程序的过程就是模型训练"),
    },
    Span {
        from: "通过训练，模型会学习如何将输入数",
        sentences: 1,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "以下是一些具体操作步骤：",
        sentences: 1,
        cover: Cover::Framing,
    },
    Span {
        from: "- **初始化参数**：初始化模",
        sentences: 8,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "在模型训练完成后，我们还需要对模",
        sentences: 2,
        cover: Cover::Framing,
    },
    Span {
        from: "- **模型评估**：使用验证集",
        sentences: 4,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "- **模型压缩**：通过模型压",
        sentences: 1,
        cover: Cover::Card("# 2.5 模型压缩"),
    },
    Span {
        from: "为了更好地理解上述算法原理和操作",
        sentences: 3,
        cover: Cover::Framing,
    },
    Span {
        from: "- 数据清洗：去除重复数据和缺失",
        sentences: 1,
        cover: Cover::Card("数据清洗：去除重复数据和缺失值"),
    },
    Span {
        from: "- 数据归一化：将图像像素值缩放",
        sentences: 2,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "- **模型选择与架构设计**：",
        sentences: 1,
        cover: Cover::Framing,
    },
    Span {
        from: "- 模型选择：采用卷积神经网络（",
        sentences: 1,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "- 架构设计：设计一个三层卷积神",
        sentences: 1,
        cover: Cover::Card("设计一个三层卷积神经网络"),
    },
    Span {
        from: "- **模型训练与优化**：",
        sentences: 1,
        cover: Cover::Framing,
    },
    Span {
        from: "- 初始化参数：使用随机初始化方",
        sentences: 3,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "- 训练过程：进行100个迭代周",
        sentences: 1,
        cover: Cover::Card("训练过程：进行100个迭代周期"),
    },
    Span {
        from: "- **模型优化与泛化能力**：",
        sentences: 1,
        cover: Cover::Framing,
    },
    Span {
        from: "- 模型评估：使用验证集对模型进",
        sentences: 1,
        cover: Cover::Card("模型评估：使用验证集对模型进行评估"),
    },
    Span {
        from: "- 模型调整：根据评估结果调整模",
        sentences: 1,
        cover: Cover::Card("通过调整学习率和批次大小"),
    },
    Span {
        from: "- 模型压缩：使用参数共享和层次",
        sentences: 1,
        cover: Cover::Card("# 2.5 模型压缩"),
    },
    Span {
        from: "通过这个实际操作示例，我们可以更",
        sentences: 5,
        cover: Cover::Framing,
    },
    Span {
        from: "损失函数是评估模型预测结果与实际",
        sentences: 3,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "- **均方误差（MSE）**：",
        sentences: 3,
        cover: Cover::Card("MSE = (1/n)"),
    },
    Span {
        from: "**实例**：假设我们有5个样本",
        sentences: 3,
        cover: Cover::Card("MSE = … = 0.14"),
    },
    Span {
        from: "- **交叉熵损失（Cross-",
        sentences: 6,
        cover: Cover::Card("Cross-Entropy Loss"),
    },
    Span {
        from: "梯度下降是一种优化算法，用于最小",
        sentences: 5,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "- **梯度下降更新规则**：",
        sentences: 13,
        cover: Cover::Card("θ = θ − α ∇θ J(θ)"),
    },
    Span {
        from: "随机梯度下降是梯度下降的一种变体",
        sentences: 4,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "- **随机梯度下降更新规则**",
        sentences: 9,
        cover: Cover::Card("θ = θ − α ∇θ J(θ)"),
    },
    Span {
        from: "随机梯度下降通过引入随机性，可以",
        sentences: 1,
        cover: Cover::Card("随机梯度下降通过引入随机性"),
    },
    Span {
        from: "Adam优化算法是一种结合了SG",
        sentences: 3,
        cover: Cover::Card("Adam优化算法是一种结合了SGD"),
    },
    Span {
        from: "- **二阶矩估计（Varian",
        sentences: 2,
        cover: Cover::Card("二阶矩估计（Variance）"),
    },
    Span {
        from: "- **更新公式**：",
        sentences: 3,
        cover: Cover::Card("Adam优化算法是一种结合了SGD"),
    },
    Span {
        from: "**实例**：假设我们有以下数据",
        sentences: 12,
        cover: Cover::Card("θ₁ = 1 − 0.001"),
    },
    Span {
        from: "通过Adam优化算法，模型参数可",
        sentences: 1,
        cover: Cover::Card("Adam优化算法是一种结合了SGD"),
    },
    Span {
        from: "通过上述数学模型和公式的讲解，我",
        sentences: 5,
        cover: Cover::Framing,
    },
    Span {
        from: "在开始项目之前，我们需要搭建相应",
        sentences: 8,
        cover: Cover::Listing,
    },
    Span {
        from: "- **数据预处理**：我们首先",
        sentences: 2,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "- **模型选择与架构设计**：",
        sentences: 2,
        cover: Cover::Card("model = keras.Sequential()"),
    },
    Span {
        from: "- **模型训练与优化**：我们",
        sentences: 1,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "通过调整学习率和批次大小，我们可",
        sentences: 1,
        cover: Cover::Card("通过调整学习率和批次大小"),
    },
    Span {
        from: "- **代码解读与分析**：我们",
        sentences: 1,
        cover: Cover::Card("![损失函数曲线]"),
    },
    Span {
        from: "此外，我们还评估了模型的测试准确",
        sentences: 1,
        cover: Cover::Card("for epoch in range(1, 21)"),
    },
    Span {
        from: "- **模型压缩**：为了减小模",
        sentences: 2,
        cover: Cover::Card("# 2.5 模型压缩"),
    },
    Span {
        from: "- **运行结果展示**：通过输",
        sentences: 1,
        cover: Cover::Card("for epoch in range(1, 21)"),
    },
    Span {
        from: "通过这个实际项目实例，我们可以看",
        sentences: 1,
        cover: Cover::Card("# 2.5 模型压缩"),
    },
    Span {
        from: "在完成上述代码实例后，我们通过实",
        sentences: 4,
        cover: Cover::Framing,
    },
    Span {
        from: "- **损失函数曲线**：从图中",
        sentences: 1,
        cover: Cover::Card("模型的训练损失（橙色线）"),
    },
    Span {
        from: "特别是在后期，两者的差距逐渐减小",
        sentences: 4,
        cover: Cover::Card("两者的差距逐渐减小"),
    },
    Span {
        from: "在模型训练完成后，我们对测试集进",
        sentences: 2,
        cover: Cover::Framing,
    },
    Span {
        from: "- **测试准确率**：通过计算",
        sentences: 1,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "在本文的实例中，模型的测试准确率",
        sentences: 2,
        cover: Cover::Card("模型的测试准确率为"),
    },
    Span {
        from: "- **训练过程表现**：从损失",
        sentences: 2,
        cover: Cover::Card("两者的差距逐渐减小"),
    },
    Span {
        from: "- **测试准确率表现**：测试",
        sentences: 1,
        cover: Cover::Card("模型的测试准确率为"),
    },
    Span {
        from: "- **模型压缩效果**：虽然本",
        sentences: 1,
        cover: Cover::Card("并未显著增大计算和存储需求"),
    },
    Span {
        from: "为了更直观地展示模型的训练和测试",
        sentences: 1,
        cover: Cover::Framing,
    },
    Span {
        from: "- **损失函数曲线**：展示了",
        sentences: 6,
        cover: Cover::Card("![损失函数曲线]"),
    },
    Span {
        from: "通过这些图表，我们可以全面了解模",
        sentences: 1,
        cover: Cover::Framing,
    },
    Span {
        from: "大模型在自然语言处理、图像识别、",
        sentences: 23,
        cover: Cover::Card("大模型可以用于图像分类任务"),
    },
    Span {
        from: "- **书籍**：",
        sentences: 12,
        cover: Cover::Listing,
    },
    Span {
        from: "- **TensorFlow** -",
        sentences: 2,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "- **Keras** - 一个",
        sentences: 1,
        cover: Cover::Card("Keras - 一个高级神经网络API"),
    },
    Span {
        from: "- **论文**：",
        sentences: 5,
        cover: Cover::Listing,
    },
    Span {
        from: "**模型压缩与效率提升**：随着",
        sentences: 9,
        cover: Cover::Opinion,
    },
    Span {
        from: "大模型是指参数数量庞大、结构复杂",
        sentences: 5,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "此外，它们还可以实现高效的计算和",
        sentences: 1,
        cover: Cover::Card("还可以实现高效的计算和推理"),
    },
    Span {
        from: "大模型需要大量的计算资源和存储空",
        sentences: 4,
        cover: Cover::Card("参数是模型中的可调整值"),
    },
    Span {
        from: "**论文**：",
        sentences: 13,
        cover: Cover::Listing,
    },
    Span {
        from: "- TensorFlow Model Optimization Toolkit",
        sentences: 1,
        cover: Cover::Card("TensorFlow Model Optimization Toolkit"),
    },
    Span {
        from: "通过本文的阅读，您已经对大模型的",
        sentences: 1,
        cover: Cover::Card("通过逐步修改和概括得到精确的定理"),
    },
    Span {
        from: "希望本文能够为您在自然语言处理和",
        sentences: 1,
        cover: Cover::Framing,
    },
    Span {
        from: "作者：禅与计算机程序设计艺术 /",
        sentences: 6,
        cover: Cover::Colophon,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tour::all_claims;

    #[test]
    fn runs_are_shown_without_markdown() {
        assert_eq!(shown("- **数据清洗**：数据"), "数据清洗：数据");
        assert_eq!(
            shown("其中，\\( y_i \\)是实际标签"),
            "其中， y_i 是实际标签"
        );
    }

    #[test]
    fn the_splitter_cuts_chinese_and_english_sentences() {
        let doc = "# 标题\n第一句。第二句！\n```python\nx = 1. y\n```\nOne sentence. Another one? ok\n- a\n";
        assert_eq!(
            sentences(doc),
            ["第一句。", "第二句！", "One sentence.", "Another one?"]
        );
    }

    #[test]
    fn every_card_named_by_the_audit_exists_once() {
        for s in SPANS {
            if let Cover::Card(q) = s.cover {
                let n = all_claims().filter(|(_, c)| c.quote.contains(q)).count();
                assert_eq!(n, 1, "{q:?} names {n} cards");
            }
            assert!(s.sentences > 0);
        }
    }

    #[test]
    fn every_sentence_of_the_article_is_accounted_for() {
        let doc = crate::tour::source_document();
        let all = sentences(&doc);
        let mut at = 0;
        for s in SPANS {
            let first = all.get(at).copied().unwrap_or("<past the end>");
            assert!(
                first.starts_with(s.from),
                "sentence {at}: expected {:?}, found {first:?}",
                s.from
            );
            at += s.sentences;
        }
        assert_eq!(
            at,
            all.len(),
            "the list ends at sentence {at} of {}",
            all.len()
        );
        // Every card is used by some sentence (no card checks nothing).
        for (_, c) in all_claims() {
            let used = SPANS
                .iter()
                .any(|s| matches!(s.cover, Cover::Card(q) if c.quote.contains(q)));
            assert!(used, "no sentence is checked by the card {:?}", c.quote);
        }
    }
}

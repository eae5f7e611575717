//! The site's pages as plain data, one list for everything that names them:
//! the header and the home page (UI), each page's title and description, and
//! the static HTML of each route that the post-build hook writes (bin `site`),
//! so crawlers and link previews see a real page at every address.

/// The site's name (English, Chinese).
pub const NAME: (&str, &str) = ("Compression Lab", "压缩实验室");

/// The home page's description (also `index.html`'s).
pub const HOME_DESCRIPTION: (&str, &str) = (
    "An interactive course in your browser: a model is a compressed program for its data.",
    "一门在浏览器中运行的交互式课程：模型是其数据的压缩程序。",
);

/// The home page's head: the line above its title, the title and the
/// opening paragraph (the app renders them; the static HTML carries them).
pub const HOME_HEAD: [(&str, &str); 3] = [
    ("An interactive course, running entirely in your browser", "一门完全在浏览器中运行的交互式课程"),
    ("A model is a compressed program for its data.", "模型是其数据的压缩程序。"),
    (
        "If a model predicts the next label well, an encoder that uses its predictions needs \
         fewer bits to write the labels down. The loss you minimise in training \
         \u{2014} cross-entropy, measured in bits \u{2014} is exactly that code length. \
         Learning is compression, and the best model gives the shortest description of the data: \
         the model itself plus the labels coded with its predictions \u{2014} every label, the ones it \
         gets right too (a label it gives p = 0.6 still costs 0.74 bit). That second part is a code \
         length only for labels the model was not fitted to.",
        "如果一个模型能很好地预测下一个标签，那么利用它的预测进行编码，写下这些标签所需的比特就更少。\
         训练中最小化的损失——以比特计的交叉熵——恰好就是这个编码长度。\
         学习就是压缩，最好的模型给出数据的最短描述：模型本身，加上用它的预测编码的标签——每一个标签，\
         包括它预测对的（它给出 p = 0.6 的标签仍要 0.74 比特）。只有对模型没有拟合过的标签，\
         第二部分才是编码长度。",
    ),
];

/// The not-found page's title and description.
pub const NOT_FOUND: ((&str, &str), (&str, &str)) = (
    ("Page not found", "页面不存在"),
    ("There is no page at this address.", "这个地址没有页面。"),
);

/// The site's web apps. Each route's HTML loads one (`scripts/post-build.mjs`
/// writes the loader); a link to a page of another app loads that page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum App {
    /// The pages that run the ML engine (bin `app`).
    Lab,
    /// The reading pages: the tour, the formulas, the text coder (bin `read`).
    Reading,
}

impl App {
    /// Its name in the pages' JSON (the post-build loader's choice).
    pub fn name(self) -> &'static str {
        match self {
            App::Lab => "app",
            App::Reading => "read",
        }
    }
}

pub struct Section {
    /// Route, relative to the base path.
    pub path: &'static str,
    /// Which of the site's web apps draws it: the pages that run the ML
    /// engine share one app (and one engine worker, so a model trained on one
    /// of them is there on the others); the reading pages are another.
    pub app: App,
    /// Short name for the navigation bar (English, Chinese).
    pub nav: (&'static str, &'static str),
    /// The page's own title (the tab and the static HTML of its route).
    pub page_title: (&'static str, &'static str),
    /// Title on the home page.
    pub title: (&'static str, &'static str),
    /// What the visitor can do there.
    pub summary: (&'static str, &'static str),
    /// The page's own head: the line above its title, its title and its
    /// opening paragraph. The app renders them ([`crate::ui::components::PageHead`])
    /// and the static HTML of the route carries them in both languages, so
    /// they paint before any script runs.
    pub eyebrow: (&'static str, &'static str),
    pub heading: (&'static str, &'static str),
    pub lede: (&'static str, &'static str),
}

pub const SECTIONS: &[Section] = &[
    Section {
        path: "/tour",
        app: App::Reading,
        page_title: ("Guided tour", "导读"),
        nav: ("Tour", "导读"),
        title: ("A guided tour of the article, every claim checked", "文章导读：逐条核查每个论断"),
        summary: (
            "Read the article chapter by chapter with its Chinese headings, see each factual claim marked \
             correct, unsupported or wrong with the correction and a primary reference, and jump to the \
             live piece that demonstrates it.",
            "按章节阅读原文（附中文标题），每个事实性论断都标明正确、缺乏依据或错误，并给出更正和原始文献，\
             还可以跳转到演示它的交互页面。",
        ),
        eyebrow: ("Guided tour", "导读"),
        heading: ("The article, chapter by chapter, every claim checked", "逐章阅读原文，逐条核查论断"),
        lede: (
            "Each chapter below keeps the article's own Chinese heading beside an English one, sums up \
            what it says, and checks its factual claims: correct, partly correct (true in part, or \
            loosely put), unsupported (stated without evidence) or wrong, with the correction and a \
            primary reference. Numbers in the checks are computed by this site, never copied from \
            the article. Links take you to the live piece that shows it.",
            "下面每一章都保留原文的中文标题并附英文标题，概括其内容，并核查其中的事实性论断：\
            正确、部分正确（部分属实或表述不严谨）、缺乏依据（只有断言没有证据）或错误，\
            并给出更正和原始文献。核查中的数字都由本站计算，\
            从不照抄原文。链接会带你到演示它的交互页面。",
        ),
    },
    Section {
        path: "/losses",
        app: App::Reading,
        page_title: ("Loss calculators", "损失函数计算器"),
        nav: ("Losses", "损失函数"),
        title: ("Loss calculators: MSE and cross-entropy", "损失函数计算器：MSE与交叉熵"),
        summary: (
            "Type labels and predictions, see every term of the loss, switch between nats and bits, \
             and see where the article's worked examples go wrong.",
            "输入标签和预测值，查看损失的每一项，在奈特与比特之间切换，看看文章的算例错在哪里。",
        ),
        eyebrow: ("数学模型和公式 · 1. 损失函数（Loss Function）", "数学模型和公式 · 1. 损失函数（Loss Function）"),
        heading: ("How wrong is a prediction? Loss functions, term by term", "预测错了多少？逐项计算损失函数"),
        lede: (
            "A loss turns a model's predictions into one number to minimise. The article defines two, \
            mean squared error and cross-entropy, and works an example of each. Both calculators below \
            open on the article's example; edit any field and every number updates. Cross-entropy \
            measured in bits is the length of the code the model gives the labels \u{2014} the quantity \
            the rest of this course is about.",
            "损失函数把模型的预测变成一个要最小化的数。文章定义了两个——均方误差和交叉熵——并各举了一个例子。\
            下面两个计算器都以文章的例子打开；改动任何字段，每个数都会随之更新。以比特计的交叉熵，就是模型给\
            标签的编码长度——本课程其余部分讲的正是这个量。",
        ),
    },
    Section {
        path: "/optimizers",
        app: App::Reading,
        page_title: ("Optimizers, step by step", "逐步演示优化器"),
        nav: ("Optimizers", "优化器"),
        title: ("Optimizers, step by step: GD, SGD, momentum, Adam", "逐步演示优化器：GD、SGD、动量、Adam"),
        summary: (
            "Watch gradient descent, SGD, momentum, RMSProp and Adam walk down real loss surfaces, \
             one inspectable step at a time, race them, and see the article's Adam example corrected.",
            "观看梯度下降、SGD、动量、RMSProp和Adam在真实的损失曲面上一步步下降，每一步都可查看，\
             让它们比赛，并看到文章的Adam算例被修正。",
        ),
        eyebrow: ("数学模型和公式 · 2\u{2013}4. 梯度下降 · SGD · Adam", "数学模型和公式 · 2\u{2013}4. 梯度下降 · SGD · Adam"),
        heading: ("Optimizers, one step at a time", "优化器，一步一步来"),
        lede: (
            "Training is a walk downhill on the loss surface. Pick a surface and an optimizer, click the \
            plot to choose where to start, then step through: every quantity the update uses is in the \
            table. Race several optimizers from the same start. The link in your address bar reproduces \
            this exact setup.",
            "训练就是在损失曲面上往下走。选一个曲面和一个优化器，点击图选择起点，然后逐步执行：更新用到的每个量\
            都在表中。让几个优化器从同一起点赛跑。地址栏里的链接能重现这个设置。",
        ),
    },
    Section {
        path: "/train",
        app: App::Lab,
        page_title: ("Train a CNN in your browser", "在浏览器中训练CNN"),
        nav: ("Train", "训练"),
        title: ("Train a CNN in your browser", "在浏览器中训练CNN"),
        summary: (
            "Train the article's CNN or a better one on real CIFAR-10 images, live, on WebGPU or the CPU: \
             loss and accuracy charts, a confusion matrix, and a compression meter that shows learning \
             as a shrinking code length.",
            "在真实的CIFAR-10图片上实时训练文章的CNN或更好的模型，使用WebGPU或CPU：损失和准确率曲线、\
             混淆矩阵，以及把学习显示为编码长度不断缩短的压缩计量表。",
        ),
        eyebrow: ("Learning is compression", "学习就是压缩"),
        heading: ("Train a CNN in your browser", "在浏览器中训练CNN"),
        lede: (
            "Train the article's CNN or this site's default on real CIFAR-10 images, here, on WebGPU \
            or the CPU, in a background worker: the page stays responsive. Watch the loss fall, the \
            test accuracy rise, and the labels' code length shrink.",
            "在这里用真实的 CIFAR-10 图片训练文章中的 CNN 或本站的默认 CNN：在后台 worker 中运行于 \
            WebGPU 或 CPU，页面始终可以操作。看着损失下降、测试准确率上升、标签的编码长度缩短。",
        ),
    },
    Section {
        path: "/compress",
        app: App::Lab,
        page_title: ("Compress the trained model", "压缩训练好的模型"),
        nav: ("Compress", "压缩"),
        title: ("Compress the trained model", "压缩训练好的模型"),
        summary: (
            "Prune, quantize and cluster the real trained CNN, measure each setting on test images, count \
             its size bit by bit, draw accuracy against size, and find the shortest two-part description \
             of the labels: L(model) + L(labels | model).",
            "对真实训练好的CNN进行剪枝、量化和聚类，在测试图片上度量每种设置，逐比特计算其大小，\
             画出准确率与大小的关系，并找到标签的最短两部分描述：L(模型) + L(标签 | 模型)。",
        ),
        eyebrow: ("A model is a compressed program", "模型是一个压缩过的程序"),
        heading: ("Compress the trained model", "压缩训练好的模型"),
        lede: (
            "The article says compression is the essence of large models, but its section on it (2.5) \
            is an empty comment. Here the real trained CNN is pruned, quantized and clustered; every \
            setting is measured on held-out test images, its size counted bit by bit in a real file, \
            and the shortest description of the labels found.",
            "文章说压缩是大模型的本质，但讲压缩的那一节（2.5）只是一条空注释。这里对真正训练好的 CNN 做剪枝、\
            量化和聚类；每个设置都在留出的测试图片上测量，大小按真实文件逐比特计算，并找出标签的最短描述。",
        ),
    },
    Section {
        path: "/text",
        app: App::Reading,
        page_title: ("Compress text with a language model", "用语言模型压缩文本"),
        nav: ("Text", "文本"),
        title: ("A language model compresses text", "语言模型压缩文本"),
        summary: (
            "Code the article, or any text, with a small language model running in your browser, into a real \
             file shorter than gzip, xz and brotli make, see what every character cost, and decode the file back \
             byte for byte.",
            "用在浏览器里运行的小型语言模型，把这篇文章或任何文本编码成一个真实的文件，比 gzip、xz 和 brotli \
             压得更短；看每个字符花了多少比特，再把文件逐字节解码回来。",
        ),
        eyebrow: ("The article's thesis, on language", "文章的论点，用在语言上"),
        heading: ("A language model is a compressor for text", "语言模型就是文本的压缩器"),
        lede: (
            "The article is about large language models: a model that predicts the next byte of a text well \
            is a short code for it, because an arithmetic coder spends \u{2212}log\u{2082} p bits on a byte the \
            model gave probability p. Here a small model runs in your browser, predicts every byte of a text, \
            and turns those predictions into a file you can download and decode back, beside the standard \
            compressors run on the same bytes.",
            "这篇文章讲的是大语言模型：一个能准确预测文本下一个字节的模型，就是这段文本的一种短编码——\
            算术编码器为模型给出概率 p 的字节花 \u{2212}log\u{2082} p 比特。这里一个小模型在你的浏览器里运行，\
            预测文本的每个字节，把这些预测变成一个可以下载、再解码回来的文件，并与在同样字节上运行的标准压缩器比较。",
        ),
    },
    Section {
        path: "/theorem",
        app: App::Reading,
        page_title: ("From noisy data to an exact law", "从带噪数据到精确定律"),
        nav: ("Exact law", "精确定律"),
        title: ("From noisy data to an exact law", "从带噪数据到精确定律"),
        summary: (
            "Fit y = 3x\u{2081} \u{2212} 2x\u{2082} + 1 or Kepler's third law by gradient descent, then snap \
             parameters to simple numbers while that shortens the description length, until the law is \
             printed exactly \u{2014} or the data refuses.",
            "用梯度下降拟合 y = 3x\u{2081} \u{2212} 2x\u{2082} + 1 或开普勒第三定律，然后在能缩短描述长度时\
             把参数换成简单的数，直到精确写出定律——或者数据拒绝这样做。",
        ),
        eyebrow: ("The article's title, made real", "把文章标题变成现实"),
        heading: ("From noisy data to an exact law", "从带噪数据到精确定律"),
        lede: (
            "The article promises \u{201c}gaining precision through incremental modifications and \
            generalization to an exact theorem\u{201d} but never shows it. Here it is: data from an \
            exact law plus noise, a model fitted by gradient descent, then one modification at a \
            time \u{2014} replace a parameter by a simple number \u{2014} kept only when the total \
            description length (parameter bits + residual bits) gets shorter and the fit stays \
            within the noise.",
            "文章承诺“通过逐步修改和概括得到精确的定理”，却从未展示。这里展示它：由精确定律加噪声生成的数据，\
            用梯度下降拟合的模型，然后每次做一处修改——把一个参数换成简单的数——只有当总描述长度\
            （参数比特 + 残差比特）变短、且拟合仍在噪声范围内时才保留这处修改。",
        ),
    },
    Section {
        path: "/classify",
        app: App::Lab,
        page_title: ("Classify your own images", "分类你自己的图片"),
        nav: ("Classify", "分类"),
        title: ("Classify your own images", "分类你自己的图片"),
        summary: (
            "Drop in any picture and see what the trained CNN makes of it: the 32\u{d7}32 image it sees, \
             its five best guesses, and how fast it answers on WebGPU or the CPU. Nothing is uploaded.",
            "放入任意图片，看看训练好的CNN怎么认为：它看到的32\u{d7}32图像、它的五个最佳猜测，\
             以及它在WebGPU或CPU上的响应速度。图片不会被上传。",
        ),
        eyebrow: ("The model at work", "模型在工作"),
        heading: ("Classify your own images", "分类你自己的图片"),
        lede: (
            "Give the trained CNN any picture. It sees only 32\u{d7}32 pixels and knows ten classes: \
            airplane, automobile, bird, cat, deer, dog, frog, horse, ship, truck. Everything runs in \
            this browser: your image is never uploaded.",
            "给训练好的 CNN 任意一张图片。它只看到 32\u{d7}32 个像素，只认识十个类别：飞机、汽车、鸟、猫、\
            鹿、狗、青蛙、马、船、卡车。一切都在本浏览器中运行：你的图片永远不会被上传。",
        ),
    },
];

/// The section at `path`.
pub fn section(path: &str) -> &'static Section {
    SECTIONS
        .iter()
        .find(|s| s.path == path)
        .expect("a listed section")
}

/// The site's pages for the post-build hook, as JSON: the site's frame
/// (name, skip link, the navigation's label and items) and each page, the
/// home page first, with its title and description (English: the site's
/// first language; the app switches both for a Chinese reader), its Chinese
/// title, and its head in both languages, which the hook writes into the
/// route's HTML:
/// `{"brand":["…","…"], …, "pages":[{"path":"/tour","title":"Guided tour · Compression Lab",
/// "title_zh":"…","description":"…","head":[["…","…"],["…","…"],["…","…"]]}, …]}`.
pub fn pages_json() -> String {
    let pair = |(en, zh): (&str, &str)| format!("[{},{}]", json_string(en), json_string(zh));
    let page = |path: &str,
                app: &str,
                title: (String, String),
                description: &str,
                head: [(&str, &str); 3]| {
        let head: Vec<String> = head.into_iter().map(pair).collect();
        format!(
            "{{\"path\":{},\"app\":{},\"title\":{},\"title_zh\":{},\"description\":{},\"head\":[{}]}}",
            json_string(path),
            json_string(app),
            json_string(&title.0),
            json_string(&title.1),
            json_string(description),
            head.join(",")
        )
    };
    let mut pages = vec![page(
        "/",
        "landing",
        (NAME.0.to_string(), NAME.1.to_string()),
        HOME_DESCRIPTION.0,
        HOME_HEAD,
    )];
    pages.extend(SECTIONS.iter().map(|s| {
        let title = (
            format!("{} · {}", s.page_title.0, NAME.0),
            format!("{} · {}", s.page_title.1, NAME.1),
        );
        page(
            s.path,
            s.app.name(),
            title,
            s.summary.0,
            [s.eyebrow, s.heading, s.lede],
        )
    }));
    let nav: Vec<String> = SECTIONS
        .iter()
        .map(|s| format!("[{},{}]", json_string(s.path), pair(s.nav)))
        .collect();
    format!(
        "{{\"brand\":{},\"skip\":{},\"sections\":{},\"nav\":[{}],\"pages\":[{}]}}",
        pair(NAME),
        pair(SKIP_LINK),
        pair(NAV_LABEL),
        nav.join(","),
        pages.join(",")
    )
}

/// The frame's skip link and the navigation's name (the app's header and
/// the static HTML say the same).
pub const SKIP_LINK: (&str, &str) = ("Skip to content", "跳到正文");
pub const NAV_LABEL: (&str, &str) = ("Sections", "栏目");

/// A JSON string literal (RFC 8259: quote, backslash and control characters
/// escaped; everything else, Chinese included, as UTF-8).
pub(crate) fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_has_a_distinct_route_and_both_languages() {
        // (the eyebrows of /losses and /optimizers quote the article's Chinese headings in both)
        let mut paths: Vec<_> = SECTIONS.iter().map(|s| s.path).collect();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), SECTIONS.len());
        for s in SECTIONS {
            assert!(s.path.starts_with('/') && s.path.len() > 1);
            for (en, zh) in [s.nav, s.page_title, s.title, s.summary, s.heading, s.lede] {
                assert!(!en.is_empty() && !zh.is_empty(), "{}", s.path);
                assert!(en.chars().any(|c| c.is_ascii_alphabetic()), "{en}");
                assert!(
                    zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{zh}"
                );
            }
        }
    }

    #[test]
    fn json_strings_escape_what_json_requires() {
        assert_eq!(json_string("a\"b\\c\nd 中"), "\"a\\\"b\\\\c\\u000ad 中\"");
    }

    #[test]
    fn the_pages_list_is_json_with_home_first() {
        let json = pages_json();
        assert!(json.starts_with("{\"brand\":[\"Compression Lab\",\"压缩实验室\"]"));
        assert!(json.contains(
            "\"pages\":[{\"path\":\"/\",\"app\":\"landing\",\"title\":\"Compression Lab\""
        ));
        assert_eq!(json.matches("\"path\":").count(), SECTIONS.len() + 1);
        assert!(json.contains("\"title_zh\":\"损失函数计算器 · 压缩实验室\""));
        assert!(json.contains("[\"Train a CNN in your browser\",\"在浏览器中训练CNN\"]"));
        assert!(
            json.contains("\"path\":\"/losses\",\"app\":\"read\",\"title\":\"Loss calculators · Compression Lab\"")
        );
        assert!(json.contains("\"path\":\"/train\",\"app\":\"app\""));
    }

    #[test]
    fn the_pages_that_run_the_engine_share_one_app() {
        // They share one engine worker: a model trained on one is on the others.
        let lab: Vec<_> = SECTIONS
            .iter()
            .filter(|s| s.app == App::Lab)
            .map(|s| s.path)
            .collect();
        assert_eq!(lab.len(), 3);
        for p in ["/train", "/compress", "/classify"] {
            assert!(lab.contains(&p), "{p}");
        }
    }
}

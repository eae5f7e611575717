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

/// The not-found page's title and description.
pub const NOT_FOUND: ((&str, &str), (&str, &str)) = (
    ("Page not found", "页面不存在"),
    ("There is no page at this address.", "这个地址没有页面。"),
);

pub struct Section {
    /// Route, relative to the base path.
    pub path: &'static str,
    /// Short name for the navigation bar (English, Chinese).
    pub nav: (&'static str, &'static str),
    /// The page's own title (the tab and the static HTML of its route).
    pub page_title: (&'static str, &'static str),
    /// Title on the home page.
    pub title: (&'static str, &'static str),
    /// What the visitor can do there.
    pub summary: (&'static str, &'static str),
}

pub const SECTIONS: &[Section] = &[
    Section {
        path: "/tour",
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
    },
    Section {
        path: "/losses",
        page_title: ("Loss calculators", "损失函数计算器"),
        nav: ("Losses", "损失函数"),
        title: ("Loss calculators: MSE and cross-entropy", "损失函数计算器：MSE与交叉熵"),
        summary: (
            "Type labels and predictions, see every term of the loss, switch between nats and bits, \
             and see where the article's worked examples go wrong.",
            "输入标签和预测值，查看损失的每一项，在奈特与比特之间切换，看看文章的算例错在哪里。",
        ),
    },
    Section {
        path: "/optimizers",
        page_title: ("Optimizers, step by step", "逐步演示优化器"),
        nav: ("Optimizers", "优化器"),
        title: ("Optimizers, step by step: GD, SGD, momentum, Adam", "逐步演示优化器：GD、SGD、动量、Adam"),
        summary: (
            "Watch gradient descent, SGD, momentum, RMSProp and Adam walk down real loss surfaces, \
             one inspectable step at a time, race them, and see the article's Adam example corrected.",
            "观看梯度下降、SGD、动量、RMSProp和Adam在真实的损失曲面上一步步下降，每一步都可查看，\
             让它们比赛，并看到文章的Adam算例被修正。",
        ),
    },
    Section {
        path: "/train",
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
    },
    Section {
        path: "/compress",
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
    },
    Section {
        path: "/theorem",
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
    },
    Section {
        path: "/classify",
        page_title: ("Classify your own images", "分类你自己的图片"),
        nav: ("Classify", "分类"),
        title: ("Classify your own images", "分类你自己的图片"),
        summary: (
            "Drop in any picture and see what the trained CNN makes of it: the 32\u{d7}32 image it sees, \
             its five best guesses, and how fast it answers on WebGPU or the CPU. Nothing is uploaded.",
            "放入任意图片，看看训练好的CNN怎么认为：它看到的32\u{d7}32图像、它的五个最佳猜测，\
             以及它在WebGPU或CPU上的响应速度。图片不会被上传。",
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

/// The site's pages for the post-build hook, as JSON: the home page, then
/// each section: `[{"path":"/tour","title":"Guided tour · Compression Lab",
/// "description":"…"}, …]` in English (the site's first language; the app
/// switches both when a visitor reads in Chinese).
pub fn pages_json() -> String {
    let mut pages = vec![("/".to_string(), NAME.0.to_string(), HOME_DESCRIPTION.0)];
    pages.extend(SECTIONS.iter().map(|s| {
        (
            s.path.to_string(),
            format!("{} · {}", s.page_title.0, NAME.0),
            s.summary.0,
        )
    }));
    let items: Vec<String> = pages
        .iter()
        .map(|(path, title, description)| {
            format!(
                "{{\"path\":{},\"title\":{},\"description\":{}}}",
                json_string(path),
                json_string(title),
                json_string(description)
            )
        })
        .collect();
    format!("[{}]", items.join(","))
}

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
        let mut paths: Vec<_> = SECTIONS.iter().map(|s| s.path).collect();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), SECTIONS.len());
        for s in SECTIONS {
            assert!(s.path.starts_with('/') && s.path.len() > 1);
            for (en, zh) in [s.nav, s.page_title, s.title, s.summary] {
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
        assert!(json.starts_with("[{\"path\":\"/\",\"title\":\"Compression Lab\""));
        assert_eq!(json.matches("\"path\":").count(), SECTIONS.len() + 1);
        assert!(
            json.contains("\"path\":\"/losses\",\"title\":\"Loss calculators · Compression Lab\"")
        );
    }
}

//! The classify page: the ranking it shows, and its sentences about timing and
//! a second model's answer.

use crate::data::cifar::class_name;
use crate::lang::Lang;
use crate::math::format::fmt_int;
use crate::protocol::{Classification, EngineError};

/// The five most probable classes, most probable first.
pub fn top5(probs: &[f32]) -> Vec<(usize, f32)> {
    let mut ranked: Vec<(usize, f32)> = probs.iter().copied().enumerate().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranked.truncate(5);
    ranked
}

/// The most probable class.
pub fn top(c: &Classification) -> usize {
    top5(&c.probs).first().map_or(0, |t| t.0)
}

/// "Inference: 3.2 ms on CPU (doc-cnn, 122,570 parameters, 70.1% on the test set)".
pub fn timing(c: &Classification, lang: Lang) -> String {
    let params = fmt_int(c.model.parameters as u64);
    let (arch, backend, ms) = (c.model.arch, c.backend.label(), c.millis);
    let acc = c.model.test_accuracy.map(|a| 100.0 * a);
    let mut s = match (lang, acc) {
        (Lang::En, Some(a)) => format!(
            "Inference: {ms:.1} ms on {backend} ({arch}, {params} parameters, {a:.1}% on the test set)"
        ),
        (Lang::En, None) => format!("Inference: {ms:.1} ms on {backend} ({arch}, {params} parameters)"),
        (Lang::Zh, Some(a)) => format!(
            "推理：在 {backend} 上用时 {ms:.1} 毫秒（{arch}，{params} 个参数，测试集准确率 {a:.1}%）"
        ),
        (Lang::Zh, None) => format!("推理：在 {backend} 上用时 {ms:.1} 毫秒（{arch}，{params} 个参数）"),
    };
    if c.load_millis > 0.5 {
        let load = c.load_millis;
        s += &lang.pick(
            format!(". Loading the model took {load:.0} ms first."),
            format!("。首次载入模型用时 {load:.0} 毫秒。"),
        );
    }
    s
}

/// The second model's answer beside the first's.
pub fn compared(a: &Classification, b: &Result<Classification, EngineError>, lang: Lang) -> String {
    let b = match b {
        Ok(b) => b,
        Err(e) => {
            return lang
                .pick("The second model failed: ", "第二个模型出错：")
                .to_string()
                + &e.message(lang)
        }
    };
    let (ta, tb) = (top(a), top(b));
    let gap = a
        .probs
        .iter()
        .zip(&b.probs)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0f32, f32::max);
    let (arch, params) = (b.model.arch, fmt_int(b.model.parameters as u64));
    let (name, p, gap) = (class_name(tb, lang), 100.0 * b.probs[tb], 100.0 * gap);
    match lang {
        Lang::En => format!(
            "Second model ({arch}, {params} parameters): {name} at {p:.1}% \u{2014} {}; the ten \
             probabilities differ by at most {gap:.1} points.",
            if ta == tb { "the same top answer" } else { "a different top answer" },
        ),
        Lang::Zh => format!(
            "第二个模型（{arch}，{params} 个参数）：{name}，{p:.1}%——{}；十个概率最多相差 {gap:.1} 个百分点。",
            if ta == tb { "首选答案相同" } else { "首选答案不同" },
        ),
    }
}

/// Where a sample picture came from.
pub fn sample_source(k: usize, label: usize, lang: Lang) -> String {
    let name = class_name(label, lang);
    lang.pick(
        format!("CIFAR-10 test sample {} ({name})", k + 1),
        format!("CIFAR-10 测试样本 {}（{name}）", k + 1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{Arch, Backend, ModelInfo};

    fn answer(probs: &[f32], arch: Arch) -> Classification {
        Classification {
            probs: probs.to_vec(),
            millis: 3.21,
            load_millis: 0.0,
            backend: Backend::Cpu,
            model: ModelInfo {
                arch,
                parameters: 122_570,
                test_accuracy: Some(0.7),
            },
        }
    }

    #[test]
    fn the_ranking_keeps_the_five_most_probable() {
        let p = [0.05, 0.3, 0.01, 0.2, 0.1, 0.04, 0.15, 0.05, 0.06, 0.04];
        let t = top5(&p);
        assert_eq!(t.iter().map(|t| t.0).collect::<Vec<_>>(), [1, 3, 6, 4, 8]);
    }

    #[test]
    fn sentences_in_both_languages() {
        let a = answer(
            &[0.1, 0.9, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            Arch::DocCnn,
        );
        assert_eq!(
            timing(&a, Lang::En),
            "Inference: 3.2 ms on CPU (doc-cnn, 122,570 parameters, 70.0% on the test set)"
        );
        let b = answer(
            &[0.6, 0.4, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            Arch::LabCnn,
        );
        let en = compared(&a, &Ok(b.clone()), Lang::En);
        assert!(
            en.contains("airplane at 60.0% — a different top answer"),
            "{en}"
        );
        assert!(en.contains("at most 50.0 points"), "{en}");
        let zh = compared(&a, &Ok(b), Lang::Zh);
        assert!(zh.contains("飞机，60.0%——首选答案不同"), "{zh}");
        let failed = compared(&a, &Err(EngineError::Stopped), Lang::En);
        assert_eq!(
            failed,
            "The second model failed: The engine stopped before answering."
        );
        assert_eq!(sample_source(2, 8, Lang::Zh), "CIFAR-10 测试样本 3（船）");
    }
}

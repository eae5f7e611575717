//! The classify page: the ranking it shows, and its sentences about timing and
//! a second model's answer.

use crate::data::cifar::class_name;
use crate::lang::Lang;
use crate::math::format::fmt_int;
use crate::math::stats::{accuracy_line, interval_note, paired_line, Paired};
use crate::protocol::{Classification, EngineError, ModelInfo};

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

/// "Inference: 3.2 ms on CPU (doc-cnn, 122,570 parameters, 70.1% on the test
/// set)", with the accuracy's 95 % interval when the number of test images is known.
pub fn timing(c: &Classification, lang: Lang) -> String {
    let params = fmt_int(c.model.parameters as u64);
    let (arch, backend, ms) = (c.model.arch, c.backend.label(), c.millis);
    let acc = c.model.test_accuracy.map(|a| {
        let a100 = format!("{:.1}%", 100.0 * a);
        match c.model.test_images {
            Some(n) => a100 + &interval_note((a * n as f64).round() as usize, n, lang),
            None => a100,
        }
    });
    let mut s = match (lang, acc) {
        (Lang::En, Some(a)) => format!(
            "Inference: {ms:.1} ms on {backend} ({arch}, {params} parameters, {a} on the test set)"
        ),
        (Lang::En, None) => {
            format!("Inference: {ms:.1} ms on {backend} ({arch}, {params} parameters)")
        }
        (Lang::Zh, Some(a)) => format!(
            "推理：在 {backend} 上用时 {ms:.1} 毫秒（{arch}，{params} 个参数，测试集准确率 {a}）"
        ),
        (Lang::Zh, None) => {
            format!("推理：在 {backend} 上用时 {ms:.1} 毫秒（{arch}，{params} 个参数）")
        }
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

/// What a shipped compressed model is and what it costs: its size against
/// the original's, and its accuracy against the original's (from its metadata).
pub fn compressed_note(info: &ModelInfo, lang: Lang) -> Option<String> {
    let c = info.compressed_from.as_ref()?;
    let acc = info.test_accuracy?;
    let (plan, steps) = (c.plan.label_in(lang), c.finetune_steps);
    let how = match (c.quantization_aware, c.distilled.is_some()) {
        (false, false) => lang.pick("after pruning", "剪枝后"),
        (true, false) => lang.pick(
            "through its own quantized weights",
            "前向计算使用它自己的量化权重",
        ),
        (false, true) => lang.pick(
            "after pruning, learning from the original's outputs",
            "剪枝后，从原模型的输出中学习",
        ),
        (true, true) => lang.pick(
            "through its own quantized weights, learning from the original's outputs",
            "前向计算使用它自己的量化权重，并从原模型的输出中学习",
        ),
    };
    let (size, from) = (
        fmt_int(info.file_bytes as u64),
        fmt_int(c.source_bytes as u64),
    );
    let ratio = c.source_bytes as f64 / info.file_bytes.max(1) as f64;
    let (a, b, d) = (
        100.0 * acc,
        100.0 * c.source_accuracy,
        100.0 * (acc - c.source_accuracy),
    );
    let src = &c.source;
    if let Some(p) = c.paired {
        let n = p.images;
        let (this, source) = (
            accuracy_line((acc * n as f64).round() as usize, n, lang),
            accuracy_line((c.source_accuracy * n as f64).round() as usize, n, lang),
        );
        let pair = Paired {
            only_a: p.only_source,
            only_b: p.only_this,
        };
        return Some(match lang {
            Lang::En => format!(
                "This is {src} compressed ({plan}, fine-tuned {steps} steps {how}): a {size}-byte \
                 download instead of {from} bytes, {ratio:.1}\u{d7} smaller. On the {n} test images it \
                 scores {this} against the original's {source}. {}",
                paired_line(pair, "the original", "the compressed model", lang)
            ),
            Lang::Zh => format!(
                "这是压缩后的 {src}（{plan}，微调 {steps} 步，{how}）：下载 {size} 字节而不是 {from} 字节，\
                 只有原来的 1/{ratio:.1}。在 {n} 张测试图片上，它的准确率为 {this}，原模型为 {source}。{}",
                paired_line(pair, "原模型", "压缩模型", lang)
            ),
        });
    }
    Some(match lang {
        Lang::En => format!(
            "This is {src} compressed ({plan}, fine-tuned {steps} steps {how}): a {size}-byte \
             download instead of {from} bytes, {ratio:.1}\u{d7} smaller. It scores {a:.2}% on the 860 \
             test images against the original's {b:.2}% ({d:+.2} points)."
        ),
        Lang::Zh => format!(
            "这是压缩后的 {src}（{plan}，微调 {steps} 步，{how}）：下载 {size} 字节而不是 {from} 字节，\
             只有原来的 1/{ratio:.1}。它在 860 张测试图片上的准确率为 {a:.2}%，原模型为 {b:.2}%（{d:+.2} 个百分点）。"
        ),
    })
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
                test_images: None,
                file_bytes: 491_064,
                compressed_from: None,
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
        let mut known = a.clone();
        known.model.test_images = Some(860);
        assert!(timing(&known, Lang::En)
            .contains("70.0% (95 % interval 66.9\u{2013}73.0 %, n = 860) on the test set"));
        assert!(timing(&known, Lang::Zh)
            .contains("测试集准确率 70.0%（95% 区间 66.9\u{2013}73.0%，n = 860）"));
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

    #[test]
    fn a_compressed_model_says_what_it_saves_and_costs() {
        use crate::domain::model_ref::CompressedFrom;
        use crate::domain::{Coding, Granularity, Plan, PruneScope, QuantMode};
        let mut info = answer(&[0.1; 10], Arch::LabCnn).model;
        assert_eq!(compressed_note(&info, Lang::En), None);
        info.file_bytes = 100_000;
        info.test_accuracy = Some(0.7744);
        info.compressed_from = Some(CompressedFrom {
            source: "lab-cnn.safetensors".into(),
            source_bytes: 1_235_464,
            source_accuracy: 0.7907,
            plan: Plan {
                sparsity: 0.6,
                scope: PruneScope::Global,
                coding: Coding::Quantize {
                    bits: 4,
                    mode: QuantMode::Symmetric,
                    granularity: Granularity::PerChannel,
                },
            },
            finetune_steps: 60,
            finetune_seconds: 1000.0,
            quantization_aware: false,
            distilled: None,
            command: "lab compress".into(),
            paired: None,
        });
        let en = compressed_note(&info, Lang::En).unwrap();
        assert!(
            en.contains("a 100,000-byte download instead of 1,235,464 bytes, 12.4× smaller"),
            "{en}"
        );
        assert!(
            en.contains(
                "77.44% on the 860 test images against the original's 79.07% (-1.63 points)"
            ),
            "{en}"
        );
        assert!(en.contains("fine-tuned 60 steps after pruning)"), "{en}");
        let zh = compressed_note(&info, Lang::Zh).unwrap();
        assert!(
            zh.contains("只有原来的 1/12.4") && zh.contains("（-1.63 个百分点）"),
            "{zh}"
        );
        // A quantization-aware, distilled fine-tune says so.
        let c = info.compressed_from.as_mut().unwrap();
        c.quantization_aware = true;
        c.distilled = Some((4.0, 0.9));
        let en = compressed_note(&info, Lang::En).unwrap();
        assert!(
            en.contains("fine-tuned 60 steps through its own quantized weights, learning from the original's outputs)"),
            "{en}"
        );
        let zh = compressed_note(&info, Lang::Zh).unwrap();
        assert!(
            zh.contains("微调 60 步，前向计算使用它自己的量化权重，并从原模型的输出中学习"),
            "{zh}"
        );
        // With the paired score: each accuracy with its interval, and the
        // comparison by the images the two disagree on.
        info.test_accuracy = Some(680.0 / 860.0);
        let c = info.compressed_from.as_mut().unwrap();
        c.source_accuracy = 680.0 / 860.0;
        c.paired = Some(crate::domain::model_ref::PairedScore {
            images: 860,
            only_source: 8,
            only_this: 8,
        });
        let en = compressed_note(&info, Lang::En).unwrap();
        assert!(
            en.contains(
                "On the 860 test images it scores 79.1 % (95 % interval 76.2\u{2013}81.7 %, n = 860) \
                 against the original's 79.1 %"
            ),
            "{en}"
        );
        let pair =
            "they disagree 16 times: 8 only the original gets right, 8 only the compressed model";
        assert!(en.contains(pair), "{en}");
        assert!(en.contains("p = 1.00: no evidence of a difference"), "{en}");
        let zh = compressed_note(&info, Lang::Zh).unwrap();
        assert!(
            zh.contains("79.1%（95% 区间 76.2\u{2013}81.7%，n = 860）")
                && zh.contains("有 16 张判断不同"),
            "{zh}"
        );
    }
}

//! The training page: the settings form, and the lines it shows while a run
//! goes (progress, the compression meter).

use crate::domain::{Arch, CodeMeter, ModelRef, Optimizer, SettingsError, Teacher, TrainSettings};
use crate::lang::Lang;
use crate::math::format::fmt_int;
use crate::math::stats::accuracy_line;
use crate::page::url::{word_of, QueryIn, QueryOut};
use crate::protocol::{BatchStats, EpochStats, TestLook};

/// Training-set sizes and batch sizes the form offers.
pub const SUBSETS: [usize; 4] = [1000, 2000, 5000, 10_000];
pub const BATCH_SIZES: [usize; 5] = [16, 32, 64, 128, 256];
/// Test images shown with the model's guesses after each epoch.
pub const GRID: usize = 24;

/// The form as the visitor filled it in. Numbers typed as text are `f64`
/// until [`TrainForm::settings`] checks them.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainForm {
    pub arch: Arch,
    pub subset: usize,
    pub optimizer: Optimizer,
    pub lr: f64,
    pub momentum: f64,
    pub epochs: f64,
    pub batch_size: usize,
    pub augment: bool,
    pub seed: f64,
    /// Distillation: the teacher, when one is chosen.
    pub teacher: Option<ModelRef>,
    pub temperature: f64,
    pub alpha: f64,
    /// On the CPU backend, every core the browser reports (or one).
    pub every_core: bool,
}

impl Default for TrainForm {
    fn default() -> Self {
        let s = TrainSettings::default();
        TrainForm {
            arch: s.arch,
            subset: s.subset,
            optimizer: s.optimizer,
            lr: s.lr,
            momentum: s.momentum,
            epochs: s.epochs as f64,
            batch_size: s.batch_size,
            augment: s.augment,
            seed: s.seed as f64,
            teacher: None,
            temperature: 4.0,
            alpha: 0.9,
            every_core: !s.one_core,
        }
    }
}

/// Each optimizer's word in the menu and in links.
pub const OPTIMIZERS: [(&str, Optimizer); 3] = [
    ("sgd", Optimizer::Sgd),
    ("momentum", Optimizer::Momentum),
    ("adam", Optimizer::Adam),
];

/// An optimizer's word ([`OPTIMIZERS`]).
pub fn optimizer_word(o: Optimizer) -> &'static str {
    word_of(&OPTIMIZERS, o)
}

impl TrainForm {
    /// The form as a link's query: every field that differs from the page's
    /// defaults (`?model=lab-cnn&lr=0.02`), empty for the page as it opens.
    pub fn to_query(&self) -> String {
        let (d, mut q) = (TrainForm::default(), QueryOut::default());
        q.put("model", self.arch, d.arch);
        q.put("images", self.subset, d.subset);
        q.word("optimizer", &OPTIMIZERS, self.optimizer, d.optimizer);
        q.put("lr", self.lr, d.lr);
        q.put("momentum", self.momentum, d.momentum);
        q.put("epochs", self.epochs, d.epochs);
        q.put("batch", self.batch_size, d.batch_size);
        q.put("augment", self.augment, d.augment);
        q.put("seed", self.seed, d.seed);
        let teacher = self.teacher.as_ref().map(|m| m.to_string());
        q.put("teacher", teacher.unwrap_or_default(), "");
        q.put("temperature", self.temperature, d.temperature);
        q.put("alpha", self.alpha, d.alpha);
        q.put("cores", if self.every_core { "all" } else { "1" }, "all");
        q.finish()
    }

    /// The form a link opens: each key that reads and is in range; anything
    /// else keeps its default (so a link never shows one value and runs another).
    pub fn from_query(search: &str) -> TrainForm {
        let q = QueryIn::parse(search);
        let num = |k: &str, ok: fn(f64) -> bool| q.number(k, |v: &f64| ok(*v));
        let mut f = TrainForm::default();
        f.arch = q.number("model", |_| true).unwrap_or(f.arch);
        f.subset = q
            .number("images", |n| SUBSETS.contains(n))
            .unwrap_or(f.subset);
        f.optimizer = q.word("optimizer", &OPTIMIZERS).unwrap_or(f.optimizer);
        f.lr = num("lr", |v| SettingsError::check_lr(v).is_ok()).unwrap_or(f.lr);
        f.momentum =
            num("momentum", |v| SettingsError::check_momentum(v).is_ok()).unwrap_or(f.momentum);
        f.epochs = num("epochs", |v| SettingsError::check_epochs(v).is_ok()).unwrap_or(f.epochs);
        f.batch_size = q
            .number("batch", |n| BATCH_SIZES.contains(n))
            .unwrap_or(f.batch_size);
        f.augment = q.number("augment", |_| true).unwrap_or(f.augment);
        f.seed = num("seed", |v| SettingsError::check_seed(v).is_ok()).unwrap_or(f.seed);
        f.teacher = q
            .text("teacher")
            .filter(|t| !t.is_empty())
            .map(ModelRef::parse);
        let temperature = num("temperature", |v| {
            SettingsError::check_temperature(v).is_ok()
        });
        f.temperature = temperature.unwrap_or(f.temperature);
        f.alpha = num("alpha", |v| SettingsError::check_alpha(v).is_ok()).unwrap_or(f.alpha);
        f.every_core = q.text("cores") != Some("1");
        f
    }

    /// Choosing an optimizer proposes its learning rate.
    pub fn choose_optimizer(&mut self, o: Optimizer) {
        self.optimizer = o;
        self.lr = o.default_lr();
    }

    /// The run's settings, checked by the one validation ([`TrainSettings::validate`]).
    pub fn settings(&self) -> Result<TrainSettings, SettingsError> {
        SettingsError::check_epochs(self.epochs)?;
        SettingsError::check_seed(self.seed)?;
        let s = TrainSettings {
            arch: self.arch,
            subset: self.subset,
            optimizer: self.optimizer,
            lr: self.lr,
            momentum: self.momentum,
            epochs: self.epochs as usize,
            batch_size: self.batch_size,
            augment: self.augment,
            seed: self.seed as u64,
            teacher: self.teacher.clone().map(|model| Teacher {
                model,
                temperature: self.temperature,
                alpha: self.alpha,
            }),
            weight_decay: 0.0,
            one_core: !self.every_core,
        };
        s.validate()?;
        Ok(s)
    }
}

/// "3 min 5 s", "42 s"; a dash when unknown.
pub fn duration(seconds: f64, lang: Lang) -> String {
    if !seconds.is_finite() {
        return "\u{2014}".into();
    }
    let s = seconds.round() as u64;
    match (lang, s >= 60) {
        (Lang::En, true) => format!("{} min {} s", s / 60, s % 60),
        (Lang::En, false) => format!("{s} s"),
        (Lang::Zh, true) => format!("{} 分 {} 秒", s / 60, s % 60),
        (Lang::Zh, false) => format!("{s} 秒"),
    }
}

/// The line under the progress bar. On the CPU backend it says how many of
/// the cores the browser reports (`reported`) the run trains on: every one
/// (the engine worker and its helpers), or fewer where the browser would
/// not start more workers, or one when distilling (only the engine holds the
/// teacher).
pub fn progress_line(b: &BatchStats, reported: u32, lang: Lang) -> String {
    let left = duration(b.eta_seconds, lang);
    let n = reported.max(b.cores as u32);
    let one_core = match (b.cores as u32, lang) {
        (0, _) => String::new(),
        (1, Lang::En) if n == 1 => " \u{b7} on this browser's one core".into(),
        (1, Lang::Zh) if n == 1 => " \u{b7} 使用本浏览器的 1 个核心".into(),
        (u, Lang::En) if u == n => format!(" \u{b7} on all {n} cores this browser reports"),
        (u, Lang::Zh) if u == n => format!(" \u{b7} 使用本浏览器报告的全部 {n} 个核心"),
        (1, Lang::En) => format!(" \u{b7} on one of the {n} cores this browser reports"),
        (u, Lang::En) => format!(" \u{b7} on {u} of the {n} cores this browser reports"),
        (u, Lang::Zh) => format!(" \u{b7} 使用本浏览器报告的 {n} 个核心中的 {u} 个"),
    };
    match lang {
        Lang::En => format!(
            "Epoch {}/{} \u{b7} batch {}/{} \u{b7} step {}/{} \u{b7} {:.1} images/s{one_core} \u{b7} about {left} left",
            b.epoch, b.epochs, b.batch, b.batches, b.step, b.total_steps, b.images_per_second
        ),
        Lang::Zh => format!(
            "第 {}/{} 个周期 \u{b7} 第 {}/{} 批 \u{b7} 第 {}/{} 步 \u{b7} 每秒 {:.1} 张图片{one_core} \u{b7} 约剩 {left}",
            b.epoch, b.epochs, b.batch, b.batches, b.step, b.total_steps, b.images_per_second
        ),
    }
}

/// The test set's results as chart points against the run's step: each
/// epoch's (`epoch` of it) and each look's (`look` of it), in step order.
pub fn test_points(
    epochs: &[EpochStats],
    looks: &[TestLook],
    epoch: fn(&EpochStats) -> f64,
    look: fn(&TestLook) -> f64,
) -> Vec<(f64, f64)> {
    let mut p: Vec<(f64, f64)> = epochs.iter().map(|e| (e.step as f64, epoch(e))).collect();
    p.extend(looks.iter().map(|l| (l.step as f64, look(l))));
    p.sort_by(|a, b| a.0.total_cmp(&b.0));
    p
}

/// The latest test result of the run, an epoch's or a look's.
pub fn latest_test_line(epochs: &[EpochStats], looks: &[TestLook], lang: Lang) -> Option<String> {
    match (epochs.last(), looks.last()) {
        (Some(e), Some(l)) if l.step > e.step => Some(look_line(l, lang)),
        (Some(e), _) => Some(test_line(e, lang)),
        (None, Some(l)) => Some(look_line(l, lang)),
        (None, None) => None,
    }
}

/// A look at the test set part-way through an epoch: "Test accuracy at
/// epoch 2, batch 150/313: 38.1 % (95 % interval …, n = 860), 14 s after Start."
pub fn look_line(l: &TestLook, lang: Lang) -> String {
    let at = duration(l.seconds, lang);
    let acc = accuracy_line(l.correct, l.n, lang);
    let (e, b, n) = (l.epoch, l.batch, l.batches);
    match lang {
        Lang::En => format!("Test accuracy at epoch {e}, batch {b}/{n}: {acc}, {at} after Start."),
        Lang::Zh => format!("第 {e} 个周期第 {b}/{n} 批时的测试准确率：{acc}，距开始 {at}。"),
    }
}

/// An epoch's held-out result, how sure it is and when it came: "Test
/// accuracy after epoch 2: 41.3 % (95 % interval 38.1–44.7 %, n = 860),
/// 1 min 48 s after Start."
pub fn test_line(e: &EpochStats, lang: Lang) -> String {
    let at = duration(e.seconds, lang);
    // Every test image is counted once in the confusion matrix.
    let n: u32 = e.confusion.iter().sum();
    let correct = (e.test_accuracy * f64::from(n)).round() as usize;
    let acc = accuracy_line(correct, n as usize, lang);
    match lang {
        Lang::En => format!(
            "Test accuracy after epoch {}: {acc}, {at} after Start.",
            e.epoch
        ),
        Lang::Zh => format!("第 {} 个周期后的测试准确率：{acc}，距开始 {at}。", e.epoch),
    }
}

/// "Training images received: 1,000 of 2,000".
pub fn data_line(loaded: usize, total: usize, lang: Lang) -> String {
    let (l, n) = (fmt_int(loaded as u64), fmt_int(total as u64));
    match lang {
        Lang::En => format!("Training images received: {l} of {n}"),
        Lang::Zh => format!("已收到训练图片：{l} / {n}"),
    }
}

/// The compression meter's three lines: the ratio with what it means, how
/// many labels the prequential code has sent, and (from the second epoch on)
/// what re-sent labels cost, named as what it is.
pub struct MeterText {
    pub ratio: String,
    pub code: String,
    pub sent: String,
    pub resent: Option<String>,
    /// With a teacher: what the code length is given.
    pub given: Option<String>,
}

impl MeterText {
    /// `teacher`: the run distils from a teacher, so the code is one given it.
    pub fn new(m: &CodeMeter, teacher: bool, lang: Lang) -> MeterText {
        let uniform = 10f64.log2();
        let (per, n) = (m.per_label(), fmt_int(m.labels as u64));
        let ratio = uniform / per;
        let bits = fmt_int(m.bits.round() as u64);
        let none = fmt_int((uniform * m.labels as f64).round() as u64);
        let total = fmt_int(m.train_size as u64);
        let zh = lang == Lang::Zh;
        let code = match (zh, ratio < 1.0) {
            (false, no) => format!(
                "{}: {n} labels cost {bits} bits under the model ({per:.3} bits each), against \
                 {none} bits ({uniform:.3} each) with no model.",
                if no {
                    " (no compression yet: the untrained model\u{2019}s guesses cost more than \
                     uniform ones)"
                } else {
                    " compression"
                }
            ),
            (true, no) => format!(
                "{}：{n} 个标签在模型下共 {bits} 比特（每个 {per:.3} 比特），不用模型需 {none} 比特\
                 （每个 {uniform:.3} 比特）。",
                if no {
                    "（尚未压缩：未训练模型的猜测比均匀猜测更费比特）"
                } else {
                    " 压缩"
                }
            ),
        };
        let sent = match (zh, m.complete()) {
            (false, false) => {
                format!("Prequential code: {n} of {total} training labels sent, each once.")
            }
            (true, false) => {
                format!("预测序贯编码：已发送 {n}/{total} 个训练标签，每个只发送一次。")
            }
            (false, true) => format!(
                "All {total} training labels sent: the prequential code length of the training \
                 set{} is {bits} bits.",
                if teacher { ", given the teacher," } else { "" }
            ),
            (true, true) => format!(
                "全部 {total} 个训练标签已发送：{}训练集的预测序贯编码长度为 {bits} 比特。",
                if teacher {
                    "在给定教师模型的条件下，"
                } else {
                    ""
                }
            ),
        };
        let given = teacher.then(|| {
            lang.pick(
                "With a teacher, the receiver needs the teacher too, to replay the run, and the teacher \
                 learned from these same labels: this is a code length given the teacher, not of the \
                 labels alone.",
                "有教师模型时，接收方也需要这个教师模型才能重放训练，而教师模型正是用这些标签训练出来的：\
                 所以这是给定教师模型条件下的编码长度，而不是标签本身的编码长度。",
            )
            .to_string()
        });
        let resent = (m.epoch_labels > 0).then(|| {
            let (e, k, per) = (m.epoch, fmt_int(m.epoch_labels as u64), m.epoch_per_label());
            if zh {
                format!(
                    "第 {e} 个周期：之前已发送的 {k} 个标签在当前模型下每个 {per:.3} 比特。这不属于编码\
                     ——模型已经学过这些标签，所以它衡量的是对训练集的拟合，过拟合时还会继续下降。"
                )
            } else {
                format!(
                    "Epoch {e}: the {k} labels sent before cost {per:.3} bits each under the model \
                     now. This is not part of the code \u{2014} the model has learned these labels \
                     already, so it measures how well it fits the training set, and keeps falling \
                     as it over-fits."
                )
            }
        });
        MeterText {
            ratio: format!("{ratio:.2}\u{d7}"),
            code,
            sent,
            resent,
            given,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_round_trips_every_field_and_ignores_what_does_not_read() {
        assert_eq!(TrainForm::default().to_query(), "");
        let f = TrainForm {
            arch: Arch::LabCnnS,
            subset: 5000,
            optimizer: Optimizer::Momentum,
            lr: 0.03,
            momentum: 0.8,
            epochs: 5.0,
            batch_size: 64,
            augment: true,
            seed: 42.0,
            teacher: Some(ModelRef::parse("lab-cnn")),
            temperature: 3.0,
            alpha: 0.7,
            every_core: false,
        };
        let q = f.to_query();
        assert_eq!(
            q,
            "?model=lab-cnn-s&images=5000&optimizer=momentum&lr=0.03&momentum=0.8&epochs=5&batch=64\
             &augment=true&seed=42&teacher=lab-cnn&temperature=3&alpha=0.7&cores=1"
        );
        assert!(
            TrainForm::from_query("?cores=1")
                .settings()
                .unwrap()
                .one_core
        );
        assert!(
            TrainForm::from_query("?cores=8").every_core,
            "only 1 means one"
        );
        assert_eq!(TrainForm::from_query(&q), f);
        // Values out of range, unknown words and sizes the menus lack keep the defaults.
        let bad = TrainForm::from_query(
            "?model=resnet&images=3000&optimizer=lion&lr=-1&batch=7&epochs=2.5&alpha=2&cores=x",
        );
        assert_eq!(bad, TrainForm::default());
        assert_eq!(
            TrainForm::from_query("?optimizer=sgd").optimizer,
            Optimizer::Sgd
        );
    }

    #[test]
    fn the_default_form_gives_the_default_settings() {
        assert_eq!(
            TrainForm::default().settings(),
            Ok(TrainSettings::default())
        );
    }

    #[test]
    fn the_form_is_checked_by_the_one_validation() {
        let mut f = TrainForm {
            epochs: 2.5,
            ..TrainForm::default()
        };
        assert_eq!(f.settings(), Err(SettingsError::Epochs));
        f.epochs = 2.0;
        f.lr = 11.0;
        assert_eq!(f.settings(), Err(SettingsError::LearningRate));
        f.choose_optimizer(Optimizer::Sgd);
        assert_eq!(f.lr, 0.05);
        f.teacher = Some(ModelRef::parse("lab-cnn"));
        f.alpha = 2.0;
        assert_eq!(f.settings(), Err(SettingsError::Alpha));
        f.alpha = 0.5;
        let s = f.settings().unwrap();
        assert_eq!(
            s.teacher.unwrap().model,
            ModelRef::Shipped("lab-cnn".into())
        );
        assert_eq!((s.epochs, s.optimizer), (2, Optimizer::Sgd));
    }

    #[test]
    fn durations_and_progress_read_in_both_languages() {
        assert_eq!(duration(185.2, Lang::En), "3 min 5 s");
        assert_eq!(duration(42.0, Lang::Zh), "42 秒");
        assert_eq!(duration(f64::INFINITY, Lang::En), "\u{2014}");
        let b = BatchStats {
            epoch: 1,
            epochs: 3,
            batch: 2,
            batches: 16,
            step: 2,
            total_steps: 48,
            loss: 2.0,
            accuracy: 0.1,
            lr: 1e-3,
            meter: CodeMeter::new(1000),
            images_per_second: 12.34,
            eta_seconds: 61.0,
            cores: 0,
        };
        assert!(progress_line(&b, 8, Lang::En)
            .starts_with("Epoch 1/3 · batch 2/16 · step 2/48 · 12.3 images/s · about"));
        assert!(progress_line(&b, 8, Lang::Zh).contains("约剩 1 分 1 秒"));
        assert!(
            !progress_line(&b, 8, Lang::En).contains("core"),
            "on the GPU"
        );
        // On the CPU backend the line says how many cores the run uses.
        let cpu = |cores| BatchStats { cores, ..b.clone() };
        assert!(progress_line(&cpu(8), 8, Lang::En).contains(
            "12.3 images/s · on all 8 cores this browser reports · about 1 min 1 s left"
        ));
        assert!(progress_line(&cpu(8), 8, Lang::Zh).contains("使用本浏览器报告的全部 8 个核心"));
        assert!(progress_line(&cpu(3), 8, Lang::En)
            .contains("on 3 of the 8 cores this browser reports"));
        assert!(
            progress_line(&cpu(3), 8, Lang::Zh).contains("使用本浏览器报告的 8 个核心中的 3 个")
        );
        assert!(progress_line(&cpu(1), 8, Lang::En)
            .contains("on one of the 8 cores this browser reports"));
        assert!(progress_line(&cpu(1), 1, Lang::En).contains("on this browser's one core"));
        assert!(progress_line(&cpu(1), 1, Lang::Zh).contains("使用本浏览器的 1 个核心"));
        assert_eq!(
            data_line(1000, 2000, Lang::En),
            "Training images received: 1,000 of 2,000"
        );
    }

    #[test]
    fn the_test_line_says_when_the_accuracy_came() {
        let e = EpochStats {
            epoch: 2,
            step: 345,
            train_loss: 1.7,
            train_accuracy: 0.38,
            test_loss: 1.6,
            test_accuracy: 0.4126,
            per_class: vec![0.4; 10],
            confusion: vec![86; 10],
            grid: vec![],
            seconds: 107.6,
        };
        assert_eq!(
            test_line(&e, Lang::En),
            "Test accuracy after epoch 2: 41.3 % (95 % interval 38.0\u{2013}44.6 %, n = 860), 1 min 48 s after Start."
        );
        assert_eq!(
            test_line(&e, Lang::Zh),
            "第 2 个周期后的测试准确率：41.3%（95% 区间 38.0\u{2013}44.6%，n = 860），距开始 1 分 48 秒。"
        );
        // A look part-way through the next epoch is newer; an older one is not.
        let look = |step| TestLook {
            epoch: 3,
            batch: 150,
            batches: 313,
            step,
            test_loss: 1.5,
            correct: 390,
            n: 860,
            seconds: 14.2,
        };
        let epochs = std::slice::from_ref(&e);
        assert_eq!(
            latest_test_line(epochs, &[look(495)], Lang::En).unwrap(),
            "Test accuracy at epoch 3, batch 150/313: 45.3 % (95 % interval 42.0\u{2013}48.7 %, n = 860), \
             14 s after Start."
        );
        assert_eq!(
            latest_test_line(epochs, &[look(495)], Lang::Zh).unwrap(),
            "第 3 个周期第 150/313 批时的测试准确率：45.3%（95% 区间 42.0\u{2013}48.7%，n = 860），距开始 14 秒。"
        );
        assert_eq!(
            latest_test_line(epochs, &[look(300)], Lang::En),
            Some(test_line(&e, Lang::En))
        );
        assert!(latest_test_line(&[], &[look(30)], Lang::En)
            .unwrap()
            .starts_with("Test accuracy at epoch 3"));
        assert_eq!(latest_test_line(&[], &[], Lang::En), None);
    }

    #[test]
    fn the_meter_says_when_the_code_is_complete() {
        let mut m = CodeMeter::new(4);
        m.add(1, 2, 2.0, 2, 2.0);
        let t = MeterText::new(&m, false, Lang::En);
        assert_eq!(t.ratio, "3.32×");
        assert_eq!(
            t.sent,
            "Prequential code: 2 of 4 training labels sent, each once."
        );
        assert!(t.resent.is_none());
        m.add(1, 2, 2.0, 2, 2.0);
        m.add(2, 4, 1.0, 0, 0.0);
        assert!(t.given.is_none());
        let t = MeterText::new(&m, false, Lang::Zh);
        assert!(t.sent.starts_with("全部 4 个训练标签已发送"));
        assert!(t.resent.unwrap().starts_with("第 2 个周期"));
        // Distilling: the code is one given the teacher, and the meter says so.
        let t = MeterText::new(&m, true, Lang::En);
        assert_eq!(
            t.sent,
            "All 4 training labels sent: the prequential code length of the training set, given the teacher, is 4 bits."
        );
        assert!(t.given.unwrap().contains("a code length given the teacher"));
        let t = MeterText::new(&m, true, Lang::Zh);
        assert!(t.sent.contains("在给定教师模型的条件下"));
        assert!(t.given.unwrap().contains("给定教师模型条件下的编码长度"));
    }
}

//! A training run's settings and their one validation, used by the training
//! form (field by field, as the visitor types), the worker (which trusts no
//! one) and `lab train`; and the compression meter a run reports.

use super::arch::Arch;
use super::model_ref::ModelRef;
use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The optimizers the training page offers (Burn's, with textbook settings).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Optimizer {
    /// Plain SGD: θ ← θ − α g.
    Sgd,
    /// Heavy-ball momentum, no dampening (Burn's default dampening is 0.1).
    Momentum,
    /// Adam with bias correction (AdamW with decay 0; ε = 1e-5, Burn's default).
    Adam,
}

impl Optimizer {
    /// The peak learning rate the form proposes for each.
    pub fn default_lr(self) -> f64 {
        match self {
            Optimizer::Sgd => 0.05,
            Optimizer::Momentum => 0.02,
            Optimizer::Adam => 3e-3,
        }
    }
}

/// A training run, as chosen on the training page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainSettings {
    pub arch: Arch,
    /// Training images to use (the first `subset` of the training set).
    pub subset: usize,
    pub optimizer: Optimizer,
    /// Peak learning rate (linear warm-up over the first 5 % of the steps, at
    /// most an epoch; cosine decay).
    pub lr: f64,
    /// Momentum coefficient (for [`Optimizer::Momentum`]).
    pub momentum: f64,
    pub epochs: usize,
    pub batch_size: usize,
    pub augment: bool,
    pub seed: u64,
    /// Knowledge distillation from a trained model, when set.
    #[serde(default)]
    pub teacher: Option<Teacher>,
    /// Decoupled weight decay for Adam (AdamW, Loshchilov & Hutter 2019); 0 on
    /// the training page, 5e-4 for the models `lab train` ships.
    #[serde(default)]
    pub weight_decay: f64,
    /// Train on the engine's core alone, leaving the others free; by default
    /// the CPU backend uses every core the browser reports
    /// ([`crate::engine::parallel`]).
    #[serde(default)]
    pub one_core: bool,
}

/// The teacher of a distillation run and its softening.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Teacher {
    pub model: ModelRef,
    /// Temperature T > 0 of the softened outputs.
    pub temperature: f64,
    /// Weight α ∈ [0, 1] of the soft term (0: labels alone).
    pub alpha: f64,
}

impl Default for TrainSettings {
    /// The training page's defaults, chosen by the test accuracy a visit of
    /// about two minutes reaches on a CPU (`lab train --cores 2`, then
    /// `scripts/bench-train.mjs`, docs/benchmarks.md): the article's small CNN
    /// on all 10,000 images, batches of 32, Adam at 3e-3, six epochs, no
    /// augmentation. In headless Chromium on 2 cores: 40 % after about 30 s,
    /// 59.7 % when the run ends at about two minutes (the earlier default,
    /// 2,000 images × 3 epochs in batches of 16, ended at 42–45 % after
    /// 18–24 s). The batch-norm CNN learns more per image but costs about
    /// nine times as much per image on a CPU; augmentation pays only over
    /// longer runs.
    fn default() -> Self {
        TrainSettings {
            arch: Arch::DocCnn,
            subset: 10_000,
            optimizer: Optimizer::Adam,
            lr: Optimizer::Adam.default_lr(),
            momentum: 0.9,
            epochs: 6,
            batch_size: 32,
            augment: false,
            seed: 1,
            teacher: None,
            weight_decay: 0.0,
            one_core: false,
        }
    }
}

/// A setting out of its range; [`SettingsError::message`] says so in either language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SettingsError {
    LearningRate,
    Momentum,
    Epochs,
    BatchSize,
    Subset,
    Seed,
    Temperature,
    Alpha,
    WeightDecay,
}

/// The bounds, one place: (lowest, highest) allowed.
pub const LR: (f64, f64) = (0.0, 10.0); // exclusive below
pub const EPOCHS: (usize, usize) = (1, 200);
pub const BATCH: (usize, usize) = (1, 1024);
pub const SUBSET: (usize, usize) = (1, 10_000);
pub const TEMPERATURE: (f64, f64) = (0.1, 100.0);
/// Seeds stay exact as `f64` in a form field.
pub const SEED_MAX: f64 = 1e15;

fn whole(v: f64, (lo, hi): (usize, usize)) -> bool {
    v.fract() == 0.0 && (lo as f64..=hi as f64).contains(&v)
}

impl SettingsError {
    /// Each field's check, on the number a visitor typed.
    pub fn check_lr(v: f64) -> Result<(), Self> {
        (v > LR.0 && v <= LR.1)
            .then_some(())
            .ok_or(Self::LearningRate)
    }
    pub fn check_momentum(v: f64) -> Result<(), Self> {
        (0.0..1.0).contains(&v).then_some(()).ok_or(Self::Momentum)
    }
    pub fn check_epochs(v: f64) -> Result<(), Self> {
        whole(v, EPOCHS).then_some(()).ok_or(Self::Epochs)
    }
    pub fn check_batch(v: f64) -> Result<(), Self> {
        whole(v, BATCH).then_some(()).ok_or(Self::BatchSize)
    }
    pub fn check_subset(v: f64) -> Result<(), Self> {
        whole(v, SUBSET).then_some(()).ok_or(Self::Subset)
    }
    pub fn check_seed(v: f64) -> Result<(), Self> {
        (v.fract() == 0.0 && (0.0..SEED_MAX).contains(&v))
            .then_some(())
            .ok_or(Self::Seed)
    }
    pub fn check_temperature(v: f64) -> Result<(), Self> {
        (TEMPERATURE.0..=TEMPERATURE.1)
            .contains(&v)
            .then_some(())
            .ok_or(Self::Temperature)
    }
    pub fn check_alpha(v: f64) -> Result<(), Self> {
        (0.0..=1.0).contains(&v).then_some(()).ok_or(Self::Alpha)
    }
    pub fn check_weight_decay(v: f64) -> Result<(), Self> {
        (0.0..=1.0)
            .contains(&v)
            .then_some(())
            .ok_or(Self::WeightDecay)
    }

    pub fn message(self, lang: Lang) -> String {
        let (en, zh) = match self {
            Self::LearningRate => (
                "The learning rate must be greater than 0 and at most 10.",
                "学习率必须大于 0 且不超过 10。",
            ),
            Self::Momentum => ("Momentum must be in [0, 1).", "动量必须在 [0, 1) 之间。"),
            Self::Epochs => (
                "A whole number of epochs, 1 to 200.",
                "训练周期数须为 1 到 200 的整数。",
            ),
            Self::BatchSize => (
                "The batch size must be a whole number from 1 to 1,024.",
                "批大小须为 1 到 1024 的整数。",
            ),
            Self::Subset => (
                "The training subset must be 1 to 10,000 images.",
                "训练子集须为 1 到 10000 张图片。",
            ),
            Self::Seed => (
                "The seed must be a whole number \u{2265} 0 (below 10\u{b9}\u{2075}).",
                "随机种子须为 \u{2265} 0 的整数（小于 10\u{b9}\u{2075}）。",
            ),
            Self::Temperature => (
                "The temperature must be between 0.1 and 100.",
                "温度必须在 0.1 到 100 之间。",
            ),
            Self::Alpha => (
                "\u{3b1} must be between 0 (labels only) and 1 (teacher only).",
                "\u{3b1} 必须在 0（只用标签）到 1（只用教师）之间。",
            ),
            Self::WeightDecay => (
                "The weight decay must be between 0 and 1.",
                "权重衰减必须在 0 到 1 之间。",
            ),
        };
        lang.pick(en, zh).to_string()
    }
}

impl crate::lang::Localized for SettingsError {
    fn message(&self, lang: Lang) -> String {
        SettingsError::message(*self, lang)
    }
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for SettingsError {}

impl TrainSettings {
    /// The one validation of a run's settings.
    pub fn validate(&self) -> Result<(), SettingsError> {
        SettingsError::check_lr(self.lr)?;
        SettingsError::check_momentum(self.momentum)?;
        SettingsError::check_epochs(self.epochs as f64)?;
        SettingsError::check_batch(self.batch_size as f64)?;
        SettingsError::check_subset(self.subset as f64)?;
        SettingsError::check_seed(self.seed as f64)?;
        SettingsError::check_weight_decay(self.weight_decay)?;
        if let Some(t) = &self.teacher {
            SettingsError::check_temperature(t.temperature)?;
            SettingsError::check_alpha(t.alpha)?;
        }
        Ok(())
    }
}

/// A run stopped because the loss (or the logits) stopped being finite: the
/// learning rate is too high for the model and optimizer.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diverged {
    pub epoch: usize,
    pub batch: usize,
    /// The run's peak learning rate.
    pub lr: f64,
    /// The loss that was not finite; `None` when the loss was but the logits overflowed.
    pub loss: Option<f64>,
}

impl Diverged {
    pub fn message(&self, lang: Lang) -> String {
        let (e, b, lr) = (self.epoch, self.batch, self.lr);
        match (lang, self.loss) {
            (Lang::En, Some(loss)) => format!(
                "Training diverged at epoch {e}, batch {b}: the loss became {loss}. The learning \
                 rate ({lr}) is too high for this model and optimizer: lower it (try a tenth) and \
                 start again."
            ),
            (Lang::En, None) => format!(
                "Training diverged at epoch {e}, batch {b}: the logits overflowed. The learning \
                 rate ({lr}) is too high for this model and optimizer: lower it (try a tenth) and \
                 start again."
            ),
            (Lang::Zh, Some(loss)) => format!(
                "训练在第 {e} 个周期、第 {b} 批发散：损失变成了 {loss}。学习率（{lr}）对这个模型和\
                 优化器来说太高：请调低（试试十分之一）后重新开始。"
            ),
            (Lang::Zh, None) => format!(
                "训练在第 {e} 个周期、第 {b} 批发散：logits 溢出。学习率（{lr}）对这个模型和\
                 优化器来说太高：请调低（试试十分之一）后重新开始。"
            ),
        }
    }
}

impl fmt::Display for Diverged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for Diverged {}

/// The compression meter of a training run.
///
/// The prequential code (Dawid 1984; Blier & Ollivier 2018) sends each training
/// label once, coded with the model's probabilities *before* the model learns
/// from it: a receiver who runs the same training decodes it label by label.
/// Its length is Σ −log₂ p(y|x) over each label's first appearance — the first
/// pass over the data (records that arrive later join at their first epoch).
/// From the second epoch on, the labels were already sent and learned from:
/// what they cost then is the training set's code length under the current
/// model, an over-fitting-prone number, kept apart here as `epoch_*`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CodeMeter {
    /// The prequential code so far (bits) and the labels it has sent.
    pub bits: f64,
    pub labels: usize,
    /// Labels in the training set: the code is complete when all are sent.
    pub train_size: usize,
    /// The current epoch, and the labels of it that were sent before (in an
    /// earlier epoch) with their Σ −log₂ p(y|x) under the model as it trains.
    pub epoch: usize,
    pub epoch_bits: f64,
    pub epoch_labels: usize,
}

impl CodeMeter {
    pub fn new(train_size: usize) -> Self {
        CodeMeter {
            train_size,
            ..CodeMeter::default()
        }
    }

    /// Adds one batch: `labels` labels costing `bits` in all, of which
    /// `first_labels` (costing `first_bits`) are sent for the first time.
    pub fn add(
        &mut self,
        epoch: usize,
        labels: usize,
        bits: f64,
        first_labels: usize,
        first_bits: f64,
    ) {
        self.bits += first_bits;
        self.labels += first_labels;
        if epoch != self.epoch {
            (self.epoch, self.epoch_bits, self.epoch_labels) = (epoch, 0.0, 0);
        }
        self.epoch_bits += bits - first_bits;
        self.epoch_labels += labels - first_labels;
    }

    /// Every training label has been sent: the prequential code is complete.
    pub fn complete(&self) -> bool {
        self.train_size > 0 && self.labels >= self.train_size
    }

    /// Bits per label: of the prequential code, and of the labels re-sent this epoch.
    pub fn per_label(&self) -> f64 {
        self.bits / self.labels.max(1) as f64
    }
    pub fn epoch_per_label(&self) -> f64 {
        self.epoch_bits / self.epoch_labels.max(1) as f64
    }
}

/// When the training worker looks at the held-out test set part-way through
/// an epoch, so that a visitor sees test accuracy within seconds instead of
/// waiting a whole epoch: in the run's first [`LookClock::EPOCHS`] epochs (the
/// first has only the images that had arrived when it began), once at least
/// [`LookClock::EVERY_S`] seconds have passed since the training began or the
/// last test result, and
/// five times what the last evaluation took (so looks cost at most a sixth of
/// those epochs' time; 860 test images take the CPU backend about as long as
/// 500 training images), and never in an epoch's last tenth (its result is
/// near).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LookClock {
    /// The run's clock (seconds from Start, pauses left out) at the last test
    /// result, and what that evaluation took.
    last: f64,
    cost: f64,
}

impl LookClock {
    pub const EVERY_S: f64 = 5.0;
    pub const EPOCHS: usize = 2;

    /// The clock of a run whose training begins at `now` (the run's clock,
    /// s: loading the data and starting the helpers come before).
    pub fn starting_at(now: f64) -> Self {
        LookClock {
            last: now,
            cost: 0.0,
        }
    }

    /// Whether to look at `now` (the run's clock, s), after batch `batch` of
    /// the `batches` of epoch `epoch`.
    pub fn due(&self, now: f64, epoch: usize, batch: usize, batches: usize) -> bool {
        let wait = Self::EVERY_S.max(5.0 * self.cost);
        epoch <= Self::EPOCHS && now - self.last >= wait && batch * 10 < batches * 9
    }

    /// A test result (a look or an epoch's) came at `now`, its evaluation
    /// having taken `cost` seconds.
    pub fn tested(&mut self, now: f64, cost: f64) {
        (self.last, self.cost) = (now, cost);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_wait_for_five_times_their_cost_and_stop_after_the_second_epoch() {
        // Training began 3 s after Start (the data and the helpers first).
        let mut c = LookClock::starting_at(3.0);
        assert!(
            !c.due(7.9, 1, 10, 100),
            "not before five seconds of training"
        );
        assert!(c.due(8.0, 1, 10, 100));
        assert!(!c.due(50.0, 1, 90, 100), "not in an epoch's last tenth");
        assert!(c.due(50.0, 1, 89, 100));
        // An evaluation that took 2 s: the next waits 10 s of training.
        c.tested(10.0, 2.0);
        assert!(!c.due(19.9, 2, 10, 100));
        assert!(c.due(20.0, 2, 10, 100));
        // A fast one: five seconds still.
        c.tested(30.0, 0.1);
        assert!(!c.due(34.9, 2, 10, 100));
        assert!(c.due(35.0, 2, 10, 100));
        assert!(
            !c.due(99.0, 3, 10, 100),
            "epoch results come often enough from the third"
        );
    }

    #[test]
    fn the_defaults_are_valid_and_each_bound_is_checked() {
        let ok = TrainSettings::default();
        assert_eq!(ok.validate(), Ok(()));
        let bad = |f: fn(&mut TrainSettings)| {
            let mut s = TrainSettings::default();
            f(&mut s);
            s.validate().unwrap_err()
        };
        assert_eq!(bad(|s| s.lr = 0.0), SettingsError::LearningRate);
        assert_eq!(bad(|s| s.lr = f64::NAN), SettingsError::LearningRate);
        assert_eq!(bad(|s| s.lr = 10.5), SettingsError::LearningRate);
        assert_eq!(bad(|s| s.momentum = 1.0), SettingsError::Momentum);
        assert_eq!(bad(|s| s.epochs = 0), SettingsError::Epochs);
        assert_eq!(bad(|s| s.epochs = 201), SettingsError::Epochs);
        assert_eq!(bad(|s| s.batch_size = 1025), SettingsError::BatchSize);
        assert_eq!(bad(|s| s.subset = 10_001), SettingsError::Subset);
        assert_eq!(bad(|s| s.seed = 2e15 as u64), SettingsError::Seed);
        let teach = |t: f64, a: f64| {
            move |s: &mut TrainSettings| {
                s.teacher = Some(Teacher {
                    model: ModelRef::parse("lab-cnn"),
                    temperature: t,
                    alpha: a,
                })
            }
        };
        let mut s = TrainSettings::default();
        teach(4.0, 0.9)(&mut s);
        assert_eq!(s.validate(), Ok(()));
        teach(0.05, 0.9)(&mut s);
        assert_eq!(s.validate(), Err(SettingsError::Temperature));
        teach(4.0, 1.5)(&mut s);
        assert_eq!(s.validate(), Err(SettingsError::Alpha));
        // The form's field checks are the same bounds, on typed numbers.
        assert!(SettingsError::check_epochs(2.5).is_err());
        assert!(SettingsError::check_seed(-1.0).is_err());
    }

    #[test]
    fn every_message_exists_in_both_languages() {
        use SettingsError::*;
        for e in [
            LearningRate,
            Momentum,
            Epochs,
            BatchSize,
            Subset,
            Seed,
            Temperature,
            Alpha,
        ] {
            let (en, zh) = (e.message(Lang::En), e.message(Lang::Zh));
            assert!(en.is_ascii() || en.contains('\u{3b1}') || en.contains('\u{2265}'));
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{zh}"
            );
        }
    }

    #[test]
    fn the_meter_counts_each_label_once_and_keeps_later_epochs_apart() {
        let mut m = CodeMeter::new(6);
        // Epoch 1: six new labels in two batches.
        m.add(1, 4, 12.0, 4, 12.0);
        m.add(1, 2, 5.0, 2, 5.0);
        assert!(m.complete());
        assert_eq!((m.labels, m.bits), (6, 17.0));
        assert_eq!(m.epoch_labels, 0);
        // Epoch 2: the same labels again, cheaper now; the code does not change.
        m.add(2, 4, 2.0, 0, 0.0);
        m.add(2, 2, 1.0, 0, 0.0);
        assert_eq!((m.labels, m.bits), (6, 17.0));
        assert_eq!((m.epoch, m.epoch_labels, m.epoch_bits), (2, 6, 3.0));
        assert!((m.epoch_per_label() - 0.5).abs() < 1e-12);
        // Epoch 3 starts its own count; a record arriving late is sent once.
        m.add(3, 3, 4.0, 1, 3.0);
        assert_eq!((m.labels, m.bits), (7, 20.0));
        assert_eq!((m.epoch_labels, m.epoch_bits), (2, 1.0));
        assert!(!CodeMeter::new(0).complete());
    }
}

//! The two CNNs, in the style of Burn's examples: `XxxConfig::init(&device)`
//! beside `Xxx`, a shape comment on every tensor line.
//!
//! * [`DocCnn`]: the article's Keras model, layer for layer: Conv32–Pool–Conv64–
//!   Pool–Conv64–Dense64–Dense10, 3×3 "valid" convolutions, ReLU (122,570 parameters).
//! * [`LabCnn`]: this site's default: same-padded 3×3 convolutions with batch
//!   normalization in three stages (32, 64, 128 channels), dropout before the
//!   classifier. Batch norm lets it train fast at a high learning rate.

use super::conv;
use super::readback::read;
use super::relu_gpu::relu;
use super::weights::Weights;
use crate::codec::{arch, FileError, FileProblem};
use crate::domain::inspect::StageKind;
use crate::domain::Arch;
use burn::module::{Param, RunningState};
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::pool::{MaxPool2d, MaxPool2dConfig};
use burn::nn::{
    BatchNorm, BatchNormConfig, Dropout, DropoutConfig, Linear, LinearConfig, PaddingConfig2d,
};
use burn::prelude::*;

/// What both models offer to training, evaluation and the compression lab.
pub trait Classifier: Module + Sized {
    /// `[batch, 3, 32, 32]` normalized images → `[batch, 10]` logits.
    fn forward(&self, images: Tensor<4>) -> Tensor<2>;
    /// Every parameter (and batch-norm statistic), named, in a fixed order,
    /// still on its device.
    fn tensors(&self) -> Vec<Named>;
    /// Replaces every tensor from `w`; a missing tensor or a wrong shape is an error
    /// that names it (e.g. a file for the other architecture).
    fn load_weights(self, w: &Weights, device: &Device) -> Result<Self, FileError>;
    /// The architecture, as stored in weights files.
    fn arch(&self) -> Arch;
    /// The forward pass stage by stage (the layer view on `/classify`): each
    /// intermediate tensor with what it is, and the logits, which equal
    /// [`Classifier::forward`]'s (a test holds them together).
    fn trace(&self, images: Tensor<4>) -> (Vec<Traced>, Tensor<2>);
}

/// One stage of [`Classifier::trace`].
pub struct Traced {
    pub kind: StageKind,
    /// The layer's name in weights files; empty for pooling.
    pub layer: &'static str,
    /// The convolution's weight tensor name, for its kernels.
    pub weight: Option<String>,
    /// `[batch, channels, height, width]`; a dense stage is `[batch, n, 1, 1]`.
    pub values: Tensor<4>,
}

/// Collects [`Traced`] stages as a forward pass goes.
#[derive(Default)]
struct Tracer(Vec<Traced>);

impl Tracer {
    fn see(
        &mut self,
        kind: StageKind,
        layer: &'static str,
        weight: Option<String>,
        x: Tensor<4>,
    ) -> Tensor<4> {
        self.0.push(Traced {
            kind,
            layer,
            weight,
            values: x.clone(),
        });
        x
    }

    fn conv(&mut self, layer: &'static str, weight: String, x: Tensor<4>) -> Tensor<4> {
        self.see(StageKind::Conv, layer, Some(weight), x)
    }

    fn pool(&mut self, x: Tensor<4>) -> Tensor<4> {
        self.see(StageKind::Pool, "", None, x)
    }

    fn dense(&mut self, layer: &'static str, x: Tensor<2>) -> Tensor<2> {
        let [b, n] = x.dims();
        self.see(
            StageKind::Dense,
            layer,
            None,
            x.clone().reshape([b, n, 1, 1]),
        );
        x
    }
}

/// A named tensor, flattened, with its shape: what a weights file stores.
pub struct Named {
    pub name: String,
    pub shape: Vec<usize>,
    pub values: Tensor<1>,
}

/// Every tensor of `m` ([`Classifier::tensors`]) read back as a weights file.
pub async fn to_weights<M: Classifier>(m: &M) -> Result<Weights, super::Error> {
    let mut w = Weights::default();
    for t in m.tensors() {
        let data = read(t.values).await?;
        w.push(&t.name, t.shape, data);
    }
    w.metadata.insert("arch".into(), m.arch().to_string());
    Ok(w)
}

// tour:doc-cnn:begin
/// The article's CNN (Keras `Sequential` in its §2.2).
#[derive(Module, Debug)]
pub struct DocCnn {
    conv1: Conv2d,
    conv2: Conv2d,
    conv3: Conv2d,
    pool: MaxPool2d,
    fc1: Linear,
    fc2: Linear,
}

#[derive(Config, Debug)]
pub struct DocCnnConfig {
    #[config(default = "10")]
    pub num_classes: usize,
}

impl DocCnnConfig {
    pub fn init(&self, device: &Device) -> DocCnn {
        let conv = |i, o| Conv2dConfig::new([i, o], [3, 3]).init(device);
        DocCnn {
            conv1: conv(3, 32),
            conv2: conv(32, 64),
            conv3: conv(64, 64),
            pool: MaxPool2dConfig::new([2, 2]).init(),
            fc1: LinearConfig::new(64 * 4 * 4, 64).init(device),
            fc2: LinearConfig::new(64, self.num_classes).init(device),
        }
    }
}

impl Classifier for DocCnn {
    fn forward(&self, x: Tensor<4>) -> Tensor<2> {
        let x = relu(conv::forward(&self.conv1, x)); // [b, 32, 30, 30]
        let x = self.pool.forward(x); // [b, 32, 15, 15]
        let x = relu(conv::forward(&self.conv2, x)); // [b, 64, 13, 13]
        let x = self.pool.forward(x); // [b, 64, 6, 6]
        let x = relu(conv::forward(&self.conv3, x)); // [b, 64, 4, 4]
        let x = x.flatten::<2>(1, 3); // [b, 1024]
        let x = relu(conv::dense(&self.fc1, x)); // [b, 64]
        conv::dense(&self.fc2, x) // [b, 10]
    }
    // tour:doc-cnn:end

    fn tensors(&self) -> Vec<Named> {
        let mut w = Vec::new();
        put_conv(&mut w, "conv1", &self.conv1);
        put_conv(&mut w, "conv2", &self.conv2);
        put_conv(&mut w, "conv3", &self.conv3);
        put_linear(&mut w, "fc1", &self.fc1);
        put_linear(&mut w, "fc2", &self.fc2);
        w
    }

    fn load_weights(mut self, w: &Weights, device: &Device) -> Result<Self, FileError> {
        check_arch(w, self.arch())?;
        self.conv1 = get_conv(w, "conv1", self.conv1, device)?;
        self.conv2 = get_conv(w, "conv2", self.conv2, device)?;
        self.conv3 = get_conv(w, "conv3", self.conv3, device)?;
        self.fc1 = get_linear(w, "fc1", self.fc1, device)?;
        self.fc2 = get_linear(w, "fc2", self.fc2, device)?;
        Ok(self)
    }

    fn arch(&self) -> Arch {
        Arch::DocCnn
    }

    fn trace(&self, x: Tensor<4>) -> (Vec<Traced>, Tensor<2>) {
        let mut t = Tracer::default();
        let x = t.conv(
            "conv1",
            "conv1.weight".into(),
            relu(conv::forward(&self.conv1, x)),
        ); // [b, 32, 30, 30]
        let x = t.pool(self.pool.forward(x)); // [b, 32, 15, 15]
        let x = t.conv(
            "conv2",
            "conv2.weight".into(),
            relu(conv::forward(&self.conv2, x)),
        ); // [b, 64, 13, 13]
        let x = t.pool(self.pool.forward(x)); // [b, 64, 6, 6]
        let x = t.conv(
            "conv3",
            "conv3.weight".into(),
            relu(conv::forward(&self.conv3, x)),
        ); // [b, 64, 4, 4]
        let x = t.dense("fc1", relu(conv::dense(&self.fc1, x.flatten::<2>(1, 3)))); // [b, 64]
        (t.0, conv::dense(&self.fc2, x)) // [b, 10]
    }
}

/// One convolution + batch norm + ReLU.
#[derive(Module, Debug)]
pub struct ConvBlock {
    conv: Conv2d,
    norm: BatchNorm,
}

impl ConvBlock {
    fn new(channels: [usize; 2], device: &Device) -> Self {
        ConvBlock {
            conv: Conv2dConfig::new(channels, [3, 3])
                .with_padding(PaddingConfig2d::Same)
                .with_bias(false) // batch norm's β plays the bias
                .init(device),
            norm: BatchNormConfig::new(channels[1]).init(device),
        }
    }

    fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        relu(self.norm.forward(conv::forward(&self.conv, x))) // [b, c_out, h, w]
    }
}

/// This site's default CNN.
#[derive(Module, Debug)]
pub struct LabCnn {
    b1: ConvBlock,
    b2: ConvBlock,
    b3: ConvBlock,
    b4: ConvBlock,
    b5: ConvBlock,
    b6: ConvBlock,
    pool: MaxPool2d,
    dropout: Dropout,
    fc: Linear,
}

#[derive(Config, Debug)]
pub struct LabCnnConfig {
    #[config(default = "10")]
    pub num_classes: usize,
    /// Channels of the three stages.
    #[config(default = "[32, 64, 128]")]
    pub widths: [usize; 3],
    #[config(default = "0.3")]
    pub dropout: f64,
}

impl LabCnnConfig {
    pub fn init(&self, device: &Device) -> LabCnn {
        let [a, b, c] = self.widths;
        LabCnn {
            b1: ConvBlock::new([3, a], device),
            b2: ConvBlock::new([a, a], device),
            b3: ConvBlock::new([a, b], device),
            b4: ConvBlock::new([b, b], device),
            b5: ConvBlock::new([b, c], device),
            b6: ConvBlock::new([c, c], device),
            pool: MaxPool2dConfig::new([2, 2]).init(),
            dropout: DropoutConfig::new(self.dropout).init(),
            fc: LinearConfig::new(c * 4 * 4, self.num_classes).init(device),
        }
    }
}

impl Classifier for LabCnn {
    fn forward(&self, x: Tensor<4>) -> Tensor<2> {
        let x = self.b2.forward(self.b1.forward(x)); // [b, 32, 32, 32]
        let x = self.pool.forward(x); // [b, 32, 16, 16]
        let x = self.b4.forward(self.b3.forward(x)); // [b, 64, 16, 16]
        let x = self.pool.forward(x); // [b, 64, 8, 8]
        let x = self.b6.forward(self.b5.forward(x)); // [b, 128, 8, 8]
        let x = self.pool.forward(x); // [b, 128, 4, 4]
        let x = x.flatten::<2>(1, 3); // [b, 2048]
        conv::dense(&self.fc, self.dropout.forward(x)) // [b, 10]
    }

    fn tensors(&self) -> Vec<Named> {
        let mut w = Vec::new();
        for (name, b) in self.blocks() {
            put_conv(&mut w, &format!("{name}.conv"), &b.conv);
            put_norm(&mut w, &format!("{name}.norm"), &b.norm);
        }
        put_linear(&mut w, "fc", &self.fc);
        w
    }

    fn load_weights(mut self, w: &Weights, device: &Device) -> Result<Self, FileError> {
        check_arch(w, self.arch())?;
        let load = |name: &str, b: ConvBlock| -> Result<ConvBlock, FileError> {
            Ok(ConvBlock {
                conv: get_conv(w, &format!("{name}.conv"), b.conv, device)?,
                norm: get_norm(w, &format!("{name}.norm"), b.norm, device)?,
            })
        };
        self.b1 = load("b1", self.b1)?;
        self.b2 = load("b2", self.b2)?;
        self.b3 = load("b3", self.b3)?;
        self.b4 = load("b4", self.b4)?;
        self.b5 = load("b5", self.b5)?;
        self.b6 = load("b6", self.b6)?;
        self.fc = get_linear(w, "fc", self.fc, device)?;
        Ok(self)
    }

    fn trace(&self, x: Tensor<4>) -> (Vec<Traced>, Tensor<2>) {
        let mut t = Tracer::default();
        let mut x = x;
        for (i, (name, b)) in self.blocks().into_iter().enumerate() {
            x = t.conv(name, format!("{name}.conv.weight"), b.forward(x)); // [b, c, h, w]
            if i % 2 == 1 {
                x = t.pool(self.pool.forward(x)); // [b, c, h/2, w/2]
            }
        }
        // Dropout is the identity outside training.
        (t.0, conv::dense(&self.fc, x.flatten::<2>(1, 3))) // [b, 10]
    }

    /// `lab-cnn`, or `lab-cnn-s` for the half-width student.
    fn arch(&self) -> Arch {
        if self.fc.weight.dims()[0] == STUDENT_WIDTHS[2] * 16 {
            Arch::LabCnnS
        } else {
            Arch::LabCnn
        }
    }
}

pub use crate::codec::arch::STUDENT_WIDTHS;

impl LabCnn {
    fn blocks(&self) -> [(&'static str, &ConvBlock); 6] {
        [
            ("b1", &self.b1),
            ("b2", &self.b2),
            ("b3", &self.b3),
            ("b4", &self.b4),
            ("b5", &self.b5),
            ("b6", &self.b6),
        ]
    }
}

/// Either architecture, chosen at run time by a weights file's `arch` metadata
/// (the worker and the CLI load whatever file they are given).
#[derive(Module, Debug)]
#[allow(clippy::large_enum_variant)] // a handful of live models; boxing would hide the Module derive
pub enum AnyModel {
    Doc(DocCnn),
    Lab(LabCnn),
}

impl AnyModel {
    /// A fresh (untrained) model of the named architecture.
    pub fn new(arch: Arch, device: &Device) -> Self {
        match arch {
            Arch::DocCnn => AnyModel::Doc(DocCnnConfig::new().init(device)),
            Arch::LabCnn => AnyModel::Lab(LabCnnConfig::new().init(device)),
            Arch::LabCnnS => {
                AnyModel::Lab(LabCnnConfig::new().with_widths(STUDENT_WIDTHS).init(device))
            }
        }
    }

    /// Builds the architecture `w` declares and loads it, after the one
    /// framework-free check of its tensors ([`arch::check`]).
    pub fn from_weights(w: &Weights, device: &Device) -> Result<Self, FileError> {
        let arch = arch::check(w)?;
        // After the check, loading cannot fail; if it did, the file is at fault.
        Self::new(arch, device).load_weights(w, device)
    }
}

impl Classifier for AnyModel {
    fn forward(&self, images: Tensor<4>) -> Tensor<2> {
        match self {
            AnyModel::Doc(m) => m.forward(images),
            AnyModel::Lab(m) => m.forward(images),
        }
    }

    fn tensors(&self) -> Vec<Named> {
        match self {
            AnyModel::Doc(m) => m.tensors(),
            AnyModel::Lab(m) => m.tensors(),
        }
    }

    fn load_weights(self, w: &Weights, device: &Device) -> Result<Self, FileError> {
        Ok(match self {
            AnyModel::Doc(m) => AnyModel::Doc(m.load_weights(w, device)?),
            AnyModel::Lab(m) => AnyModel::Lab(m.load_weights(w, device)?),
        })
    }

    fn arch(&self) -> Arch {
        match self {
            AnyModel::Doc(m) => m.arch(),
            AnyModel::Lab(m) => m.arch(),
        }
    }

    fn trace(&self, images: Tensor<4>) -> (Vec<Traced>, Tensor<2>) {
        match self {
            AnyModel::Doc(m) => m.trace(images),
            AnyModel::Lab(m) => m.trace(images),
        }
    }
}

fn check_arch(w: &Weights, want: Arch) -> Result<(), FileError> {
    match w.metadata.get("arch") {
        Some(a) if a != want.name() => Err(FileError::new(
            FileProblem::OtherArchitecture,
            format!("This file holds a {a} model, not a {want}: choose the matching architecture."),
        )),
        _ => Ok(()),
    }
}

fn put<const D: usize>(w: &mut Vec<Named>, name: &str, t: Tensor<D>) {
    let shape = t.dims().to_vec();
    w.push(Named {
        name: name.to_string(),
        shape,
        values: t.flatten::<1>(0, D - 1),
    });
}

fn put_conv(w: &mut Vec<Named>, name: &str, c: &Conv2d) {
    put(w, &format!("{name}.weight"), c.weight.val());
    if let Some(b) = &c.bias {
        put(w, &format!("{name}.bias"), b.val());
    }
}

fn put_linear(w: &mut Vec<Named>, name: &str, l: &Linear) {
    put(w, &format!("{name}.weight"), l.weight.val());
    if let Some(b) = &l.bias {
        put(w, &format!("{name}.bias"), b.val());
    }
}

fn put_norm(w: &mut Vec<Named>, name: &str, n: &BatchNorm) {
    put(w, &format!("{name}.gamma"), n.gamma.val());
    put(w, &format!("{name}.beta"), n.beta.val());
    put(w, &format!("{name}.running_mean"), n.running_mean.value());
    put(w, &format!("{name}.running_var"), n.running_var.value());
}

fn tensor<const D: usize>(
    w: &Weights,
    name: &str,
    shape: [usize; D],
    device: &Device,
) -> Result<Tensor<D>, FileError> {
    let other = |detail: String| FileError::new(FileProblem::OtherArchitecture, detail);
    let t = w.get(name).ok_or_else(|| {
        other(format!(
            "The weights file has no tensor {name}: it is for another architecture."
        ))
    })?;
    if t.shape != shape {
        return Err(other(format!(
            "Tensor {name} has shape {:?}, but this model needs {:?}: it is for another architecture.",
            t.shape, shape
        )));
    }
    Ok(Tensor::from_data(
        TensorData::new(t.data.clone(), shape),
        device,
    ))
}

fn get_conv(w: &Weights, name: &str, mut c: Conv2d, device: &Device) -> Result<Conv2d, FileError> {
    let shape: [usize; 4] = c.weight.dims();
    c.weight = Param::from_tensor(tensor(w, &format!("{name}.weight"), shape, device)?);
    if let Some(b) = &c.bias {
        let shape: [usize; 1] = b.dims();
        c.bias = Some(Param::from_tensor(tensor(
            w,
            &format!("{name}.bias"),
            shape,
            device,
        )?));
    }
    Ok(c)
}

fn get_linear(
    w: &Weights,
    name: &str,
    mut l: Linear,
    device: &Device,
) -> Result<Linear, FileError> {
    let shape: [usize; 2] = l.weight.dims();
    l.weight = Param::from_tensor(tensor(w, &format!("{name}.weight"), shape, device)?);
    if let Some(b) = &l.bias {
        let shape: [usize; 1] = b.dims();
        l.bias = Some(Param::from_tensor(tensor(
            w,
            &format!("{name}.bias"),
            shape,
            device,
        )?));
    }
    Ok(l)
}

fn get_norm(
    w: &Weights,
    name: &str,
    mut n: BatchNorm,
    device: &Device,
) -> Result<BatchNorm, FileError> {
    let shape: [usize; 1] = n.gamma.dims();
    n.gamma = Param::from_tensor(tensor(w, &format!("{name}.gamma"), shape, device)?);
    n.beta = Param::from_tensor(tensor(w, &format!("{name}.beta"), shape, device)?);
    n.running_mean = RunningState::new(tensor(w, &format!("{name}.running_mean"), shape, device)?);
    n.running_var = RunningState::new(tensor(w, &format!("{name}.running_var"), shape, device)?);
    Ok(n)
}

/// Re-initializes every tensor from `seed` alone (He-uniform weights, zero biases,
/// batch norm at identity), so a training run is reproducible whatever else has
/// drawn from Burn's global random generator (tests run in parallel threads).
pub fn init_seeded<M: Classifier>(model: M, seed: u64, device: &Device) -> M {
    let mut rng = crate::math::rng::SplitMix64::new(seed);
    // Only the names and shapes are needed: every value is drawn here.
    let mut w = Weights::default();
    for t in model.tensors() {
        let n = t.shape.iter().product();
        w.push(&t.name, t.shape, vec![0.0; n]);
    }
    w.metadata.insert("arch".into(), model.arch().to_string());
    for t in &mut w.tensors {
        let name = t.name.as_str();
        if name.ends_with(".weight") {
            // conv [out, in, kh, kw]: fan-in = in·kh·kw; linear [in, out]: fan-in = in.
            let fan_in = if t.shape.len() == 4 {
                t.shape[1..].iter().product::<usize>()
            } else {
                t.shape[0]
            };
            let k = (6.0 / fan_in as f64).sqrt();
            t.data
                .iter_mut()
                .for_each(|v| *v = ((2.0 * rng.next_f64() - 1.0) * k) as f32);
        } else if name.ends_with(".gamma") || name.ends_with(".running_var") {
            t.data.iter_mut().for_each(|v| *v = 1.0);
        } else {
            t.data.iter_mut().for_each(|v| *v = 0.0);
        }
    }
    model
        .load_weights(&w, device)
        .expect("a model's own tensors load back into it")
}

#[cfg(test)]
impl DocCnn {
    /// The first stage, computed apart from [`Classifier::trace`] (for its test).
    pub fn first_stage(&self, x: Tensor<4>) -> Tensor<4> {
        relu(conv::forward(&self.conv1, x))
    }
}

#[cfg(test)]
impl LabCnn {
    /// The first stage, computed apart from [`Classifier::trace`] (for its test).
    pub fn first_stage(&self, x: Tensor<4>) -> Tensor<4> {
        relu(self.b1.norm.forward(conv::forward(&self.b1.conv, x)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The framework-free tensor lists (what files are checked and fuzzed
    /// against) are exactly the Burn models' tensors, names, shapes and order.
    #[test]
    fn architecture_lists_match_the_burn_models() {
        for a in Arch::ALL {
            let m = AnyModel::new(a, &crate::engine::cpu());
            assert_eq!(m.arch(), a);
            let burn: Vec<(String, Vec<usize>)> =
                m.tensors().into_iter().map(|t| (t.name, t.shape)).collect();
            assert_eq!(burn, arch::tensors(a), "{a}");
            // A file written from the model passes the check and loads back.
            let w = crate::engine::block_on(to_weights(&m)).unwrap();
            assert_eq!(arch::check(&w), Ok(a));
            assert!(AnyModel::from_weights(&w, &crate::engine::cpu()).is_ok());
        }
    }
}

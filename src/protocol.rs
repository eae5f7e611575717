//! The messages between the page and the engine worker. Both sides are Rust:
//! the page (feature `ui`) and the worker (feature `engine`) share these types,
//! sent as structured clones through `serde-wasm-bindgen`.
//!
//! A request is a type that names its reply ([`Call::Reply`]): the page sends
//! `ToWorker::Call { id, request }` and gets back `FromWorker::Reply { id, reply }`
//! carrying `Result<Reply, EngineError>`, whose variant has the request's name.
//! The page's `Engine::call` turns that into `Result<R::Reply, EngineError>`, so
//! no page ever matches on a reply it did not ask for. Training is a request
//! too (its reply says the run started); its progress and its [`RunOutcome`]
//! arrive as events.

use serde::{Deserialize, Serialize};

pub use crate::domain::inspect::{Inspection, SaliencyMaps};
pub use crate::domain::{
    Arch, CodeMeter, Coding, CompressReport, Diverged, FileProblem, Granularity, LabelsProblem,
    LayerStats, ModelRef, Optimizer, Plan, PruneScope, QuantMode, SettingsError, SizeAccount,
    Sweep, Teacher, TrainSettings, HIST_BINS,
};
use crate::lang::{Lang, Localized};
pub use crate::text::{
    Baseline, Coded as CodedText, Coder, Decoded as DecodedText, FileError as TextFileError,
};

/// Which Burn backend runs the engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Backend {
    /// `burn-wgpu` on the browser's WebGPU.
    WebGpu,
    /// Burn's ndarray backend on the CPU (in the worker's thread).
    Cpu,
}

impl Backend {
    pub fn label(self) -> &'static str {
        match self {
            Backend::WebGpu => "WebGPU",
            Backend::Cpu => "CPU",
        }
    }
}

/// What runs the engine, as the browser (or Burn) names it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Adapter {
    /// The browser's words for the GPU ("google swiftshader"), or the CPU
    /// backend's name; empty when the browser gives none.
    pub name: String,
    /// The browser's software fallback (no GPU).
    pub software: bool,
}

impl Adapter {
    /// How the page qualifies the name: "(unnamed adapter)", "(software fallback adapter)".
    pub fn note(&self, lang: Lang) -> Option<&'static str> {
        match (self.name.is_empty(), self.software) {
            (_, true) => Some(lang.pick("(software fallback adapter)", "（软件回退适配器）")),
            (true, false) => Some(lang.pick("(unnamed adapter)", "（未命名的适配器）")),
            (false, false) => None,
        }
    }
}

/// A request and the type of its reply.
pub trait Call: Into<Request> {
    type Reply;
    /// The reply, when `reply` answers this kind of request.
    fn reply(reply: Reply) -> Option<Self::Reply>;
}

/// Answers one kind of request with its own reply type (the worker
/// implements it once per request; [`dispatch`] calls it).
#[allow(async_fn_in_trait)] // single-threaded: the worker's futures need not be Send
pub trait Answer<R: Call> {
    async fn answer(&self, request: R) -> Result<R::Reply, EngineError>;
}

/// Declares each request struct, the [`Request`] and [`Reply`] enums (one
/// variant per request, same name), the [`Call`] that ties them, and
/// [`dispatch`], which pairs each request with its reply: an answer of the
/// wrong type does not compile.
macro_rules! requests {
    ($(
        $(#[$doc:meta])*
        $name:ident { $( $(#[$fattr:meta])* $field:ident : $ty:ty ),* $(,)? } => $reply:ty;
    )*) => {
        $(
            $(#[$doc])*
            #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
            pub struct $name { $( $(#[$fattr])* pub $field: $ty ),* }

            impl From<$name> for Request {
                fn from(r: $name) -> Request {
                    Request::$name(r)
                }
            }

            impl Call for $name {
                type Reply = $reply;
                fn reply(reply: Reply) -> Option<$reply> {
                    match reply {
                        Reply::$name(r) => Some(r),
                        #[allow(unreachable_patterns)]
                        _ => None,
                    }
                }
            }
        )*

        /// Every request (page → worker, inside [`ToWorker::Call`]).
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        pub enum Request { $( $name($name) ),* }

        /// Every reply, by the name of the request it answers.
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        pub enum Reply { $( $name($reply) ),* }

        /// Answers `request` with the answerer's [`Answer`] for its kind, wrapped
        /// in the [`Reply`] variant of the same name.
        pub async fn dispatch<W>(answerer: &W, request: Request) -> Result<Reply, EngineError>
        where
            W: $( Answer<$name> + )* Sized,
        {
            Ok(match request {
                $( Request::$name(r) => Reply::$name(<W as Answer<$name>>::answer(answerer, r).await?), )*
            })
        }

        impl Request {
            /// The request's name, for logs and tests.
            pub fn name(&self) -> &'static str {
                match self { $( Request::$name(_) => stringify!($name) ),* }
            }
        }

        impl Reply {
            /// The name of the request this answers.
            pub fn name(&self) -> &'static str {
                match self { $( Reply::$name(_) => stringify!($name) ),* }
            }
        }
    };
}

requests! {
    /// Classify one 32×32 image, CIFAR-10 layout (R plane, G plane, B plane).
    Classify { model: ModelRef, #[serde(with = "serde_bytes")] image: Vec<u8> } => Classification;
    /// Every stage of `model`'s forward pass for one image (the layer view).
    Inspect { model: ModelRef, #[serde(with = "serde_bytes")] image: Vec<u8> } => Box<Inspection>;
    /// Which pixels decide `class` for one image: gradient and occlusion maps.
    Saliency { model: ModelRef, #[serde(with = "serde_bytes")] image: Vec<u8>, class: usize } => SaliencyMaps;
    /// The models saved in this browser.
    ListModels {} => Vec<SavedModel>;
    /// A saved model's file, for a download.
    ExportModel { key: String } => NamedFile;
    DeleteModel { key: String } => ();
    /// A weights file the visitor chose: checked, then saved in this browser.
    ImportModel { name: String, #[serde(with = "serde_bytes")] bytes: Vec<u8> } => SavedModel;
    /// Compress `model` with `plan` and measure it on the first `images` test images.
    Compress { model: ModelRef, plan: Plan, images: usize } => Box<CompressReport>;
    /// The compressed model's `.clz` file, for a download.
    ExportCompressed { model: ModelRef, plan: Plan } => NamedFile;
    /// Save the compressed model in this browser (the classify page lists it).
    SaveCompressed {
        model: ModelRef,
        plan: Plan,
        test_accuracy: Option<f64>,
    } => SavedModel;
    /// The first `images` test labels arithmetic-coded with the probabilities of
    /// `model` (compressed with `plan`, when given), computed on the CPU backend
    /// so that any receiver computes the same bits.
    CodeLabels { model: ModelRef, plan: Option<Plan>, images: usize } => CodedLabels;
    /// Decodes a coded-labels file with `model` (and `plan`) and the test images
    /// alone, then compares the result with the true labels.
    DecodeLabels {
        model: ModelRef,
        plan: Option<Plan>,
        name: String,
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
    } => DecodedLabels;
    /// Start a training run (one at a time). The reply comes once the settings
    /// are checked; progress follows as events, then [`FromWorker::TrainEnded`].
    StartTraining { settings: TrainSettings } => ();
    /// Code a text with a language-model coder (`crate::text`), on the CPU in
    /// one thread so any receiver computes the same probabilities; progress
    /// arrives as [`FromWorker::TextProgress`].
    CodeText { coder: Coder, #[serde(with = "serde_bytes")] text: Vec<u8> } => Box<CodedText>;
    /// Decode a `.lmz` file back to its text (checked against its CRC).
    DecodeText { name: String, #[serde(with = "serde_bytes")] file: Vec<u8> } => DecodedText;
    /// The standard compressors' sizes for a text, each compressed in the worker.
    TextBaselines { #[serde(with = "serde_bytes")] text: Vec<u8> } => Vec<Baseline>;
}

impl Request {
    /// Whether a successful reply changes the list of saved models.
    pub fn changes_saved_models(&self) -> bool {
        matches!(
            self,
            Request::DeleteModel(_) | Request::ImportModel(_) | Request::SaveCompressed(_)
        )
    }
}

impl RunOutcome {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            RunOutcome::Finished => lang.pick("Finished.", "训练完成。").into(),
            RunOutcome::Stopped => lang.pick("Stopped.", "已停止。").into(),
            RunOutcome::Diverged(d) => d.message(lang),
            RunOutcome::Failed(e) => e.message(lang),
        }
    }
}

/// Pause, resume or stop the training run (acted on between batches).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Control {
    Pause,
    Resume,
    Stop,
}

/// Page → worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    /// Start (or switch) the backend. `None`: WebGPU when the browser offers an
    /// adapter, else the CPU.
    Start { prefer: Option<Backend> },
    /// A request; its reply carries the same `id`.
    Call { id: u32, request: Request },
    /// Acted on at once, never queued behind requests.
    Control(Control),
}

/// What the worker says about a model it has loaded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    pub arch: Arch,
    pub parameters: usize,
    /// Test accuracy recorded in the model's metadata, when it has one.
    pub test_accuracy: Option<f64>,
    /// The test images that accuracy was measured on, when known.
    #[serde(default)]
    pub test_images: Option<usize>,
    /// The size of the file the model came in.
    pub file_bytes: usize,
    /// For a shipped compressed model: how it was made.
    pub compressed_from: Option<crate::domain::model_ref::CompressedFrom>,
}

/// One classification, as the worker measured it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Classification {
    /// Probabilities of the ten classes.
    pub probs: Vec<f32>,
    /// Milliseconds for the forward pass and readback (model loading excluded).
    pub millis: f64,
    /// Milliseconds spent loading the model first (0 when it was cached).
    pub load_millis: f64,
    pub backend: Backend,
    pub model: ModelInfo,
}

/// A file for the visitor to download.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NamedFile {
    pub name: String,
    #[serde(with = "serde_bytes")]
    pub bytes: Vec<u8>,
}

/// Test labels coded with a model: the file, and the sizes to hold it against.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CodedLabels {
    pub file: NamedFile,
    pub labels: usize,
    /// Σ −log₂ p(y|x) under the model, in bits. Not a bound on the file: the
    /// coder codes q (p rounded to multiples of 2⁻¹⁶, at least 2⁻¹⁶).
    pub ideal_bits: f64,
    /// Σ −log₂ q, what the coder codes: the file's bits are within 2 of it.
    #[serde(default)]
    pub table_bits: f64,
    /// Bits the arithmetic coder wrote (before padding to a byte).
    pub coded_bits: u64,
    /// The file's header (format, count, checksum), in bytes.
    pub header_bytes: usize,
    /// The compressed model's `.clz` size, when a plan was given: the first
    /// part of the two-part code.
    pub model_bytes: Option<usize>,
    pub millis: f64,
}

/// A coded-labels file decoded with a model and the images alone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecodedLabels {
    pub name: String,
    pub labels: usize,
    /// How many decoded labels equal the true test labels (all, when it worked).
    pub equal: usize,
    pub millis: f64,
}

/// Why a request failed. The page renders it in the visitor's language
/// ([`EngineError::message`]); `detail` strings are a library's or the
/// browser's own words, shown as they are, never matched on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum EngineError {
    /// The engine stopped (it crashed, or the GPU was lost) before answering.
    Stopped,
    /// The engine could not be started in this browser (download, worker, wasm).
    Unavailable(String),
    /// A training run is already going.
    Busy,
    Settings(SettingsError),
    /// An image that is not 32×32 RGB.
    BadImage {
        bytes: usize,
    },
    /// This build of the site has no CIFAR-10 data.
    NoData {
        reason: String,
    },
    /// A file could not be fetched from the site.
    Fetch {
        url: String,
        detail: String,
    },
    /// A model or data file that cannot be read.
    BadFile {
        name: String,
        problem: FileProblem,
        /// Exactly what was found, in English (the page shows it in English only).
        detail: String,
    },
    /// No saved model with this key in this browser.
    NotSaved {
        key: String,
    },
    /// The browser's storage (IndexedDB) refused or failed.
    Storage(String),
    /// A model that was not saved: the write did not commit (`full`: the
    /// browser's quota for this site is used up). Earlier models are intact.
    NotStored {
        name: String,
        full: bool,
        detail: String,
    },
    /// The engine itself failed (Burn, the GPU); in its own words.
    Engine(String),
    /// The engine's worker died (a panic, or a lost GPU device); the page
    /// starts a new one when it is next needed, on the CPU after a GPU loss.
    Crashed {
        why: String,
        on_gpu: bool,
    },
    /// A message one side could not read (page and engine out of step).
    Protocol(String),
    /// A coded-labels file that does not decode.
    Labels {
        name: String,
        problem: LabelsProblem,
    },
    /// A file larger than any of its kind this site writes: not read.
    Oversized(crate::domain::Oversized),
    /// A compression plan out of its ranges.
    Plan(crate::domain::PlanError),
    /// A coded text that does not decode.
    TextFile {
        name: String,
        problem: TextFileError,
    },
    /// A text longer than the coders take.
    TextTooLong {
        bytes: usize,
        limit: usize,
    },
    /// A helper core stopped (its worker failed) during training: the run
    /// goes on on one core. The platform's words.
    CoresLost(String),
}

impl From<crate::domain::PlanError> for EngineError {
    fn from(e: crate::domain::PlanError) -> Self {
        EngineError::Plan(e)
    }
}

impl EngineError {
    pub fn message(&self, lang: Lang) -> String {
        use EngineError::*;
        let zh = lang == Lang::Zh;
        match self {
            Stopped if zh => "引擎在回答之前停止了。".into(),
            Stopped => "The engine stopped before answering.".into(),
            Unavailable(d) if zh => format!("引擎无法在此浏览器中启动：{d}"),
            Unavailable(d) => format!("The engine could not start in this browser: {d}"),
            Busy if zh => "已有一个训练在进行：请先停止它。".into(),
            Busy => "A training run is already going: stop it first.".into(),
            Settings(e) => e.message(lang),
            BadImage { bytes } if zh => {
                format!("需要一张 32\u{d7}32 的 RGB 图像（3072 字节），收到 {bytes} 字节。")
            }
            BadImage { bytes } => {
                format!("Expected a 32\u{d7}32 RGB image (3,072 bytes), got {bytes} bytes.")
            }
            NoData { reason } if zh => format!(
                "本站的这个构建没有 CIFAR-10 数据（{reason}）。请把数据放到 ../shared/cifar10 \
                 或设置 CIFAR10_DIR（见 README），然后重新构建。"
            ),
            NoData { reason } => format!(
                "This build of the site has no CIFAR-10 data ({reason}). Put the data in \
                 ../shared/cifar10 or set CIFAR10_DIR (see the README), then rebuild."
            ),
            Fetch { url, detail } if zh => format!("无法下载 {url}：{detail}。请检查网络后重试。"),
            Fetch { url, detail } => {
                format!("Could not download {url}: {detail}. Check the connection and try again.")
            }
            BadFile { name, problem, .. } if zh => match problem {
                FileProblem::NotAModel => {
                    format!("{name}：这不是本站能读取的模型文件（应为 .safetensors 或本站生成的 .clz）。")
                }
                FileProblem::Damaged => format!("{name}：文件已损坏或不完整。"),
                FileProblem::OtherArchitecture => {
                    format!("{name}：这是另一种网络结构的权重，本站的模型无法载入。")
                }
                FileProblem::TooLarge { bytes } => too_large(name, *bytes).message(lang),
            },
            BadFile {
                name,
                problem: FileProblem::TooLarge { bytes },
                ..
            } => too_large(name, *bytes).message(lang),
            BadFile { name, detail, .. } => format!("{name}: {detail}"),
            NotSaved { key } if zh => format!("此浏览器中没有保存的模型 {key:?}。"),
            NotSaved { key } => format!("No saved model {key:?} in this browser."),
            NotStored { name, full: true, .. } if zh => format!(
                "“{name}”没有保存：浏览器给本站的存储空间已满。删除一些已保存的模型后再保存；之前保存的模型都还在。"
            ),
            NotStored { name, full: true, .. } => format!(
                "\u{201c}{name}\u{201d} was not saved: the browser's storage for this site is full. \
                 Delete some saved models and save again; the models saved before are intact."
            ),
            NotStored { name, detail, .. } if zh => {
                format!("“{name}”没有保存：浏览器拒绝写入（{detail}）。之前保存的模型都还在。")
            }
            NotStored { name, detail, .. } => format!(
                "\u{201c}{name}\u{201d} was not saved: the browser refused to store it ({detail}). \
                 The models saved before are intact."
            ),
            Storage(d) if zh => format!("浏览器存储失败：{d}"),
            Storage(d) => format!("The browser's storage failed: {d}"),
            Engine(d) if zh => format!("引擎出错：{d}"),
            Engine(d) => format!("The engine failed: {d}"),
            CoresLost(d) if zh => format!("一个辅助核心停止了（{d}）：训练改在一个核心上继续。"),
            CoresLost(d) => {
                format!("A helper core stopped ({d}): training goes on on one core.")
            }
            Crashed { why, on_gpu: true } if zh => {
                format!("引擎停止了：{why}。下次使用时它会在 CPU 上重新启动。")
            }
            Crashed { why, on_gpu: false } if zh => {
                format!("引擎停止了：{why}。下次使用时它会重新启动。")
            }
            Crashed { why, on_gpu: true } => {
                format!("The engine stopped: {why}. It restarts on the CPU when you next use it.")
            }
            Crashed { why, on_gpu: false } => {
                format!("The engine stopped: {why}. It restarts when you next use it.")
            }
            Protocol(d) if zh => format!("页面与引擎的版本不一致：{d}。请重新加载页面。"),
            Protocol(d) => {
                format!("The page and the engine are out of step: {d}. Reload the page.")
            }
            Labels { name, problem } if zh => format!("{name}：{}", problem.message(lang)),
            Labels { name, problem } => format!("{name}: {}", problem.message(lang)),
            Oversized(o) => o.message(lang),
            Plan(p) => p.message(lang),
            TextFile { name, problem } if zh => format!("{name}：{}", problem.message(lang)),
            TextFile { name, problem } => format!("{name}: {}", problem.message(lang)),
            TextTooLong { bytes, limit } => crate::text::too_long_message(*bytes, *limit, lang),
        }
    }
}

/// A model file refused by its size, in the words the page uses before reading one.
fn too_large(name: &str, bytes: u64) -> crate::domain::Oversized {
    crate::domain::Oversized {
        name: name.to_string(),
        kind: crate::domain::FileKind::Model,
        bytes,
    }
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for EngineError {}

/// Why the engine runs on the backend it does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum StartReason {
    /// The visitor chose the CPU; `no_webgpu` says why WebGPU would not have worked.
    ChoseCpu { no_webgpu: Option<String> },
    /// This browser offers no WebGPU (the reason, in the browser's words).
    NoWebGpu(String),
    /// The visitor chose WebGPU.
    ChoseWebGpu,
    /// The browser offers a WebGPU adapter, so the engine uses it.
    Offered,
    /// WebGPU was offered but failed to start (the error), so the CPU runs.
    WebGpuFailed(String),
}

impl StartReason {
    pub fn message(&self, lang: Lang) -> String {
        use StartReason::*;
        let zh = lang == Lang::Zh;
        match self {
            ChoseCpu { no_webgpu: None } if zh => "你选择了 CPU。".into(),
            ChoseCpu { no_webgpu: None } => "You chose the CPU.".into(),
            ChoseCpu { no_webgpu: Some(e) } if zh => format!("你选择了 CPU（{e}）。"),
            ChoseCpu { no_webgpu: Some(e) } => format!("You chose the CPU ({e})."),
            NoWebGpu(e) if zh => format!("在 CPU 上运行：{e}。"),
            NoWebGpu(e) => format!("Running on the CPU: {e}."),
            ChoseWebGpu if zh => "你选择了 WebGPU。".into(),
            ChoseWebGpu => "You chose WebGPU.".into(),
            Offered if zh => "浏览器提供了 WebGPU 适配器，所以引擎在 WebGPU 上运行。".into(),
            Offered => "The browser offers a WebGPU adapter, so the engine runs there.".into(),
            WebGpuFailed(e) if zh => format!("WebGPU 启动失败（{e}），所以引擎在 CPU 上运行。"),
            WebGpuFailed(e) => {
                format!("WebGPU failed to start ({e}), so the engine runs on the CPU.")
            }
        }
    }
}

/// How a training run ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RunOutcome {
    /// Every epoch ran.
    Finished,
    /// The visitor stopped it.
    Stopped,
    Diverged(Diverged),
    Failed(EngineError),
}

/// Worker → page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// The worker's wasm is running and waits for `Start`.
    Booted,
    /// The loader could not start the engine (sent by `public/engine.js`).
    BootFailed(String),
    /// How much of its wasm the loader has downloaded (bytes; the total when
    /// the server says it): the worker fetches its own code, off the page's
    /// main thread, and reports at most every 100 ms.
    Downloading {
        received: f64,
        total: Option<f64>,
    },
    /// The loader has all of its wasm and is compiling it.
    Compiling,
    /// The loader could not download its wasm.
    FetchFailed {
        url: String,
        detail: String,
    },
    /// The WebGPU device was lost (sent by `public/engine.js`, which watches
    /// every device the engine opens).
    DeviceLost(String),
    /// The backend in use, in words (adapter name), and why it was chosen.
    Started {
        backend: Backend,
        adapter: Adapter,
        why: StartReason,
        webgpu_available: bool,
    },
    /// The answer to `ToWorker::Call` with this `id`.
    Reply {
        id: u32,
        reply: Result<Reply, EngineError>,
    },
    /// Something went wrong outside any request (a message the worker could not
    /// read; a data shard that failed while training goes on without it).
    Problem(EngineError),
    /// Training data: records received so far, of the run's total.
    Data {
        loaded: usize,
        total: usize,
    },
    /// The steps trained since the last such message (the worker sends them
    /// a few times a second, and before anything that follows them).
    Batches(Vec<BatchStats>),
    Epoch(EpochStats),
    /// The test set part-way through an epoch.
    Look(TestLook),
    Paused(bool),
    /// A checkpoint was saved in this browser.
    Saved(SavedModel),
    /// The run ended, and the model saved at its end (none when it diverged).
    TrainEnded {
        outcome: RunOutcome,
        saved: Option<SavedModel>,
    },
    /// Bytes of a text coded or decoded so far, of its total.
    TextProgress {
        done: usize,
        total: usize,
    },
    /// The engine panicked (a bug, or the GPU was lost); the worker is gone and
    /// the page starts a new one.
    Panicked(String),
}

/// One optimizer step, for the live charts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchStats {
    pub epoch: usize,
    pub epochs: usize,
    pub batch: usize,
    pub batches: usize,
    pub step: usize,
    pub total_steps: usize,
    /// Mean cross-entropy of the batch before the step (nats).
    pub loss: f64,
    pub accuracy: f64,
    pub lr: f64,
    /// The compression meter after this step.
    pub meter: CodeMeter,
    pub images_per_second: f64,
    pub eta_seconds: f64,
    /// The CPU cores the step trained on (the engine worker and its helpers);
    /// 0 on the GPU.
    pub cores: usize,
}

/// The held-out test set after an epoch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpochStats {
    pub epoch: usize,
    /// The run's steps when the epoch ended (the first epoch can be shorter
    /// than the others: it has the images that had arrived when it began).
    pub step: usize,
    pub train_loss: f64,
    pub train_accuracy: f64,
    pub test_loss: f64,
    pub test_accuracy: f64,
    pub per_class: Vec<f64>,
    /// `confusion[true * 10 + predicted]`.
    pub confusion: Vec<u32>,
    /// Predicted class of each test image in the page's grid.
    pub grid: Vec<u8>,
    /// Seconds of the run from Start to the end of this evaluation, pauses left
    /// out: how long a visitor waited for this accuracy.
    pub seconds: f64,
}

/// The held-out test set part-way through an epoch: a look while a visitor
/// waits for the epoch's result in the run's first two epochs (see
/// [`crate::domain::train::LookClock`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestLook {
    pub epoch: usize,
    /// The epoch's batches trained, of its `batches`.
    pub batch: usize,
    pub batches: usize,
    /// The run's steps so far.
    pub step: usize,
    pub test_loss: f64,
    /// Test images classified correctly, of `n`.
    pub correct: usize,
    pub n: usize,
    /// Seconds of the run from Start to the end of this look, pauses left out.
    pub seconds: f64,
}

impl TestLook {
    pub fn accuracy(&self) -> f64 {
        self.correct as f64 / self.n.max(1) as f64
    }
}

/// A model saved in this browser (IndexedDB).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedModel {
    pub key: String,
    pub name: String,
    pub arch: Arch,
    pub parameters: usize,
    pub test_accuracy: Option<f64>,
    /// The test images that accuracy was measured on, when known.
    #[serde(default)]
    pub test_images: Option<usize>,
    pub bytes: usize,
    /// Milliseconds since 1970.
    pub created: f64,
    /// Stored as a compressed `.clz` file (else safetensors).
    #[serde(default)]
    pub compressed: bool,
    /// How it was made, when made here: its name is then written in the
    /// visitor's language. `None` for a loaded file (named by its file name)
    /// and for models saved before this field existed (`name` is English).
    #[serde(default)]
    pub origin: Option<Origin>,
}

/// How a saved model was made in this browser.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Origin {
    Trained {
        arch: Arch,
        images: usize,
        optimizer: Optimizer,
        lr: f64,
        /// Distilled with temperature T and weight α.
        distilled: Option<(f64, f64)>,
        backend: Backend,
        /// A checkpoint saved at the end of this epoch (the run went on).
        #[serde(default)]
        epoch: Option<usize>,
    },
    Compressed {
        arch: Arch,
        plan: Plan,
    },
}

impl Origin {
    /// "lab-cnn · 1000 images · Adam lr 0.003 · CPU", "doc-cnn · 8-bit affine per channel".
    pub fn label(&self, lang: Lang) -> String {
        match self {
            Origin::Trained {
                arch,
                images,
                optimizer,
                lr,
                distilled,
                backend,
                epoch,
            } => {
                let distilled = distilled.map_or(String::new(), |(t, a)| {
                    format!(
                        " \u{b7} {} T {t} \u{3b1} {a}",
                        lang.pick("distilled", "蒸馏")
                    )
                });
                let images = lang.pick(format!("{images} images"), format!("{images} 张图片"));
                let epoch = epoch.map_or(String::new(), |e| {
                    lang.pick(
                        format!(" \u{b7} epoch {e}"),
                        format!(" \u{b7} 第 {e} 个周期"),
                    )
                });
                format!(
                    "{arch} \u{b7} {images} \u{b7} {optimizer:?} lr {lr}{distilled} \u{b7} {}{epoch}",
                    backend.label()
                )
            }
            Origin::Compressed { arch, plan } => format!("{arch} \u{b7} {}", plan.label_in(lang)),
        }
    }
}

impl Origin {
    /// The checkpoint of this run at the end of `epoch`.
    pub fn at_epoch(&self, e: usize) -> Origin {
        let mut o = self.clone();
        if let Origin::Trained { epoch, .. } = &mut o {
            *epoch = Some(e);
        }
        o
    }
}

impl SavedModel {
    /// How requests refer to this model.
    pub fn model_ref(&self) -> ModelRef {
        ModelRef::Saved(self.key.clone())
    }

    /// Its name in `lang`.
    pub fn label(&self, lang: Lang) -> String {
        self.origin
            .as_ref()
            .map_or_else(|| self.name.clone(), |o| o.label(lang))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_answers_only_its_own_request() {
        let list = Reply::ListModels(vec![]);
        assert_eq!(ListModels::reply(list.clone()), Some(vec![]));
        assert_eq!(DeleteModel::reply(list), None);
        let file = NamedFile {
            name: "a.clz".into(),
            bytes: vec![1, 2],
        };
        // Two requests answer with a file; each takes only its own.
        assert_eq!(
            ExportCompressed::reply(Reply::ExportCompressed(file.clone())),
            Some(file.clone())
        );
        assert_eq!(ExportModel::reply(Reply::ExportCompressed(file)), None);
        let r: Request = ListModels {}.into();
        assert_eq!(r.name(), "ListModels");
    }

    #[test]
    fn messages_survive_the_wire() {
        let msgs = [
            FromWorker::Reply {
                id: 7,
                reply: Err(EngineError::BadImage { bytes: 12 }),
            },
            FromWorker::Reply {
                id: 8,
                reply: Ok(Reply::DeleteModel(())),
            },
            FromWorker::TrainEnded {
                outcome: RunOutcome::Diverged(Diverged {
                    epoch: 1,
                    batch: 3,
                    lr: 10.0,
                    loss: None,
                }),
                saved: None,
            },
        ];
        for m in msgs {
            let json = serde_json::to_string(&m).unwrap();
            assert_eq!(
                serde_json::from_str::<FromWorker>(&json).unwrap(),
                m,
                "{json}"
            );
        }
        let call = ToWorker::Call {
            id: 1,
            request: StartTraining {
                settings: TrainSettings::default(),
            }
            .into(),
        };
        let json = serde_json::to_string(&call).unwrap();
        assert_eq!(serde_json::from_str::<ToWorker>(&json).unwrap(), call);
    }

    /// The loaders (`public/engine.js`, `public/text-worker.js` and the boot
    /// they share, `public/worker-boot.js`) write some of these messages by
    /// hand (before the wasm runs, or beside it): each must decode as the
    /// variant it names, in the shape the loader writes.
    #[test]
    fn the_loaders_hand_written_messages_decode() {
        let mut names = Vec::new();
        for js in [
            include_str!("../public/engine.js"),
            include_str!("../public/text-worker.js"),
            include_str!("../public/worker-boot.js"),
        ] {
            for part in js.split("postMessage(").skip(1) {
                let name: String = part
                    .trim_start_matches(['{', ' ', '"'])
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                names.push(name);
            }
        }
        assert_eq!(
            names,
            [
                "DeviceLost",
                "BootFailed",
                "FetchFailed",
                "Downloading",
                "Downloading",
                "Compiling",
                "BootFailed"
            ],
            "a loader changed: update this test"
        );
        let written = [
            (
                "{\"DeviceLost\":\"why\"}",
                FromWorker::DeviceLost("why".into()),
            ),
            (
                "{\"BootFailed\":\"why\"}",
                FromWorker::BootFailed("why".into()),
            ),
            ("\"Compiling\"", FromWorker::Compiling),
            (
                "{\"Downloading\":{\"received\":10,\"total\":null}}",
                FromWorker::Downloading {
                    received: 10.0,
                    total: None,
                },
            ),
            (
                "{\"Downloading\":{\"received\":10,\"total\":20}}",
                FromWorker::Downloading {
                    received: 10.0,
                    total: Some(20.0),
                },
            ),
            (
                "{\"FetchFailed\":{\"url\":\"u\",\"detail\":\"HTTP 404\"}}",
                FromWorker::FetchFailed {
                    url: "u".into(),
                    detail: "HTTP 404".into(),
                },
            ),
        ];
        for (json, want) in written {
            let msg: FromWorker =
                serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"));
            assert_eq!(msg, want, "{json}");
        }
    }

    #[test]
    fn start_reasons_read_in_both_languages() {
        let all = [
            StartReason::ChoseCpu { no_webgpu: None },
            StartReason::ChoseCpu {
                no_webgpu: Some("x".into()),
            },
            StartReason::NoWebGpu("x".into()),
            StartReason::ChoseWebGpu,
            StartReason::Offered,
            StartReason::WebGpuFailed("x".into()),
        ];
        let han = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for r in all {
            assert!(
                !han(&r.message(Lang::En)) && han(&r.message(Lang::Zh)),
                "{r:?}"
            );
        }
        assert!(StartReason::Offered
            .message(Lang::En)
            .contains("WebGPU adapter"));
    }

    #[test]
    fn every_engine_error_reads_in_both_languages() {
        let all = [
            EngineError::Stopped,
            EngineError::Unavailable("x".into()),
            EngineError::Busy,
            EngineError::Settings(SettingsError::Epochs),
            EngineError::BadImage { bytes: 1 },
            EngineError::NoData { reason: "r".into() },
            EngineError::Fetch {
                url: "u".into(),
                detail: "d".into(),
            },
            EngineError::BadFile {
                name: "n".into(),
                problem: FileProblem::Damaged,
                detail: "d".into(),
            },
            EngineError::NotSaved { key: "k".into() },
            EngineError::Storage("s".into()),
            EngineError::NotStored {
                name: "n".into(),
                full: true,
                detail: "d".into(),
            },
            EngineError::NotStored {
                name: "n".into(),
                full: false,
                detail: "d".into(),
            },
            EngineError::Engine("e".into()),
            EngineError::CoresLost("c".into()),
            EngineError::Crashed {
                why: "w".into(),
                on_gpu: true,
            },
            EngineError::Protocol("p".into()),
            EngineError::Labels {
                name: "n".into(),
                problem: LabelsProblem::TooMany { declared: 1 << 34 },
            },
            EngineError::Labels {
                name: "n".into(),
                problem: LabelsProblem::DoesNotCheckOut,
            },
            EngineError::BadFile {
                name: "n".into(),
                problem: FileProblem::TooLarge { bytes: 5 << 30 },
                detail: "d".into(),
            },
            EngineError::Plan(crate::domain::PlanError::Bits),
            EngineError::TextTooLong {
                bytes: 2 << 20,
                limit: 1 << 20,
            },
            EngineError::TextFile {
                name: "n".into(),
                problem: TextFileError::NotOurs,
            },
            EngineError::TextFile {
                name: "n".into(),
                problem: TextFileError::Damaged,
            },
            EngineError::TextFile {
                name: "n".into(),
                problem: TextFileError::OtherModel { file: 1, ours: 2 },
            },
            EngineError::TextFile {
                name: "n".into(),
                problem: TextFileError::TooLong {
                    declared: 1 << 31,
                    limit: 1 << 20,
                },
            },
            EngineError::TextFile {
                name: "n".into(),
                problem: TextFileError::TooLarge {
                    bytes: 1 << 31,
                    limit: 1 << 21,
                },
            },
            EngineError::TextFile {
                name: "n".into(),
                problem: TextFileError::Version(9),
            },
            EngineError::TextFile {
                name: "n".into(),
                problem: TextFileError::UnknownCoder(9),
            },
            EngineError::Oversized(crate::domain::Oversized {
                name: "n".into(),
                kind: crate::domain::FileKind::Labels,
                bytes: 1 << 40,
            }),
        ];
        // Adding a variant without a sample above stops this from compiling.
        let listed = |e: &EngineError| match e {
            EngineError::Stopped
            | EngineError::Unavailable(_)
            | EngineError::Busy
            | EngineError::Settings(_)
            | EngineError::BadImage { .. }
            | EngineError::NoData { .. }
            | EngineError::Fetch { .. }
            | EngineError::BadFile { .. }
            | EngineError::NotSaved { .. }
            | EngineError::Storage(_)
            | EngineError::NotStored { .. }
            | EngineError::Engine(_)
            | EngineError::CoresLost(_)
            | EngineError::Crashed { .. }
            | EngineError::Protocol(_)
            | EngineError::Labels { .. }
            | EngineError::Oversized(_)
            | EngineError::Plan(_)
            | EngineError::TextFile { .. }
            | EngineError::TextTooLong { .. } => true,
        };
        assert!(all.iter().all(listed));
        let han = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for e in all {
            let (en, zh) = (e.message(Lang::En), e.message(Lang::Zh));
            assert!(!han(&en) && han(&zh), "{e:?}: {en} / {zh}");
        }
    }
}

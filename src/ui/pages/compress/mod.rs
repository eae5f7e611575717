//! The compression lab: prune, quantize and share the weights of a real
//! trained model, measure every setting on held-out test images in the engine
//! worker, and find the shortest two-part description of the labels. The
//! logic is in [`crate::page::compress`]; these components bind it.

mod labels;
mod report;
mod settings;
mod shipped;
mod sweep;

use crate::domain::{Granularity, ModelRef, Plan, PruneScope, QuantMode};
use crate::lens;
use crate::page::compress::{CompressForm, Kind};
use crate::protocol::{Compress as CompressRequest, CompressReport, EngineError};
use crate::ui::components::{CopyLink, EngineStatus, Later, Lens, Rich};
use crate::ui::engine::Engine;
use crate::ui::i18n::tr;
use crate::ui::net::data_available;
use crate::ui::url_state::keep_query;
use leptos::prelude::*;

use crate::ui::{
    components::{PageHead, PageMeta},
    sections::{summary, title},
};
use leptos::task::spawn_local;

/// The plan's controls: each a field of the page's one form.
#[derive(Clone, Copy)]
struct PlanFields {
    sparsity: Lens<f64>,
    scope: Lens<PruneScope>,
    kind: Lens<Kind>,
    bits: Lens<u32>,
    granularity: Lens<Granularity>,
    mode: Lens<QuantMode>,
    k: Lens<u32>,
}

impl PlanFields {
    fn new(form: RwSignal<CompressForm>) -> Self {
        PlanFields {
            sparsity: lens!(form.plan.sparsity_pct),
            scope: lens!(form.plan.scope),
            kind: lens!(form.plan.kind),
            bits: lens!(form.plan.bits),
            granularity: lens!(form.plan.granularity),
            mode: lens!(form.plan.mode),
            k: lens!(form.plan.k),
        }
    }
}

/// The page's state, shared by its parts.
#[derive(Clone, Copy)]
struct State {
    /// The page model: model, test images and plan (the link is its query).
    form: RwSignal<CompressForm>,
    /// The model menu's value ([`ModelRef`] text) and the test images to measure on.
    model: Lens<String>,
    images: Lens<usize>,
    fields: PlanFields,
    plan: Memo<Plan>,
    has_data: Signal<bool>,
    result: RwSignal<Option<Result<CompressReport, EngineError>>>,
    busy: RwSignal<bool>,
}

impl State {
    fn new(form: CompressForm, has_data: Signal<bool>) -> Self {
        let form = RwSignal::new(form);
        State {
            form,
            model: Lens::new(
                form,
                |f| f.model.to_string(),
                |f, m| f.model = ModelRef::parse(&m),
            ),
            images: lens!(form.images),
            fields: PlanFields::new(form),
            plan: Memo::new(move |_| form.with(|f| f.plan.plan())),
            has_data,
            result: RwSignal::new(None),
            busy: RwSignal::new(false),
        }
    }

    fn model_ref(&self) -> ModelRef {
        self.form.with_untracked(|f| f.model.clone())
    }
}

/// Measures the current plan whenever it (or the model, or the images)
/// changes: one measurement at a time, and a change while one runs asks for
/// one more.
fn measure_on_change(s: State) {
    let engine = Engine::get();
    let again = RwSignal::new(false);
    let measure = move || {
        if s.busy.get_untracked() {
            return again.set(true);
        }
        s.busy.set(true);
        spawn_local(async move {
            loop {
                again.set(false);
                let request = CompressRequest {
                    model: s.model_ref(),
                    plan: s.plan.get_untracked(),
                    images: s.images.get_untracked(),
                };
                s.result.set(Some(engine.call(request).await.map(|r| *r)));
                if !again.get_untracked() {
                    break;
                }
            }
            s.busy.set(false);
        });
    };
    Effect::new(move |_| {
        s.plan.track();
        s.form.with(|f| (f.model.clone(), f.images));
        if s.has_data.get() {
            measure();
        }
    });
}

#[component]
pub fn Compress() -> impl IntoView {
    let data = LocalResource::new(data_available);
    let opened = leptos_router::hooks::use_location().search.get_untracked();
    let has_data = Signal::derive(move || data.get() == Some(true));
    let state = State::new(CompressForm::from_query(&opened), has_data);
    // The model, the test images and the plan in the URL, so a link opens the same measurement.
    keep_query(move || state.form.with(CompressForm::to_query));
    measure_on_change(state);
    let no_data = tr(
        "This build of the site has no CIFAR-10 test images, so nothing can be measured. Put the data in \
         ../shared/cifar10 or set CIFAR10_DIR (see the README), then rebuild.",
        "本站的这个构建没有 CIFAR-10 测试图片，因此无法测量。请把数据放到 ../shared/cifar10 或设置 CIFAR10_DIR\
         （见 README），然后重新构建。",
    );
    view! {
        <PageMeta title=title("/compress") description=summary("/compress") />
        <article class="page">
            <PageHead path="/compress">
                <CopyLink />
            </PageHead>

            <Later>
                <EngineStatus />
            </Later>
            {move || (data.get() == Some(false)).then(|| view! { <p class="note" role="status">{no_data}</p> })}
            <Later>
                <settings::Settings state />
            </Later>
            <Later>
                <report::ResultSection state />
            </Later>
            <Later>
                <sweep::SweepSection state />
            </Later>
            <Later>
                <labels::LabelsSection state />
            </Later>
            <Later>
                <Distillation />
            </Later>
            <Later>
                <shipped::ShippedModel />
            </Later>
        </article>
    }
}

/// The other way to a smaller model, in words, with where to try it.
#[component]
fn Distillation() -> impl IntoView {
    view! {
        <section class="prose" aria-labelledby="distill-heading">
            <h2 id="distill-heading">
                {tr("Distillation: a smaller network taught by the big one", "蒸馏：由大网络教出的小网络")}
            </h2>
            <p>
                {tr(
                    "Pruning and quantization shrink the same network. Knowledge distillation (Hinton, Vinyals & \
                     Dean, 2015) trains a different, smaller network on the big one's softened answers: the \
                     student minimises",
                    "剪枝和量化缩小的是同一个网络。知识蒸馏（Hinton, Vinyals & Dean, 2015）则用大网络软化后的答案\
                     训练另一个更小的网络：学生网络最小化",
                )}
            </p>
            <p class="formula block">
                "\u{3b1}\u{b7}T\u{b2}\u{b7}KL(softmax(z\u{209c}/T) \u{2016} softmax(z\u{209b}/T)) + \
                 (1\u{2212}\u{3b1})\u{b7}CE(z\u{209b}, y)"
            </p>
            <p>
                <Rich text=tr(
                    "The temperature T > 1 exposes how the teacher ranks the wrong classes (a cat looks more like a \
                     dog than a truck), information a one-hot label does not carry; the factor T\u{b2} keeps the \
                     soft term's gradients roughly the same size at any temperature. Two students ship with the site, \
                     trained by this project's `lab train` with the same seed, 2,000 training images and 3 epochs: \
                     one distilled from the default CNN (T = 4, \u{3b1} = 0.9), one on the labels alone. Each is a \
                     quarter of the default CNN's size (83,002 parameters); choose them in the model menus here and \
                     on the Classify page (which can show two models' answers side by side) to see their test \
                     accuracy. To distil your own, choose the student CNN and a teacher on the Train page; train it \
                     again with \u{3b1} = 0 to compare.",
                    "温度 T > 1 能显露教师如何给错误类别排序（猫比卡车更像狗），这是独热标签不包含的信息；因子 T\u{b2} \
                     让软目标项的梯度在任何温度下大小大致不变。本站附带两个学生网络，由本项目的 `lab train` 用相同的随机种子、\
                     2000 张训练图片和 3 个周期训练：一个从默认 CNN 蒸馏（T = 4，\u{3b1} = 0.9），一个只用标签。每个都\
                     只有默认 CNN 的四分之一大小（83,002 个参数）；在这里和分类页面（可以并排显示两个模型的答案）的模型\
                     菜单中选择它们，看看测试准确率。要蒸馏你自己的学生，在训练页面选择学生 CNN 和一个教师；再用 \
                     \u{3b1} = 0 训练一次来比较。",
                ) />
            </p>
            <p>
                <a href=crate::ui::href("/classify")>{tr("Classify page", "分类页面")}</a>
                " \u{b7} "
                <a href=crate::ui::href("/train")>{tr("Train page", "训练页面")}</a>
            </p>
        </section>
    }
}

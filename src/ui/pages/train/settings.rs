//! The training form: model, data, optimizer, schedule; Start / Pause / Stop.

use crate::domain::{Arch, ModelRef, Optimizer, SettingsError, TrainSettings};
use crate::lens;
use crate::math::format::fmt_int;
use crate::page::train::{optimizer_word, TrainForm, BATCH_SIZES, OPTIMIZERS, SUBSETS};
use crate::ui::components::{saved_models, Lens, ModelOptions, NumField};
use crate::ui::engine::Engine;
use crate::ui::i18n::{lang_now, tr};
use crate::ui::url_state::keep_query;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The form's menus and fields bind its page model, one signal of it.
type Form = RwSignal<TrainForm>;

/// The distillation teacher as its menu's value (empty: none).
fn teacher(form: Form) -> Lens<String> {
    Lens::new(
        form,
        |f| {
            f.teacher
                .as_ref()
                .map(|m| m.to_string())
                .unwrap_or_default()
        },
        |f, t| f.teacher = (!t.is_empty()).then(|| ModelRef::parse(&t)),
    )
}

#[component]
pub fn Settings() -> impl IntoView {
    let engine = Engine::get();
    let opened = leptos_router::hooks::use_location().search.get_untracked();
    let form: Form = RwSignal::new(TrainForm::from_query(&opened));
    // Every setting in the URL, so a link opens the same run's settings.
    keep_query(move || form.with(TrainForm::to_query));
    let error = RwSignal::new(None::<String>);
    let running = move || engine.train.with(|t| t.running);
    let paused = move || engine.train.with(|t| t.paused);
    let start = move |_| {
        error.set(None);
        let settings = match form.with_untracked(TrainForm::settings) {
            Ok(s) => s,
            Err(e) => return error.set(Some(e.message(lang_now()))),
        };
        spawn_local(async move {
            if let Err(e) = engine.start_training(settings).await {
                error.set(Some(e.message(lang_now())));
            }
        });
    };
    let pause = move |_| {
        if paused() {
            engine.resume()
        } else {
            engine.pause()
        }
    };
    view! {
        <section class="calculator" aria-labelledby="settings-heading">
            <h2 id="settings-heading">{tr("Settings", "设置")}</h2>
            <fieldset class="train-settings" prop:disabled=running>
                <div class="toolbar">
                    <ModelFields form />
                    <OptimizerFields form />
                </div>
            </fieldset>
            <p class="hint" id="train-defaults">
                {tr(
                    "The defaults are chosen for a visit of about two minutes on a CPU (measured on two \
                     cores: over 40 % of the test images after about 20 s, about 60 % when the run ends near two \
                     minutes; more cores finish sooner): the article's small CNN on all 10,000 images, batches \
                     of 32, six epochs, no augmentation (it pays only over longer runs). The first epoch has only \
                     the images that have arrived by then, so a first test result comes within seconds, and during \
                     the first two epochs the test set is also checked part-way through, every few seconds. The \
                     default CNN learns more from each image but costs about nine times as much per image.",
                    "默认设置是为在 CPU 上停留约两分钟的访问而选的（双核实测：约 20 秒后测试准确率超过 40%，\
                     约两分钟训练结束时约 60%；核心越多，结束越快）：文章中的小 CNN，全部 10,000 张图片，批大小 32，\
                     六个周期，不做数据增强（增强只在更长的训练中才划算）。第一个周期只用那时已经下载到的图片，\
                     所以几秒内就有第一个测试结果；在前两个周期中，每隔几秒还会在周期中途检查一次测试集。\
                     默认 CNN 每张图片学到的更多，但每张图片的计算量约为九倍。",
                )}
            </p>
            <p class="hint">
                {tr(
                    "The learning rate warms up linearly over the first 5 % of the steps (at most an epoch), then \
                     decays along a cosine. Adam here is \
                     Kingma & Ba's, with bias correction, but with Burn's \u{3b5} = 1e-5 (the paper: 1e-8); \
                     momentum uses no dampening (Burn's default dampening is 0.1, the textbook's 0).",
                    "学习率在前 5% 的步数内（最多一个周期）线性预热，然后按余弦衰减。这里的 Adam 是 Kingma & Ba 的版本，带偏差修正，\
                     但用的是 Burn 的 \u{3b5} = 1e-5（论文：1e-8）；动量不带阻尼（Burn 默认阻尼为 0.1，教科书为 0）。",
                )}
            </p>
            <div class="buttons">
                <button type="button" class="button" on:click=start prop:disabled=running>
                    {tr("Start", "开始")}
                </button>
                <button type="button" class="button secondary" prop:disabled=move || !running() on:click=pause>
                    {move || if paused() { tr("Resume", "继续")() } else { tr("Pause", "暂停")() }}
                </button>
                <button
                    type="button"
                    class="button secondary"
                    prop:disabled=move || !running()
                    on:click=move |_| engine.stop()
                >
                    {tr("Stop", "停止")}
                </button>
            </div>
            <p class="error" role="alert">{move || error.get()}</p>
        </section>
    }
}

/// What is trained, on what, and from which teacher.
#[component]
fn ModelFields(form: Form) -> impl IntoView {
    let saved = saved_models();
    let arch_label = |a: Arch| match a {
        Arch::LabCnn => tr(
            "Default CNN (batch norm, 308,842 parameters)",
            "默认 CNN（批归一化，308,842 个参数）",
        ),
        Arch::DocCnn => tr(
            "The article's CNN (122,570 parameters)",
            "文章中的 CNN（122,570 个参数）",
        ),
        Arch::LabCnnS => tr(
            "Student CNN (half width, 83,002 parameters)",
            "学生 CNN（一半宽度，83,002 个参数）",
        ),
    };
    let (arch, subset, teacher) = (lens!(form.arch), lens!(form.subset), teacher(form));
    let set_arch = move |ev| {
        arch.set(
            event_target_value(&ev)
                .parse()
                .unwrap_or(TrainSettings::default().arch),
        )
    };
    let set_subset = move |ev| {
        subset.set(
            event_target_value(&ev)
                .parse()
                .unwrap_or(TrainSettings::default().subset),
        )
    };
    view! {
        <div class="field compact">
            <label for="train-arch">{tr("Model", "模型")}</label>
            <select id="train-arch" prop:value=move || arch.get().to_string() on:change=set_arch>
                {[Arch::DocCnn, Arch::LabCnn, Arch::LabCnnS]
                    .map(|a| view! { <option value=a.to_string()>{arch_label(a)}</option> })
                    .collect_view()}
            </select>
        </div>
        <div class="field compact">
            <label for="train-teacher">{tr("Teacher (distillation)", "教师模型（蒸馏）")}</label>
            <select
                id="train-teacher"
                prop:value=move || teacher.get()
                on:change=move |ev| teacher.set(event_target_value(&ev))
            >
                <option value="">{tr("None: labels only", "无：只用标签")}</option>
                <ModelOptions saved />
            </select>
        </div>
        <Show when=move || !teacher.get().is_empty()>
            <NumField
                id="train-temperature"
                label=tr("Temperature T", "温度 T")
                value=lens!(form.temperature)
                check=SettingsError::check_temperature
            />
            <NumField
                id="train-alpha"
                label=tr("Soft-target weight \u{3b1}", "软目标权重 \u{3b1}")
                value=lens!(form.alpha)
                check=SettingsError::check_alpha
            />
        </Show>
        <div class="field compact">
            <label for="train-subset">{tr("Training images", "训练图片数")}</label>
            <select id="train-subset" prop:value=move || subset.get().to_string() on:change=set_subset>
                {SUBSETS.map(|n| view! { <option value=n.to_string()>{fmt_int(n as u64)}</option> }).collect_view()}
            </select>
        </div>
    }
}

/// How it is trained.
#[component]
fn OptimizerFields(form: Form) -> impl IntoView {
    let choose = move |ev| {
        let word = event_target_value(&ev);
        let o = OPTIMIZERS
            .iter()
            .find(|(w, _)| *w == word)
            .map_or(Optimizer::Adam, |(_, v)| *v);
        form.update(|f| f.choose_optimizer(o));
    };
    let (optimizer, batch, augment, every_core) = (
        lens!(form.optimizer),
        lens!(form.batch_size),
        lens!(form.augment),
        lens!(form.every_core),
    );
    let set_batch = move |ev| {
        batch.set(
            event_target_value(&ev)
                .parse()
                .unwrap_or(TrainSettings::default().batch_size),
        )
    };
    view! {
        <div class="field compact">
            <label for="train-opt">{tr("Optimizer", "优化器")}</label>
            <select id="train-opt" prop:value=move || optimizer_word(optimizer.get()) on:change=choose>
                <option value="adam">"Adam"</option>
                <option value="momentum">{tr("SGD with momentum", "带动量的 SGD")}</option>
                <option value="sgd">"SGD"</option>
            </select>
        </div>
        <NumField id="train-lr" label=tr("Learning rate", "学习率") value=lens!(form.lr) check=SettingsError::check_lr />
        <Show when=move || optimizer.get() == Optimizer::Momentum>
            <NumField
                id="train-momentum"
                label=tr("Momentum", "动量")
                value=lens!(form.momentum)
                check=SettingsError::check_momentum
            />
        </Show>
        <NumField
            id="train-epochs"
            label=tr("Epochs", "训练周期数")
            value=lens!(form.epochs)
            check=SettingsError::check_epochs
        />
        <div class="field compact">
            <label for="train-batch">{tr("Batch size", "批大小")}</label>
            <select id="train-batch" prop:value=move || batch.get().to_string() on:change=set_batch>
                {BATCH_SIZES.map(|n| view! { <option value=n.to_string()>{n.to_string()}</option> }).collect_view()}
            </select>
        </div>
        <NumField id="train-seed" label=tr("Seed", "随机种子") value=lens!(form.seed) check=SettingsError::check_seed />
        <label class="check">
            <input
                type="checkbox"
                prop:checked=move || augment.get()
                on:change=move |ev| augment.set(event_target_checked(&ev))
            />
            {tr(" Augmentation (shifts and mirror images)", " 数据增强（平移和镜像）")}
        </label>
        <label class="check">
            <input
                type="checkbox"
                prop:checked=move || every_core.get()
                on:change=move |ev| every_core.set(event_target_checked(&ev))
            />
            {tr(
                " Every core on the CPU (each batch in parts, one per core; off: one core, the rest left free)",
                " 在 CPU 上使用所有核心（每批分成几份，每个核心一份；关闭则只用一个核心，其余留空）",
            )}
        </label>
    }
}

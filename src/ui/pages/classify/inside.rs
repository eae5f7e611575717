//! Inside the network, layer by layer: the stages of the forward pass for the
//! picture shown (how many numbers each holds), every map of the chosen stage
//! as a small heat map, and one map large beside its kernel. Pictures and
//! sentences come from [`crate::page::inside`].

use super::State;
use crate::domain::inspect::{Inspection, Stage, StageKind};
use crate::math::format::fmt_int;
use crate::page::inside::{
    flow, flow_sentence, heat, kernel_mosaic, range, shape_text, stage_name,
};
use crate::ui::i18n::{lang, tr};
use crate::ui::picture::rgba_url;
use leptos::prelude::*;

/// `f` of the current layer view, tracked; `None` before one (or after a failure).
pub(super) fn with_layers<T>(state: State, f: impl FnOnce(&Inspection) -> T) -> Option<T> {
    state
        .layers
        .with(|l| l.as_ref().and_then(|l| l.as_ref().ok()).map(f))
}

/// The stage being looked at, without its values (for labels).
fn bare(s: &Stage) -> Stage {
    Stage {
        kind: s.kind,
        layer: s.layer.clone(),
        shape: s.shape,
        values: Vec::new(),
        kernels: Vec::new(),
    }
}

#[component]
pub fn Inside(state: State) -> impl IntoView {
    let error = move || {
        state.layers.with(|l| match l {
            Some(Err(e)) => Some(e.message(lang())),
            _ => None,
        })
    };
    let sentence = move || with_layers(state, |i| flow_sentence(i, lang()));
    let numbers = move || with_layers(state, flow);
    let timing = move || {
        with_layers(state, |i| {
            let ms = i.millis;
            lang().pick(
                format!("Every stage computed and read back in {ms:.0} ms."),
                format!("所有阶段的计算与读回用时 {ms:.0} 毫秒。"),
            )
        })
    };
    view! {
        <Show when=move || state.layers.with(Option::is_some)>
            <section class="calculator inside" aria-labelledby="inside-heading">
                <h2 id="inside-heading">{tr("Inside the network", "网络内部")}</h2>
                <p>{sentence}</p>
                <p class="flow-numbers" id="inside-flow">{numbers}</p>
                <p class="error" role="alert">{error}</p>
                <Show when=move || with_layers(state, |_| ()).is_some()>
                    <Stages state />
                    <Maps state />
                    <Large state />
                </Show>
                <p class="hint" id="inside-timing">{timing}</p>
            </section>
        </Show>
    }
}

/// The stages as buttons: name, shape, numbers held.
#[component]
fn Stages(state: State) -> impl IntoView {
    let stages = move || with_layers(state, |i| i.stages.iter().map(bare).collect::<Vec<_>>());
    let item = move |(k, s): (usize, Stage)| {
        let pressed = move || (state.looking.with(|l| l.stage) == k).to_string();
        let pick = move |_| state.looking.update(|l| *l = l.at_stage(k));
        let numbers = fmt_int(s.numbers() as u64);
        let shape = shape_text(&s);
        view! {
            <li>
                <button type="button" class="stage" aria-pressed=pressed on:click=pick>
                    <span class="stage-name">{move || stage_name(&s, lang())}</span>
                    <span class="shape" translate="no">{shape}</span>
                    <span class="num">{numbers}</span>
                </button>
            </li>
        }
    };
    view! {
        <ol class="stages" aria-label=tr("Stages of the forward pass", "前向传播的各个阶段")>
            {move || stages().unwrap_or_default().into_iter().enumerate().map(item).collect_view()}
        </ol>
    }
}

/// Every map of the chosen stage, one colour scale for all of them.
#[component]
fn Maps(state: State) -> impl IntoView {
    let stage = Memo::new(move |_| state.looking.with(|l| l.stage));
    let urls = Memo::new(move |_| {
        let k = stage.get();
        with_layers(state, |i| {
            let Some(s) = i.stages.get(k) else {
                return (bare(&i.stages[0]), Vec::new());
            };
            let scale = range(&s.values);
            let [c, h, w] = s.shape;
            let urls = if s.is_spatial() {
                (0..c)
                    .map(|ch| rgba_url(&heat(s.map(ch), scale), w as u32, h as u32))
                    .collect()
            } else {
                vec![rgba_url(&heat(&s.values, scale), c as u32, 1)]
            };
            (bare(s), urls)
        })
    });
    let cell = move |(ch, url): (usize, String), n: usize| {
        let label = move || {
            lang().pick(
                format!("Map {} of {n}: open it large", ch + 1),
                format!("第 {} 张特征图（共 {n} 张）：放大查看", ch + 1),
            )
        };
        let pressed = move || (state.looking.with(|l| l.channel) == Some(ch)).to_string();
        let open = move |_| state.looking.update(|l| l.channel = Some(ch));
        view! {
            <li>
                <button type="button" class="map" aria-pressed=pressed title=label aria-label=label on:click=open>
                    <img src=url alt="" class="pixelated" />
                </button>
            </li>
        }
    };
    let grid = move || {
        let (s, urls) = urls.get()?;
        let n = urls.len();
        let spatial = s.is_spatial();
        let what = move || stage_name(&s, lang());
        Some(if spatial {
            view! {
                <ul class="maps" aria-label=what>
                    {urls.into_iter().enumerate().map(|p| cell(p, n)).collect_view()}
                </ul>
            }
            .into_any()
        } else {
            let url = urls.into_iter().next().unwrap_or_default();
            let alt = move || {
                lang().pick(
                    format!("{}: {n} numbers in a row, dark to bright", what()),
                    format!("{}：{n} 个数排成一行，由暗到亮", what()),
                )
            };
            view! { <img class="strip pixelated" src=url alt=alt /> }.into_any()
        })
    };
    view! {
        <div class="maps-box">
            {grid}
            <p class="hint">
                {tr(
                    "Each square is one channel's map for this picture: bright where the channel responds. \
                     One colour scale for the whole stage. Click a map to see it large.",
                    "每个方块是一个通道对这张图片的特征图：越亮表示该通道反应越强。整个阶段使用同一色标。点击一张图可放大查看。",
                )}
            </p>
        </div>
    }
}

/// The opened map, large, beside the kernel that made it.
#[component]
fn Large(state: State) -> impl IntoView {
    let opened = move || {
        let l = state.looking.get();
        let ch = l.channel?;
        with_layers(state, |i| {
            let s = i.stages.get(l.stage)?;
            if !s.is_spatial() || ch >= s.channels() {
                return None;
            }
            let [c, h, w] = s.shape;
            let map = rgba_url(&heat(s.map(ch), range(s.map(ch))), w as u32, h as u32);
            let kernel = (s.kind == StageKind::Conv).then(|| {
                let (px, kw, kh) = kernel_mosaic(s.kernel(ch));
                (rgba_url(&px, kw as u32, kh as u32), s.kernel_inputs())
            });
            Some((bare(s), ch, c, map, kernel))
        })
        .flatten()
    };
    let close = move |_| state.looking.update(|l| l.channel = None);
    move || {
        opened().map(|(s, ch, n, map, kernel)| {
            let s2 = s.clone();
            let alt = move || {
                lang().pick(
                    format!("{}, map {} of {n}, enlarged", stage_name(&s2, lang()), ch + 1),
                    format!("{}，第 {} 张特征图（共 {n} 张），放大", stage_name(&s2, lang()), ch + 1),
                )
            };
            let kernel_alt = tr("Its kernel, input channel by input channel", "它的卷积核，按输入通道排列");
            let pool = tr(
                "Pooling has no weights: each value is the largest of a 2\u{d7}2 block of the stage before.",
                "池化没有权重：每个值是上一阶段一个 2\u{d7}2 区块中的最大值。",
            );
            let input = tr(
                "The picture's channel after normalization (the training set's mean subtracted, then \
                 divided by its spread).",
                "图片的这个通道经过归一化（减去训练集均值，再除以其标准差）。",
            );
            let side = match (s.kind, kernel) {
                (_, Some((url, inputs))) => view! {
                    <figure class="kernel">
                        <img src=url class="pixelated" alt=kernel_alt />
                        <figcaption>
                            {move || lang().pick(
                                format!("Its kernel: 3\u{d7}3 weights over each of the {inputs} input channels \
                                         (red adds, blue subtracts, white is zero). In the default CNN batch norm \
                                         then rescales and shifts the sum."),
                                format!("它的卷积核：对 {inputs} 个输入通道各有 3\u{d7}3 个权重（红为加，蓝为减，\
                                         白为零）。默认 CNN 中，批归一化随后对求和结果缩放和平移。"),
                            )}
                        </figcaption>
                    </figure>
                }.into_any(),
                (StageKind::Pool, _) => view! {
                    <p class="hint">{pool}</p>
                }.into_any(),
                _ => view! {
                    <p class="hint">{input}</p>
                }.into_any(),
            };
            view! {
                <div class="large-map" id="inside-large">
                    <img src=map class="pixelated" alt=alt width="192" height="192" />
                    {side}
                    <button type="button" on:click=close>{tr("Close", "关闭")}</button>
                </div>
            }
        })
    }
}

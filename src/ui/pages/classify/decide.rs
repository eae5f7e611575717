//! What the first layer looks for (its kernels as RGB patches) and which
//! pixels decide the answer (gradient or occlusion laid over the picture).

use super::inside::with_layers;
use super::State;
use crate::data::cifar::class_name;
use crate::page::inside::{filter_mosaic, kernel_facts, overlay, overlay_caption, Overlay};
use crate::ui::components::Choice;
use crate::ui::i18n::{lang, tr};
use crate::ui::picture::{data_url, rgba_url};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The first convolution's kernels, for whichever model is chosen above.
#[component]
pub fn Filters(state: State) -> impl IntoView {
    let first = move || {
        with_layers(state, |i| {
            let s = i.first_conv()?;
            let (px, w, h) = filter_mosaic(&s.kernels);
            Some((
                rgba_url(&px, w as u32, h as u32),
                s.kernels.clone(),
                s.channels(),
            ))
        })
        .flatten()
    };
    move || {
        first().map(|(url, kernels, n)| {
            let facts = move || kernel_facts(&kernels, lang());
            let alt = tr("The first layer's kernels as colour patches", "第一层卷积核的彩色小块");
            view! {
                <figure class="filters" id="inside-filters">
                    <img src=url class="pixelated" alt=alt />
                    <figcaption>
                        {move || lang().pick(
                            format!("What the first layer looks for: its {n} kernels, each 3\u{d7}3 pixels \
                                     over R, G and B, shown as weights on the normalized input. Mid-grey is \
                                     zero; a colour is what the unit responds to positively, its complementary \
                                     colour what it responds against. \
                                     Choose another model above (pretrained, trained in this browser, or \
                                     compressed) to compare."),
                            format!("第一层在寻找什么：它的 {n} 个卷积核，每个覆盖 R、G、B 上的 3\u{d7}3 个像素。\
                                     显示的是作用在归一化输入上的权重。中灰为零；某种颜色表示该单元对它\
                                     正向响应，其互补色表示它反向响应。在上方换一个模型（预训练的、在本浏览器中\
                                     训练的或压缩过的）即可比较。"),
                        )}
                        " "
                        <span id="inside-filter-facts">{facts}</span>
                    </figcaption>
                </figure>
            }
        })
    }
}

#[component]
pub fn Decide(state: State) -> impl IntoView {
    // Choosing an overlay asks for the maps (once per picture and model).
    Effect::new(move |_| {
        if state.overlay.get() != Overlay::Off {
            spawn_local(state.explain());
        }
    });
    let options = vec![
        (Overlay::Off, ["Nothing", "无"]),
        (Overlay::Gradient, ["Gradient", "梯度"]),
        (Overlay::Occlusion, ["Occlusion", "遮挡"]),
    ];
    let picture = move || {
        state
            .shown
            .with(|s| s.as_ref().map(|s| s.picture.planar.clone()))
    };
    let laid = move || {
        let o = state.overlay.get();
        let planar = picture()?;
        state.saliency.with(|m| {
            let m = m.as_ref()?.as_ref().ok()?;
            let map = match o {
                Overlay::Off => return None,
                Overlay::Gradient => &m.gradient,
                Overlay::Occlusion => &m.occlusion,
            };
            let name = class_name(m.class, lang());
            let caption = overlay_caption(o, name, m.probability, lang());
            let timing = lang().pick(
                format!(
                    "Gradient: {:.0} ms; occlusion (49 covered pictures): {:.0} ms.",
                    m.gradient_millis, m.occlusion_millis
                ),
                format!(
                    "梯度：{:.0} 毫秒；遮挡（49 张被遮挡的图片）：{:.0} 毫秒。",
                    m.gradient_millis, m.occlusion_millis
                ),
            );
            Some((rgba_url(&overlay(&planar, map), 32, 32), caption, timing))
        })
    };
    let waiting =
        move || state.overlay.get() != Overlay::Off && state.saliency.with(Option::is_none);
    let error = move || {
        state.saliency.with(|m| match m {
            Some(Err(e)) => Some(e.message(lang())),
            _ => None,
        })
    };
    view! {
        <Show when=move || with_layers(state, |_| ()).is_some()>
            <section class="calculator decide" aria-labelledby="decide-heading">
                <h2 id="decide-heading">{tr("What the network looks at", "网络看的是什么")}</h2>
                <Filters state />
                <h3>{tr("Which pixels decide", "哪些像素起决定作用")}</h3>
                <Choice legend=tr("Over the picture", "叠加在图片上") name="overlay" options=options.clone()
                    value=state.overlay />
                <p class="hint" role="status">
                    {move || waiting().then(|| tr("Computing the maps\u{2026}", "正在计算\u{2026}")().to_string())}
                </p>
                <p class="error" role="alert">{error}</p>
                {move || laid().map(|(url, caption, timing)| view! {
                    <figure class="saliency" id="inside-saliency">
                        <div class="pair">
                            <img src=picture().map(|p| data_url(&p)) class="pixelated" width="192" height="192"
                                alt=tr("The picture the model sees", "模型看到的图片") />
                            <img src=url class="pixelated" width="192" height="192"
                                alt=tr("The same picture with the map over it", "叠加了热图的同一张图片") />
                        </div>
                        <figcaption>{caption} " " <span class="hint">{timing}</span></figcaption>
                    </figure>
                })}
            </section>
        </Show>
    }
}

//! The compression controls: which model, on how many test images; how much to
//! prune; how to store what survives.

use super::State;
use crate::domain::{Granularity, PruneScope, QuantMode};
use crate::page::compress::Kind;
use crate::ui::components::{saved_models, Choice, ModelOptions, Rich};
use crate::ui::i18n::{lang, tr};
use leptos::prelude::*;

#[component]
pub fn Settings(state: State) -> impl IntoView {
    let saved = saved_models();
    let set_images = move |ev| {
        state
            .images
            .set(event_target_value(&ev).parse().unwrap_or(200))
    };
    view! {
        <section class="calculator" aria-labelledby="settings-heading">
            <h2 id="settings-heading">{tr("Settings", "设置")}</h2>
            <div class="toolbar">
                <div class="field compact">
                    <label for="compress-model">{tr("Model", "模型")}</label>
                    <select
                        id="compress-model"
                        prop:value=move || state.model.get()
                        on:change=move |ev| state.model.set(event_target_value(&ev))
                    >
                        <ModelOptions saved uncompressed_only=true />
                    </select>
                </div>
                <div class="field compact">
                    <label for="compress-images">{tr("Test images to measure on", "用于测量的测试图片数")}</label>
                    <select id="compress-images" prop:value=move || state.images.get().to_string() on:change=set_images>
                        <option value="100">{tr("100 (fast)", "100（快）")}</option>
                        <option value="200">"200"</option>
                        <option value="430">"430"</option>
                        <option value="860">{tr("all 860", "全部 860")}</option>
                    </select>
                </div>
            </div>
            <div class="compress-controls">
                <Prune state />
                <Store state />
            </div>
        </section>
    }
}

#[component]
fn Prune(state: State) -> impl IntoView {
    let sparsity = state.fields.sparsity;
    let label = move || {
        let s = sparsity.get();
        lang().pick(
            format!("Sparsity: {s}% of conv and linear weights set to zero"),
            format!("稀疏度：{s}% 的卷积和全连接权重置为零"),
        )
    };
    view! {
        <fieldset class="side">
            <legend>{tr("1. Prune", "1. 剪枝")}</legend>
            <div class="field">
                <label for="sparsity">{label}</label>
                <input
                    id="sparsity"
                    type="range"
                    min="0"
                    max="99"
                    step="1"
                    prop:value=move || sparsity.get().to_string()
                    on:input=move |ev| sparsity.set(event_target_value(&ev).parse().unwrap_or(0.0))
                />
            </div>
            <Choice
                legend=tr("Rank weights", "权重排序范围")
                name="scope"
                options=vec![(PruneScope::Global, ["Globally", "全局"]), (PruneScope::PerLayer, ["Per layer", "逐层"])]
                value=state.fields.scope
            />
            <p class="hint">
                {tr(
                    "The smallest weights in magnitude go first. Per layer: every layer loses the same share. \
                     Globally: one threshold for all layers, so small layers with large weights (the first \
                     convolution) keep theirs; on the default CNN it loses far less accuracy.",
                    "绝对值最小的权重最先被剪掉。逐层：每层剪掉相同的比例。全局：所有层共用一个阈值，所以权重较大的小层\
                     （第一个卷积层）能保留它们；在默认 CNN 上准确率损失小得多。",
                )}
            </p>
        </fieldset>
    }
}

#[component]
fn Store(state: State) -> impl IntoView {
    let f = state.fields;
    let kinds = vec![
        (Kind::Float, ["32-bit floats", "32 位浮点数"]),
        (Kind::Quantize, ["Quantize", "量化"]),
        (Kind::Share, ["Share (k-means)", "共享（k-means）"]),
    ];
    view! {
        <fieldset class="side">
            <legend>{tr("2. Store what survives", "2. 存储保留下来的权重")}</legend>
            <Choice legend=tr("Coding", "编码") name="coding" options=kinds value=f.kind />
            {move || match f.kind.get() {
                Kind::Quantize => view! { <Quantize state /> }.into_any(),
                Kind::Share => view! { <Share state /> }.into_any(),
                Kind::Float => view! {
                    <p class="hint">
                        {tr(
                            "Surviving weights stay 32-bit floats; only pruning and DEFLATE save space.",
                            "保留的权重仍是 32 位浮点数；只有剪枝和 DEFLATE 节省空间。",
                        )}
                    </p>
                }
                    .into_any(),
            }}
        </fieldset>
    }
}

#[component]
fn Quantize(state: State) -> impl IntoView {
    let f = state.fields;
    let label = move || {
        lang().pick(
            format!("Bits per weight: {}", f.bits.get()),
            format!("每个权重的位数：{}", f.bits.get()),
        )
    };
    let scales = vec![
        (
            Granularity::PerChannel,
            ["Per output channel", "逐输出通道"],
        ),
        (Granularity::PerTensor, ["Per tensor", "逐张量"]),
    ];
    let grids = vec![
        (
            QuantMode::Affine,
            ["Affine (min to max)", "仿射（最小到最大）"],
        ),
        (
            QuantMode::Symmetric,
            ["Symmetric (zero exact)", "对称（零点精确）"],
        ),
    ];
    view! {
        <div class="field">
            <label for="qbits">{label}</label>
            <input
                id="qbits"
                type="range"
                min="1"
                max="16"
                step="1"
                prop:value=move || f.bits.get().to_string()
                on:input=move |ev| f.bits.set(event_target_value(&ev).parse().unwrap_or(8))
            />
        </div>
        <Choice legend=tr("Scale", "缩放粒度") name="granularity" options=scales value=f.granularity />
        <Choice legend=tr("Grid", "网格") name="qmode" options=grids value=f.mode />
        <p class="hint">
            <Rich text=tr(
                "Affine: `w \u{2248} lo + q\u{b7}s` with q in 0\u{2026}2\u{1d47}\u{2212}1. Symmetric: w \u{2248} \
                 q\u{b7}s \
                 with |q| \u{2264} 2\u{1d47}\u{207b}\u{b9}\u{2212}1; at 1 bit it keeps the sign times the mean \
                 magnitude \
                 (Binary-Weight-Networks, Rastegari et al. 2016; BinaryConnect, Courbariaux et al. 2015, keeps \
                 \u{b1}1 without a scale). Each scale is a 32-bit float and is counted.",
                "仿射：`w \u{2248} lo + q\u{b7}s`，q 取 0\u{2026}2\u{1d47}\u{2212}1。对称：w \u{2248} q\u{b7}s，\
                 |q| \u{2264} 2\u{1d47}\u{207b}\u{b9}\u{2212}1；1 位时保留符号乘以平均幅值（Binary-Weight-Networks，Rastegari 等 2016；\
                 BinaryConnect（Courbariaux 等 2015）只取 \u{b1}1，不带缩放）。每个缩放因子\
                 都是一个 32 位浮点数，也计入大小。",
            ) />
        </p>
    }
}

#[component]
fn Share(state: State) -> impl IntoView {
    let k = state.fields.k;
    let label = move || {
        lang().pick(
            format!("Shared values per layer: k = {}", k.get()),
            format!("每层共享值个数：k = {}", k.get()),
        )
    };
    let set = move |ev| {
        k.set(
            1 << event_target_value(&ev)
                .parse::<u32>()
                .unwrap_or(4)
                .clamp(1, 8),
        )
    };
    view! {
        <div class="field">
            <label for="kshare">{label}</label>
            <input
                id="kshare"
                type="range"
                min="1"
                max="8"
                step="1"
                prop:value=move || (k.get() as f64).log2().round().to_string()
                on:input=set
            />
        </div>
        <p class="hint">
            {tr(
                "k-means (Lloyd's algorithm, linear initialisation as in Deep Compression) groups each layer's \
                 weights into k clusters; a weight stores only its cluster's index and the layer stores the k \
                 centroids. Deep Compression stores each index in \u{2308}log\u{2082} k\u{2309} bits before \
                 Huffman coding; this site's .clz arithmetic-codes the indices, so an index costs about the \
                 layer's index entropy, usually less.",
                "k-means（Lloyd 算法，像 Deep Compression 一样线性初始化）把每层的权重分成 k 个簇；每个权重只存它所在\
                 簇的索引，每层再存 k 个簇中心。Deep Compression 在 Huffman 编码之前用 \u{2308}log\u{2082} k\u{2309} \
                 位存每个索引；本站的 .clz 对索引做算术编码，所以一个索引大约只花该层索引的熵，通常更少。",
            )}
        </p>
    }
}

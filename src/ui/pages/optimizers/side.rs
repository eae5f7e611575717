//! Beside the plot: the hyperparameters the chosen optimizers use, the race,
//! and Burn's defaults against the textbook's.

use super::{color, Tutorial};
use crate::math::optim::Method;
use crate::page::optimizers::{snap_lr, HyperError};
use crate::ui::components::{NumField, Rich};
use crate::ui::i18n::{lang, tr};
use leptos::prelude::*;

#[component]
pub fn Hyperparameters(t: Tutorial) -> impl IntoView {
    let f = t.f;
    // Whether any optimizer in the run uses a parameter.
    let shows =
        move |pred: fn(Method) -> bool| move || t.setup.with(|s| s.methods().into_iter().any(pred));
    let on_slider = move |ev| {
        if let Ok(e) = event_target_value(&ev).parse::<f64>() {
            f.lr.set(snap_lr(e));
        }
    };
    let no_data = move || f.method.get() == Method::Sgd && !f.surface.get().has_data();
    view! {
        <fieldset class="hyper">
            <legend>{tr("Hyperparameters", "超参数")}</legend>
            <NumField
                id="hp-lr"
                label=tr("Learning rate \u{3b1}", "学习率 \u{3b1}")
                value=f.lr
                check=HyperError::check_lr
                hint=["Shared by every optimizer in a race", "赛跑中所有优化器共用"]
            />
            <input
                type="range"
                class="lr-slider"
                aria-label=tr("Learning rate, log scale", "学习率（对数刻度）")
                min="-5"
                max="1"
                step="0.05"
                prop:value=move || format!("{:.2}", f.lr.get().log10())
                on:input=on_slider
            />
            <Show when=shows(|m| matches!(m, Method::Adam | Method::AdamW | Method::ArticleAdam))>
                <NumField id="hp-b1" label="\u{3b2}\u{2081}" value=f.beta1 check=HyperError::check_unit />
            </Show>
            <Show when=shows(|m| matches!(m, Method::Adam | Method::AdamW | Method::ArticleAdam))>
                <NumField id="hp-b2" label="\u{3b2}\u{2082}" value=f.beta2 check=HyperError::check_unit />
            </Show>
            <Show when=shows(|m| m == Method::RmsProp)>
                <NumField
                    id="hp-rho"
                    label=tr("RMSProp \u{3c1}", "RMSProp \u{3c1}")
                    value=f.rho
                    check=HyperError::check_unit
                />
                <p class="hint">
                    <Rich text=tr(
                        "\u{3c1} = 0.9 as in Hinton's lecture 6e; PyTorch's default (its `alpha`) is 0.99.",
                        "\u{3c1} = 0.9 取自 Hinton 的第 6e 讲；PyTorch 的默认值（它的 `alpha`）是 0.99。",
                    ) />
                </p>
            </Show>
            <Show when=shows(|m| m.has_v())>
                <NumField id="hp-eps" label="\u{3b5}" value=f.eps check=HyperError::check_eps />
            </Show>
            <Show when=shows(|m| matches!(m, Method::Momentum | Method::Nesterov))>
                <NumField
                    id="hp-mu"
                    label=tr("Momentum \u{3bc}", "动量 \u{3bc}")
                    value=f.momentum
                    check=HyperError::check_unit
                />
                <NumField id="hp-damp" label=tr("Dampening d", "阻尼 d") value=f.dampening check=HyperError::check_damp />
            </Show>
            <Show when=shows(|m| m == Method::AdamW)>
                <NumField
                    id="hp-wd"
                    label=tr("Weight decay \u{3bb}", "权重衰减 \u{3bb}")
                    value=f.weight_decay
                    check=HyperError::check_damp
                />
                <p class="hint">
                    {tr(
                        "Decoupled decay as PyTorch writes it: \u{3b8} \u{2190} \u{3b8} \u{2212} \
                         \u{3b1}(m\u{302}/(\u{221a}v\u{302}+\u{3b5}) + \u{3bb}\u{3b8}). Loshchilov & Hutter (2019) \
                         scale the decay by the schedule multiplier \u{3b7}\u{209c}, not by \u{3b1}; with a constant \
                         rate the two differ only in how \u{3bb} is counted.",
                        "PyTorch 写法的解耦衰减：\u{3b8} \u{2190} \u{3b8} \u{2212} \
                         \u{3b1}(m\u{302}/(\u{221a}v\u{302}+\u{3b5}) + \u{3bb}\u{3b8})。Loshchilov 与 Hutter（2019）\
                         用学习率调度乘子 \u{3b7}\u{209c} 而不是 \u{3b1} 来缩放衰减；学习率不变时，两者只差在 \u{3bb} 的计法上。",
                    )}
                </p>
            </Show>
            <Show when=shows(|m| m == Method::Sgd)>
                <NumField
                    id="hp-batch"
                    label=tr("Mini-batch size", "小批量大小")
                    value=f.batch
                    check=HyperError::check_batch
                />
                <NumField id="hp-seed" label=tr("Seed", "随机种子") value=f.seed check=HyperError::check_seed />
            </Show>
        </fieldset>
        <Show when=no_data>
            <p class="note">
                {tr(
                    "This surface has no data to sample, so SGD's gradient is the exact gradient and it moves exactly \
                     like gradient descent. Choose the least-squares fit to see real mini-batches.",
                    "这个曲面没有可采样的数据，所以 SGD 的梯度就是精确梯度，它的走法与梯度下降完全相同。选择最小二乘拟合\
                     才能看到真正的小批量。",
                )}
            </p>
        </Show>
    }
}

/// Optimizers that run beside the chosen one, from the same start.
#[component]
pub fn Race(t: Tutorial) -> impl IntoView {
    let item = move |m: Method| {
        let toggle = move |ev| {
            t.form
                .update(|s| s.set_racing(m, event_target_checked(&ev)))
        };
        view! {
            <label class="check">
                <input type="checkbox" prop:checked=move || t.form.with(|s| s.race.contains(&m)) on:change=toggle />
                <span class="swatch" style=format!("background:{}", color(m))></span>
                {move || m.name(lang())}
            </label>
        }
    };
    view! {
        <fieldset class="race">
            <legend>{tr("Race against", "与之赛跑")}</legend>
            {Method::ALL.map(item).collect_view()}
        </fieldset>
    }
}

/// Burn's defaults differ from the textbook's: say so, and switch between them.
#[component]
pub fn Defaults(t: Tutorial) -> impl IntoView {
    let set = move |eps: f64, damp: f64| {
        t.form
            .update(|s| (s.hyper.eps, s.hyper.dampening) = (eps, damp));
    };
    view! {
        <div class="defaults">
            <p class="small">
                <strong>{tr("Burn's defaults differ from the textbook: ", "Burn 的默认值与教科书不同：")}</strong>
                {move || lang().pick(
                    "Adam's \u{3b5} is 10\u{207b}\u{2075} in Burn (Kingma & Ba: 10\u{207b}\u{2078}), and Burn's \
                     momentum \
                     damps each new gradient by d = 0.1 (textbook and PyTorch: 0). The training page keeps Burn's \
                     \u{3b5} and sets the dampening to 0.",
                    "Burn 中 Adam 的 \u{3b5} 是 10\u{207b}\u{2075}（Kingma & Ba：10\u{207b}\u{2078}），Burn 的动量把每个新\
                     梯度按 d = 0.1 阻尼（教科书和 PyTorch：0）。训练页面沿用 Burn 的 \u{3b5}，并把阻尼设为 0。",
                )}
            </p>
            <button type="button" class="button secondary small-button" on:click=move |_| set(1e-5, 0.1)>
                {tr("Use Burn's defaults", "使用 Burn 的默认值")}
            </button>
            " "
            <button type="button" class="button secondary small-button" on:click=move |_| set(1e-8, 0.0)>
                {tr("Use the textbook's", "使用教科书的值")}
            </button>
        </div>
    }
}

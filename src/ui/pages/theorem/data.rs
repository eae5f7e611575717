//! Section 1: the law, its true parameters, how many points and how much noise.

use super::State;
use crate::math::theorem::Law;
use crate::page::theorem::FieldError;
use crate::ui::components::{Choice, NumField, TextField};
use crate::ui::i18n::{lang, tr};
use leptos::prelude::*;

#[component]
pub fn DataSection(s: State) -> impl IntoView {
    let laws = vec![
        (
            Law::Linear,
            ["y = a\u{b7}x\u{2081} + b\u{b7}x\u{2082} + c"; 2],
        ),
        (
            Law::Kepler,
            [
                "Kepler: ln T = k\u{b7}ln a + c",
                "开普勒：ln T = k\u{b7}ln a + c",
            ],
        ),
    ];
    let how = move || {
        match s.law.get() {
        Law::Linear => lang().pick(
            "x\u{2081}, x\u{2082} uniform in [\u{2212}2, 2]; y recorded to 3 decimals (\u{3b4} = 0.001).",
            "x\u{2081}、x\u{2082}在[\u{2212}2, 2]内均匀分布；y记录到小数点后3位（\u{3b4} = 0.001）。",
        ),
        Law::Kepler => lang().pick(
            "Semi-major axes a from 0.2 to 40 AU (log-uniform), periods T in years; the noise is on ln T, \
             recorded to 4 decimals (\u{3b4} = 0.0001). Kepler: T\u{b2} = a\u{b3}, so k = 3/2 and c = 0.",
            "半长轴a在0.2到40 AU之间（对数均匀），周期T以年计；噪声加在ln T上，记录到小数点后4位\
             （\u{3b4} = 0.0001）。开普勒定律：T\u{b2} = a\u{b3}，即k = 3/2、c = 0。",
        ),
    }
    };
    view! {
        <section class="calculator" aria-labelledby="law-heading">
            <h2 id="law-heading">{tr("1. The data", "1. 数据")}</h2>
            <Choice legend=tr("Law", "定律") name="law" options=laws value=s.law />
            <div class="controls-row">
                <TextField
                    id="law-truth"
                    label=tr("True parameters", "真实参数")
                    hint=tr(
                        "The numbers that generate the data, in order; try 3.37 instead of 3.",
                        "生成数据的数，按顺序；试试把3换成3.37。",
                    )
                    value=s.truth_text
                    error=Signal::derive(move || s.truth.get().err())
                />
                <NumField id="law-n" label=tr("Points", "数据点数") value=s.n check=FieldError::check_points />
                <NumField
                    id="law-noise"
                    label=tr("Noise (standard deviation)", "噪声（标准差）")
                    value=s.noise
                    check=FieldError::check_noise
                />
                <NumField id="law-seed" label=tr("Seed", "随机种子") value=s.seed check=FieldError::check_seed />
            </div>
            <p class="small">{how}</p>
            <p class="error" role="alert">{move || s.data.get().err()}</p>
            <button class="button" on:click=move |_| s.fit() disabled=move || s.data.with(|d| d.is_err())>
                {tr("Fit by gradient descent", "用梯度下降拟合")}
            </button>
        </section>
    }
}

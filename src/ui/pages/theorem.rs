//! The exact-theorem demo: noisy data from an exact law, a gradient-descent fit
//! (animated), then incremental modifications that snap parameters to simple
//! numbers while the total description length shrinks and the fit stays within
//! the noise. All numbers come from [`crate::math::theorem`].

use leptos::prelude::*;
use leptos_meta::Title;
use std::time::Duration;

use crate::math::format::fmt_sig;
use crate::math::parse::parse_list;
use crate::math::theorem::{
    generate, gradient_descent, simplify, Dataset, GdPoint, Law, Move, Number, Simplification, Stop,
};
use crate::ui::components::{Choice, NumField, TextField};
use crate::ui::i18n::{lang, tr, Lang};

fn bits(b: f64) -> String {
    format!("{b:.1}")
}

fn reduced_motion() -> bool {
    window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .map(|m| m.matches())
        .unwrap_or(false)
}

fn show_number(n: &Number) -> String {
    match n {
        Number::Float(v) => fmt_sig(*v as f64, 6).replace('-', "\u{2212}"),
        other => other.show(),
    }
}

/// Frames for the animation: about 60 points, spaced by the log of the step.
fn frames(path: &[GdPoint]) -> Vec<GdPoint> {
    if path.len() <= 60 {
        return path.to_vec();
    }
    let last = path.last().map(|p| p.step).unwrap_or(1).max(1) as f64;
    let mut out: Vec<GdPoint> = Vec::new();
    for k in 0..=60 {
        let target = (last.ln() * k as f64 / 60.0).exp();
        if let Some(p) = path.iter().find(|p| p.step as f64 >= target) {
            if out.last().map(|o| o.step) != Some(p.step) {
                out.push(p.clone());
            }
        }
    }
    out
}

#[component]
pub fn Theorem() -> impl IntoView {
    let law = RwSignal::new(Law::Linear);
    let n = RwSignal::new(200.0);
    let noise = RwSignal::new(Law::Linear.default_noise());
    let seed = RwSignal::new(1.0);
    let truth_text = RwSignal::new("3, -2, 1".to_string());
    // Switching the law resets its parameters and noise.
    Effect::new(move |prev: Option<Law>| {
        let l = law.get();
        if prev.is_some() && prev != Some(l) {
            truth_text.set(
                l.default_truth()
                    .iter()
                    .map(|v| format!("{v}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            noise.set(l.default_noise());
        }
        l
    });
    let truth = Memo::new(move |_| -> Result<Vec<f64>, String> {
        let l = law.get();
        let v = parse_list(&truth_text.get()).map_err(|e| e.to_string())?;
        if v.len() != l.params().len() {
            return Err(format!(
                "Give {} numbers ({}), not {}.",
                l.params().len(),
                l.params().join(", "),
                v.len()
            ));
        }
        Ok(v)
    });
    let truth_error = Signal::derive(move || truth.get().err());
    let data = Memo::new(move |_| -> Result<Dataset, String> {
        let t = truth.get()?;
        generate(
            law.get(),
            &t,
            n.get() as usize,
            noise.get(),
            seed.get() as u64,
        )
        .map_err(|e| e.to_string())
    });

    // The fit: the animation's frame index into the path.
    let path = RwSignal::new(Vec::<GdPoint>::new());
    let shown = RwSignal::new(0usize);
    let result = RwSignal::new(None::<Simplification>);
    let revealed = RwSignal::new(0usize);
    let timer = StoredValue::new(None::<IntervalHandle>);
    let stop_timer = move || {
        if let Some(h) = timer.get_value() {
            h.clear();
        }
        timer.set_value(None);
    };
    // Any change of the data invalidates the fit.
    Effect::new(move |_| {
        let _ = data.get();
        stop_timer();
        path.set(Vec::new());
        shown.set(0);
        result.set(None);
        revealed.set(0);
    });
    on_cleanup(stop_timer);

    let fit = move |_| {
        let Ok(d) = data.get_untracked() else { return };
        stop_timer();
        let full = gradient_descent(&d, 200_000, 10);
        let final_theta = full.last().map(|p| p.theta.clone()).unwrap_or_default();
        let fr = frames(&full);
        let last = fr.len().saturating_sub(1);
        path.set(fr);
        let s = simplify(&d, &final_theta);
        result.set(Some(s));
        revealed.set(1);
        if reduced_motion() {
            shown.set(last);
            return;
        }
        shown.set(0);
        if let Ok(h) = set_interval_with_handle(
            move || {
                let next = shown.get_untracked() + 1;
                if next >= last {
                    shown.set(last);
                    if let Some(h) = timer.get_value() {
                        h.clear();
                    }
                } else {
                    shown.set(next);
                }
            },
            Duration::from_millis(40),
        ) {
            timer.set_value(Some(h));
        }
    };
    let fitting = move || {
        let p = path.with(Vec::len);
        p > 0 && shown.get() + 1 < p
    };
    let steps_total = move || result.with(|r| r.as_ref().map(|s| s.steps.len()).unwrap_or(0));

    let law_now = move || law.get();
    view! {
        <Title text=tr("From noisy data to an exact law", "从带噪数据到精确定律") />
        <article class="page theorem">
            <header class="page-head">
                <p class="eyebrow">{tr("The article's title, made real", "把文章标题变成现实")}</p>
                <h1>{tr("From noisy data to an exact law", "从带噪数据到精确定律")}</h1>
                <p class="lede">
                    {tr(
                        "The article promises \u{201c}gaining precision through incremental modifications and \
                         generalization to an exact theorem\u{201d} but never shows it. Here it is: data from an \
                         exact law plus noise, a model fitted by gradient descent, then one modification at a \
                         time \u{2014} replace a parameter by a simple number \u{2014} kept only when the total \
                         description length (parameter bits + residual bits) gets shorter and the fit stays \
                         within the noise.",
                        "文章承诺“通过逐步修改和概括得到精确的定理”，却从未展示。这里展示它：由精确定律加噪声生成的数据，\
                         用梯度下降拟合的模型，然后每次做一处修改——把一个参数换成简单的数——只有当总描述长度\
                         （参数比特 + 残差比特）变短、且拟合仍在噪声范围内时才保留这处修改。",
                    )}
                </p>
            </header>

            <section class="calculator" aria-labelledby="law-heading">
                <h2 id="law-heading">{tr("1. The data", "1. 数据")}</h2>
                <Choice
                    legend=tr("Law", "定律")
                    name="law"
                    options=vec![
                        (Law::Linear, ["y = a\u{b7}x\u{2081} + b\u{b7}x\u{2082} + c"; 2]),
                        (Law::Kepler, ["Kepler: ln T = k\u{b7}ln a + c", "开普勒：ln T = k\u{b7}ln a + c"]),
                    ]
                    value=law
                />
                <div class="controls-row">
                    <TextField
                        id="law-truth"
                        label=tr("True parameters", "真实参数")
                        hint=tr("The numbers that generate the data, in order; try 3.37 instead of 3.", "生成数据的数，按顺序；试试把3换成3.37。")
                        value=truth_text
                        error=truth_error
                    />
                    <NumField
                        id="law-n"
                        label=tr("Points", "数据点数")
                        value=n
                        check=|v| {
                            if v.fract() == 0.0 && (6.0..=5000.0).contains(&v) {
                                Ok(())
                            } else {
                                Err("a whole number from 6 to 5,000".to_string())
                            }
                        }
                    />
                    <NumField
                        id="law-noise"
                        label=tr("Noise (standard deviation)", "噪声（标准差）")
                        value=noise
                        check=|v| {
                            if (0.0..=10.0).contains(&v) { Ok(()) } else { Err("between 0 and 10".to_string()) }
                        }
                    />
                    <NumField
                        id="law-seed"
                        label=tr("Seed", "随机种子")
                        value=seed
                        check=|v| {
                            if v.fract() == 0.0 && (0.0..=1e9).contains(&v) {
                                Ok(())
                            } else {
                                Err("a whole number from 0 to 10\u{2079}".to_string())
                            }
                        }
                    />
                </div>
                <p class="small">
                    {move || match law_now() {
                        Law::Linear => tr(
                            "x\u{2081}, x\u{2082} uniform in [\u{2212}2, 2]; y recorded to 3 decimals (\u{3b4} = 0.001).",
                            "x\u{2081}、x\u{2082}在[\u{2212}2, 2]内均匀分布；y记录到小数点后3位（\u{3b4} = 0.001）。",
                        )(),
                        Law::Kepler => tr(
                            "Semi-major axes a from 0.2 to 40 AU (log-uniform), periods T in years; the noise is on ln T, recorded to 4 decimals (\u{3b4} = 0.0001). Kepler: T\u{b2} = a\u{b3}, so k = 3/2 and c = 0.",
                            "半长轴a在0.2到40 AU之间（对数均匀），周期T以年计；噪声加在ln T上，记录到小数点后4位（\u{3b4} = 0.0001）。开普勒定律：T\u{b2} = a\u{b3}，即k = 3/2、c = 0。",
                        )(),
                    }}
                </p>
                <p class="error" role="alert">
                    {move || data.get().err()}
                </p>
                <button class="button" on:click=fit disabled=move || data.with(|d| d.is_err())>
                    {tr("Fit by gradient descent", "用梯度下降拟合")}
                </button>
            </section>

            <Show when=move || path.with(|p| !p.is_empty())>
                <FitView data=data path=path shown=shown fitting=Signal::derive(fitting) />
            </Show>

            <Show when=move || result.with(Option::is_some) && !fitting()>
                <section class="calculator" aria-labelledby="snap-heading">
                    <h2 id="snap-heading">{tr("3. Incremental modifications", "3. 逐步修改")}</h2>
                    <p>
                        {tr(
                            "Each step tries every simple number near each remaining parameter (its roundings to \
                             0\u{2013}4 decimals and fractions with denominators up to 12), refits the other \
                             parameters, and keeps the snap with the shortest total \u{2014} if it is shorter than \
                             before and the fit stays within the noise (\u{3c7}\u{b2} at the 0.1 % level).",
                            "每一步对每个尚未简化的参数尝试附近的所有简单数（保留0\u{2013}4位小数的取整，以及分母不超过12的分数），\
                             重新拟合其余参数，并保留总长度最短的那一个——前提是它比之前更短，且拟合仍在噪声范围内\
                             （0.1%水平的\u{3c7}\u{b2}检验）。",
                        )}
                    </p>
                    <div class="controls-row">
                        <button
                            class="button"
                            on:click=move |_| revealed.update(|r| *r += 1)
                            disabled=move || { revealed.get() > steps_total() }
                        >
                            {tr("Next modification", "下一处修改")}
                        </button>
                        <button
                            class="button secondary"
                            on:click=move |_| revealed.set(steps_total() + 1)
                            disabled=move || { revealed.get() > steps_total() }
                        >
                            {tr("All steps", "全部步骤")}
                        </button>
                    </div>
                    {move || {
                        result
                            .get()
                            .map(|s| view! { <Steps s=s law=law.get_untracked() revealed=revealed /> })
                    }}
                </section>
            </Show>
        </article>
    }
}

#[component]
fn FitView(
    data: Memo<Result<Dataset, String>>,
    path: RwSignal<Vec<GdPoint>>,
    shown: RwSignal<usize>,
    fitting: Signal<bool>,
) -> impl IntoView {
    let point = move || path.with(|p| p.get(shown.get()).or(p.last()).cloned());
    let (w, h) = (420.0, 260.0);
    let chart = move || {
        let (Ok(d), Some(pt)) = (data.get(), point()) else {
            return view! { <g></g> }.into_any();
        };
        // x: ln a for Kepler, the model's prediction for the linear law; y: the data.
        let pred = |row: &Vec<f64>| row.iter().zip(&pt.theta).map(|(a, b)| a * b).sum::<f64>();
        let xs: Vec<f64> = match d.law {
            Law::Kepler => d.x.iter().map(|r| r[0]).collect(),
            Law::Linear => d.x.iter().map(pred).collect(),
        };
        let all = xs.iter().chain(&d.y).copied().filter(|v| v.is_finite());
        let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
        let (lo, hi) = if hi - lo < 1e-9 {
            (lo - 1.0, hi + 1.0)
        } else {
            (lo, hi)
        };
        let sx = move |v: f64| (v - lo) / (hi - lo) * w;
        let sy = move |v: f64| h - (v - lo) / (hi - lo) * h;
        let dots = xs
            .iter()
            .zip(&d.y)
            .take(400)
            .map(|(x, y)| view! { <circle cx=format!("{:.1}", sx(*x)) cy=format!("{:.1}", sy(*y)) r="2.2" /> })
            .collect_view();
        let line = match d.law {
            Law::Kepler => {
                let f = |x: f64| pt.theta[0] * x + pt.theta[1];
                format!(
                    "M{:.1},{:.1}L{:.1},{:.1}",
                    sx(lo),
                    sy(f(lo)),
                    sx(hi),
                    sy(f(hi))
                )
            }
            Law::Linear => format!("M{:.1},{:.1}L{:.1},{:.1}", sx(lo), sy(lo), sx(hi), sy(hi)),
        };
        view! {
            <g class="dots">{dots}</g>
            <path class="fit-line" d=line />
        }
        .into_any()
    };
    let caption = move || {
        let law = data.with(|d| d.as_ref().map(|d| d.law).unwrap_or(Law::Linear));
        match (law, lang()) {
            (Law::Kepler, Lang::En) => "Each dot is an orbit: ln a across, ln T up; the line is the current fit.",
            (Law::Kepler, Lang::Zh) => "每个点是一条轨道：横轴ln a，纵轴ln T；直线是当前的拟合。",
            (Law::Linear, Lang::En) => "Each dot is an observation: the model's prediction across, the recorded y up; a perfect fit puts every dot on the diagonal.",
            (Law::Linear, Lang::Zh) => "每个点是一次观测：横轴为模型预测，纵轴为记录的y；完美拟合时所有点都落在对角线上。",
        }
    };
    view! {
        <section class="calculator" aria-labelledby="fit-heading">
            <h2 id="fit-heading">{tr("2. Gradient descent", "2. 梯度下降")}</h2>
            <div class="calc-grid">
                <figure class="chart">
                    <svg viewBox=format!("-4 -4 {} {}", w + 8.0, h + 8.0) role="img" aria-label=caption>
                        {chart}
                    </svg>
                    <figcaption class="small">{caption}</figcaption>
                </figure>
                <div class="result" aria-live="polite">
                    <p class="result-label">
                        {move || {
                            point()
                                .map(|p| match lang() {
                                    Lang::En => format!("Step {}", p.step),
                                    Lang::Zh => format!("第{}步", p.step),
                                })
                        }}
                    </p>
                    <p id="fit-formula" class="formula-line">
                        {move || {
                            let law = data.with(|d| d.as_ref().map(|d| d.law).unwrap_or(Law::Linear));
                            point()
                                .map(|p| {
                                    law.formula(
                                        &p.theta.iter().map(|v| fmt_sig(*v, 5).replace('-', "\u{2212}")).collect::<Vec<_>>(),
                                    )
                                })
                        }}
                    </p>
                    <p class="small">
                        "MSE = " {move || point().map(|p| fmt_sig(p.mse, 5))}
                    </p>
                    <p class="small">
                        {move || {
                            if fitting.get() {
                                tr("Descending\u{2026}", "正在下降\u{2026}")()
                            } else {
                                tr(
                                    "Converged: the gradient is below 10\u{207b}\u{2079}. Every parameter is now a 32-bit float, as a trained network stores it.",
                                    "已收敛：梯度小于10\u{207b}\u{2079}。现在每个参数都是32位浮点数，与训练好的网络存储参数的方式相同。",
                                )()
                            }
                        }}
                    </p>
                </div>
            </div>
        </section>
    }
}

#[component]
fn Steps(s: Simplification, law: Law, revealed: RwSignal<usize>) -> impl IntoView {
    let names = law.params();
    let rows = s
        .steps
        .iter()
        .enumerate()
        .map(|(i, st)| {
            let formula = law.formula(&st.account.numbers.iter().map(show_number).collect::<Vec<_>>());
            let prev = (i > 0).then(|| s.steps[i - 1].account.total());
            let (what_en, what_zh, chi) = match &st.mv {
                Move::Fit => ("gradient-descent fit".to_string(), "梯度下降拟合".to_string(), "\u{2014}".to_string()),
                Move::Snap(c) => (
                    format!("{} \u{2192} {}", names[c.param], show_number(&c.number)),
                    format!("{} \u{2192} {}", names[c.param], show_number(&c.number)),
                    format!("{} / {}", fmt_sig(c.chi2, 3), fmt_sig(c.chi2_limit, 3)),
                ),
            };
            let a = st.account.clone();
            let delta = prev.map(|p| format!("{:+.1}", a.total() - p)).unwrap_or_else(|| "\u{2014}".into());
            view! {
                <tr class:hidden=move || revealed.get() <= i>
                    <th scope="row">{i}</th>
                    <td>{move || if lang() == Lang::Zh { what_zh.clone() } else { what_en.clone() }}</td>
                    <td class="formula-cell">{formula}</td>
                    <td class="num">{bits(a.param_bits)}</td>
                    <td class="num">{bits(a.sigma_bits)}</td>
                    <td class="num">{bits(a.residual_bits)}</td>
                    <td class="num total">{bits(a.total())}</td>
                    <td class="num">{delta}</td>
                    <td class="num">{chi}</td>
                </tr>
            }
        })
        .collect_view();
    let done_at = s.steps.len();
    let final_formula = s.formula(law);
    let stop = s.stop.clone();
    let stop_text = move || -> String {
        let zh = lang() == Lang::Zh;
        match &stop {
            Stop::AllSimple => {
                if zh {
                    "每个参数都已是简单的数：定律被精确地写了出来。".into()
                } else {
                    "Every parameter is a simple number: the law is written exactly.".into()
                }
            }
            Stop::Longer(c) => {
                let name = names[c.param];
                let n = show_number(&c.number);
                if zh {
                    format!("停止：剩下最好的修改（{name} \u{2192} {n}）会让描述变长，因此保留当前的数。")
                } else {
                    format!("Stopped: the best modification left ({name} \u{2192} {n}) would make the description longer, so the current numbers stay.")
                }
            }
            Stop::OutsideNoise(c) => {
                let name = names[c.param];
                let n = show_number(&c.number);
                let chi = fmt_sig(c.chi2, 4);
                let lim = fmt_sig(c.chi2_limit, 4);
                if zh {
                    format!("拒绝：把{name}换成{n}会让描述更短，但拟合会比噪声允许的更差（\u{3c7}\u{b2} = {chi} > {lim}）。数据不支持这个更简单的定律。")
                } else {
                    format!("Refused: {name} \u{2192} {n} would shorten the description, but it fits worse than the noise allows (\u{3c7}\u{b2} = {chi} > {lim}). The data does not support the simpler law.")
                }
            }
        }
    };
    let first = s.steps.first().map(|f| f.account.total()).unwrap_or(0.0);
    let last = s.last().account.total();
    view! {
        <div class="table-wrap">
            <table class="dl-table" aria-label=tr("Description length at every step", "每一步的描述长度")>
                <caption>{tr("Description length at every step, in bits", "每一步的描述长度（比特）")}</caption>
                <thead>
                    <tr>
                        <th scope="col">"#"</th>
                        <th scope="col">{tr("Modification", "修改")}</th>
                        <th scope="col">{tr("Model", "模型")}</th>
                        <th scope="col">{tr("Parameters", "参数")}</th>
                        <th scope="col">"\u{3c3}"</th>
                        <th scope="col">{tr("Residuals", "残差")}</th>
                        <th scope="col">{tr("Total", "总计")}</th>
                        <th scope="col">"\u{394}"</th>
                        <th scope="col">{tr("\u{3c7}\u{b2} / limit", "\u{3c7}\u{b2} / 临界值")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <Show when=move || { revealed.get() > done_at }>
            <div class="result law-result" role="status">
                <p class="result-label">{tr("Recovered law", "得到的定律")}</p>
                <p id="law-final" class="formula-line big">{final_formula.clone()}</p>
                <p id="law-stop">{stop_text.clone()}</p>
                <p class="small">
                    {move || match lang() {
                        Lang::En => format!(
                            "Total description length {} bits, down from {} bits for the fitted floats ({} bits shorter).",
                            bits(last), bits(first), bits(first - last)
                        ),
                        Lang::Zh => format!(
                            "总描述长度{}比特，拟合所得浮点数为{}比特（缩短了{}比特）。",
                            bits(last), bits(first), bits(first - last)
                        ),
                    }}
                </p>
            </div>
        </Show>
        <details class="code-notes">
            <summary>{tr("How the bits are counted", "比特是怎样计算的")}</summary>
            <p>
                {tr(
                    "A 32-bit float costs 34 bits (2 bits say which form a number takes). A decimal m\u{b7}10\u{207b}\u{1d48} costs 2 + 1 (sign) + \u{3b3}(|m| + 1) + \u{3b3}(d + 1), a fraction p/q costs 2 + 1 + \u{3b3}(|p| + 1) + \u{3b3}(q \u{2212} 1), where \u{3b3}(n) = 2\u{230a}log\u{2082} n\u{230b} + 1 is the Elias gamma code: 3 costs 9 bits, 3/2 costs 9 bits, 3.37 costs 23. The residuals, recorded to \u{3b4}, are coded with a Gaussian of the fitted variance: n/2\u{b7}log\u{2082}(2\u{3c0}e\u{3c3}\u{b2}) \u{2212} n\u{b7}log\u{2082} \u{3b4} bits, plus 32 bits for \u{3c3}. \u{201c}Within the noise\u{201d}: the residual sum of squares may grow by at most \u{3c7}\u{b2}\u{2080}.\u{2089}\u{2089}\u{2089}(m)\u{b7}\u{3c3}\u{302}\u{b2} when m parameters are fixed.",
                    "一个32位浮点数占34比特（用2比特说明数的形式）。小数m\u{b7}10\u{207b}\u{1d48}占2 + 1（符号）+ \u{3b3}(|m| + 1) + \u{3b3}(d + 1)比特，分数p/q占2 + 1 + \u{3b3}(|p| + 1) + \u{3b3}(q \u{2212} 1)比特，其中\u{3b3}(n) = 2\u{230a}log\u{2082} n\u{230b} + 1是Elias gamma编码：3占9比特，3/2占9比特，3.37占23比特。残差记录到\u{3b4}，用拟合方差的高斯分布编码：n/2\u{b7}log\u{2082}(2\u{3c0}e\u{3c3}\u{b2}) \u{2212} n\u{b7}log\u{2082} \u{3b4}比特，另加32比特表示\u{3c3}。“在噪声范围内”：固定m个参数时，残差平方和最多增加\u{3c7}\u{b2}\u{2080}.\u{2089}\u{2089}\u{2089}(m)\u{b7}\u{3c3}\u{302}\u{b2}。",
                )}
            </p>
        </details>
    }
}

//! Section 3: the modifications one at a time, their description lengths, the
//! law they arrive at and why they stop.

use super::State;
use crate::math::format::fmt_sig;
use crate::math::theorem::{Law, Move, Simplification};
use crate::page::theorem::{bits, show_number, stop_text, total_line};
use crate::ui::i18n::{lang, tr};
use leptos::prelude::*;

#[component]
pub fn Modifications(s: State) -> impl IntoView {
    let total = move || s.result.with(|r| r.as_ref().map_or(0, |s| s.steps.len()));
    let done = move || s.revealed.get() > total();
    view! {
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
                <button class="button" on:click=move |_| s.revealed.update(|r| *r += 1) disabled=done>
                    {tr("Next modification", "下一处修改")}
                </button>
                <button class="button secondary" on:click=move |_| s.revealed.set(total() + 1) disabled=done>
                    {tr("All steps", "全部步骤")}
                </button>
            </div>
            {move || s.result.get().map(|r| view! { <Steps r law=s.law.get_untracked() revealed=s.revealed /> })}
        </section>
    }
}

#[component]
fn Steps(r: Simplification, law: Law, revealed: RwSignal<usize>) -> impl IntoView {
    let names = law.params();
    let rows = r.steps.iter().enumerate().map(|(i, st)| {
        let formula = law.formula(
            &st.account
                .numbers
                .iter()
                .map(show_number)
                .collect::<Vec<_>>(),
        );
        let prev = (i > 0).then(|| r.steps[i - 1].account.total());
        let (what, chi) = match &st.mv {
            Move::Fit => (None, "\u{2014}".to_string()),
            Move::Snap(c) => (
                Some(format!(
                    "{} \u{2192} {}",
                    names[c.param],
                    show_number(&c.number)
                )),
                format!("{} / {}", fmt_sig(c.chi2, 3), fmt_sig(c.chi2_limit, 3)),
            ),
        };
        let what = move || {
            what.clone()
                .unwrap_or_else(|| lang().pick("gradient-descent fit", "梯度下降拟合").into())
        };
        let a = st.account.clone();
        let delta = prev.map_or("\u{2014}".into(), |p| format!("{:+.1}", a.total() - p));
        view! {
            <tr class:hidden=move || revealed.get() <= i>
                <th scope="row">{i}</th>
                <td>{what}</td>
                <td class="formula-cell">{formula}</td>
                <td class="num">{bits(a.param_bits)}</td>
                <td class="num">{bits(a.sigma_bits)}</td>
                <td class="num">{bits(a.residual_bits)}</td>
                <td class="num total">{bits(a.total())}</td>
                <td class="num">{delta}</td>
                <td class="num">{chi}</td>
            </tr>
        }
    });
    let done_at = r.steps.len();
    let final_formula = r.formula(law);
    let stop = r.stop.clone();
    let (first, last) = (
        r.steps.first().map_or(0.0, |f| f.account.total()),
        r.last().account.total(),
    );
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
                <tbody>{rows.collect_view()}</tbody>
            </table>
        </div>
        <Show when=move || { revealed.get() > done_at }>
            <div class="result law-result" role="status">
                <p class="result-label">{tr("Recovered law", "得到的定律")}</p>
                <p id="law-final" class="formula-line big">{final_formula.clone()}</p>
                <p id="law-stop">{let stop = stop.clone(); move || stop_text(&stop, names, lang())}</p>
                <p class="small">{move || total_line(first, last, lang())}</p>
            </div>
        </Show>
        <BitsNote />
    }
}

#[component]
fn BitsNote() -> impl IntoView {
    view! {
        <details class="code-notes">
            <summary>{tr("How the bits are counted", "比特是怎样计算的")}</summary>
            <p>
                {tr(
                    "A 32-bit float costs 34 bits (2 bits say which form a number takes). A decimal \
                     m\u{b7}10\u{207b}\u{1d48} costs 2 + 1 (sign) + \u{3b3}(|m| + 1) + \u{3b3}(d + 1), a \
                     fraction p/q costs \
                     2 + 1 + \u{3b3}(|p| + 1) + \u{3b3}(q \u{2212} 1), where \u{3b3}(n) = 2\u{230a}log\u{2082} \
                     n\u{230b} + 1 is \
                     the Elias gamma code: 3 costs 9 bits, 3/2 costs 9 bits, 3.37 costs 23. The residuals, recorded \
                     to \u{3b4}, are coded with a Gaussian of the fitted variance: \
                     n/2\u{b7}log\u{2082}(2\u{3c0}e\u{3c3}\u{b2}) \u{2212} n\u{b7}log\u{2082} \u{3b4} bits, \
                     plus 32 bits for \
                     \u{3c3}. \u{201c}Within the noise\u{201d}: the residual sum of squares may grow by at most \
                     \u{3c7}\u{b2}\u{2080}.\u{2089}\u{2089}\u{2089}(m)\u{b7}\u{3c3}\u{302}\u{b2} when m \
                     parameters are fixed.",
                    "一个32位浮点数占34比特（用2比特说明数的形式）。小数m\u{b7}10\u{207b}\u{1d48}占2 + 1（符号）+ \
                     \u{3b3}(|m| + 1) + \u{3b3}(d + 1)比特，分数p/q占2 + 1 + \u{3b3}(|p| + 1) + \u{3b3}(q \u{2212} 1)比特，\
                     其中\u{3b3}(n) = 2\u{230a}log\u{2082} n\u{230b} + 1是Elias gamma编码：3占9比特，3/2占9比特，3.37占23\
                     比特。残差记录到\u{3b4}，用拟合方差的高斯分布编码：n/2\u{b7}log\u{2082}(2\u{3c0}e\u{3c3}\u{b2}) \u{2212} \
                     n\u{b7}log\u{2082} \u{3b4}比特，另加32比特表示\u{3c3}。“在噪声范围内”：固定m个参数时，残差平方和最多\
                     增加\u{3c7}\u{b2}\u{2080}.\u{2089}\u{2089}\u{2089}(m)\u{b7}\u{3c3}\u{302}\u{b2}。",
                )}
            </p>
        </details>
    }
}

//! The loss calculators: MSE and cross-entropy, each opening on the article's
//! own example and checking the number the article prints.

mod ce;

use crate::lens;
use crate::ui::components::CopyLink;
use crate::ui::url_state::keep_query;
use leptos::prelude::*;

use crate::ui::{
    components::{Later, PageHead, PageMeta},
    sections::{summary, title},
};

use crate::lang::Localized;
use crate::ui::i18n::{lang, tr, Lang};

use crate::math::doc_check::{self, DocExample, Reading, MSE_EXAMPLE};
use crate::math::format::fmt_num;
use crate::math::loss::{self, Breakdown, Reduction};
use crate::math::parse::parse_list;
use crate::tex::formulas;
use crate::ui::components::{Choice, Formula, ShareCell, TextField};

use crate::page::losses::{Errors, InputError, LossesForm, MseForm};

/// An input's message, in the visitor's language.
fn said(e: Option<InputError>) -> Option<String> {
    e.map(|e| e.message(lang()))
}

/// Keeps the last successful value of `current`, so a typo never blanks the result.
fn last_good<T>(current: Memo<Result<T, Errors>>) -> Memo<Option<T>>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    Memo::new(move |prev: Option<&Option<T>>| match current.get() {
        Ok(v) => Some(v),
        Err(_) => prev.cloned().flatten(),
    })
}

#[component]
pub fn Losses() -> impl IntoView {
    let opened = leptos_router::hooks::use_location().search.get_untracked();
    let form = RwSignal::new(LossesForm::from_query(&opened));
    // Every input in the URL, so a link opens the same calculations.
    keep_query(move || form.with(LossesForm::to_query));
    view! {
        <PageMeta title=title("/losses") description=summary("/losses") />
        <article class="page">
            <PageHead path="/losses">
                <CopyLink />
            </PageHead>

            <MseCalculator form />
            <Later>
                <ce::CrossEntropyCalculator form />
            </Later>
        </article>
    }
}

#[derive(Clone, Debug, PartialEq)]
struct MseResult {
    y: Vec<f64>,
    y_hat: Vec<f64>,
    breakdown: Breakdown,
}

#[component]
fn MseCalculator(form: RwSignal<LossesForm>) -> impl IntoView {
    let (y, y_hat, reduction) = (
        lens!(form.mse.y),
        lens!(form.mse.y_hat),
        lens!(form.mse.reduction),
    );

    let computed = Memo::new(move |_| {
        let (a, b) = form.with(|f| (parse_list(&f.mse.y), parse_list(&f.mse.y_hat)));
        match (a, b) {
            (Ok(y), Ok(y_hat)) => loss::mse(&y, &y_hat, reduction.get())
                .map(|breakdown| MseResult {
                    y,
                    y_hat,
                    breakdown,
                })
                .map_err(Errors::from),
            (a, b) => Err(Errors::parse(a.err(), b.err())),
        }
    });
    let shown = last_good(computed);
    let errors = move || computed.with(|c| c.as_ref().err().cloned().unwrap_or_default());
    let stale = move || computed.with(|c| c.is_err());

    let doc_y = parse_list(MSE_EXAMPLE.targets).unwrap_or_default();
    let doc_y_hat = parse_list(MSE_EXAMPLE.predictions).unwrap_or_default();
    let readings = doc_check::mse_readings(&doc_y, &doc_y_hat).unwrap_or_default();
    let doc_terms = loss::mse(&doc_y, &doc_y_hat, Reduction::Sum).ok();
    let correct = readings.first().map(|r| r.value);
    let squares = doc_terms.as_ref().map(|b| {
        b.terms
            .iter()
            .map(|t| fmt_num(*t))
            .collect::<Vec<_>>()
            .join(", ")
    });
    let squares = squares.unwrap_or_default();
    let sum = doc_terms
        .as_ref()
        .map(|b| fmt_num(b.sum()))
        .unwrap_or_default();
    let right = correct.map(fmt_num).unwrap_or_default();
    let verdict = Signal::derive(move || mse_verdict(&squares, &sum, &right, lang()));
    let load_example = Callback::new(move |()| {
        form.update(|f| f.mse = MseForm::default());
    });

    let result_label = move || match reduction.get() {
        Reduction::Mean => tr("MSE (mean over samples)", "MSE（对样本取平均）")(),
        Reduction::Sum => tr("Sum of squared errors", "平方误差之和")(),
    };

    view! {
        <section class="calculator" aria-labelledby="mse-heading">
            <h2 id="mse-heading">{tr("Mean squared error (均方误差)", "均方误差")}</h2>
            <Formula tex=formulas::MSE block=true />
            <p>
                {tr("The average of the squared differences between each actual value ", "每个实际值 ")}
                <Formula tex=r"y_i" />
                {tr(" and its prediction ", " 与其预测值 ")}
                <Formula tex=r"\hat{y}_i" />
                {tr(
                    ". Squaring makes every error count as positive and makes large errors count far more than \
                     small ones.",
                    " 之差的平方的平均值。平方让每个误差都计为正数，并让大误差比小误差重要得多。",
                )}
            </p>
            <div class="calc-grid">
                <div class="inputs">
                    <TextField
                        id="mse-y"
                        label=tr("Actual values y", "实际值 y")
                        hint=tr("Numbers separated by commas or spaces.", "用逗号或空格分隔的数。")
                        value=y
                        error=Signal::derive(move || said(errors().targets))
                    />
                    <TextField
                        id="mse-yhat"
                        label=tr("Predicted values \u{177}", "预测值 \u{177}")
                        hint=tr("One prediction per actual value.", "每个实际值对应一个预测值。")
                        value=y_hat
                        error=Signal::derive(move || said(errors().predictions))
                    />
                    <Choice
                        legend=tr("Form", "形式")
                        name="mse-reduction"
                        options=vec![
                            (Reduction::Mean, ["mean (1/n \u{3a3})", "平均 (1/n \u{3a3})"]),
                            (Reduction::Sum, ["total (\u{3a3})", "总和 (\u{3a3})"]),
                        ]
                        value=reduction
                    />
                </div>
                <div class="result" class:stale=stale aria-live="polite">
                    <span class="result-label">{result_label}</span>
                    <output aria-label=tr("MSE result", "MSE 结果") for="mse-y mse-yhat">
                        {move || shown.with(|s| s.as_ref().map(|r| fmt_num(r.breakdown.value())).unwrap_or_default())}
                    </output>
                    <span class="result-unit">{tr("in squared units of y", "单位为 y 的单位的平方")}</span>
                    <p class="stale-note" hidden=move || !stale()>
                        {tr(
                            "The inputs have a problem (see the message by the field); this is the last valid result.",
                            "输入有问题（见字段旁的提示）；这里显示的是最后一个有效结果。",
                        )}
                    </p>
                </div>
            </div>
            // The worked table and the article's check each in a task of their own.
            <Later>{move || shown.get().map(|r| view! { <MseTable r /> })}</Later>
            <Later>
                <DocCheck example=MSE_EXAMPLE readings=readings.clone() correct=correct on_load=load_example>
                    <p>{verdict}</p>
                </DocCheck>
            </Later>
        </section>
    }
}

/// Why the article's MSE example is wrong, with its own numbers.
fn mse_verdict(squares: &str, sum: &str, right: &str, lang: Lang) -> String {
    let p = MSE_EXAMPLE.printed;
    match lang {
        Lang::En => format!(
            "The five differences are 0.5, \u{2212}0.1, \u{2212}0.2, 0.2 and \u{2212}0.2; their squares are {squares}, \
             which sum to {sum}. Divided by n = 5 that is {right}, not {p}. The formula is right; the arithmetic is \
             not. No other common reading of it gives {p} either (table below), so the printed value is a \
             calculation slip."
        ),
        Lang::Zh => format!(
            "五个差值是 0.5、\u{2212}0.1、\u{2212}0.2、0.2 和 \u{2212}0.2；它们的平方是 {squares}，和为 {sum}。除以 \
             n = 5 得 {right}，而不是 {p}。公式是对的，算术错了。其他常见解读也都得不到 {p}（见下表），所以印出的\
             值是计算失误。"
        ),
    }
}

/// Each sample's squared error and its share of the total.
#[component]
fn MseTable(r: MseResult) -> impl IntoView {
    let shares = r.breakdown.shares();
    let rows = (0..r.y.len()).map(|i| {
        view! {
            <tr>
                <td>{i + 1}</td>
                <td>{fmt_num(r.y[i])}</td>
                <td>{fmt_num(r.y_hat[i])}</td>
                <td>{fmt_num(r.y[i] - r.y_hat[i])}</td>
                <td>{fmt_num(r.breakdown.terms[i])}</td>
                <ShareCell share=shares[i] />
            </tr>
        }
    });
    view! {
        <div class="table-wrap">
            <table class="breakdown" aria-label=tr("MSE terms", "MSE 的各项")>
                <caption>{tr("Each sample's squared error and its share of the total", "每个样本的平方误差及其占总和的比例")}</caption>
                <thead>
                    <tr>
                        <th scope="col">"i"</th>
                        <th scope="col">"y\u{1d62}"</th>
                        <th scope="col">"\u{177}\u{1d62}"</th>
                        <th scope="col">"y\u{1d62} \u{2212} \u{177}\u{1d62}"</th>
                        <th scope="col">"(y\u{1d62} \u{2212} \u{177}\u{1d62})\u{b2}"</th>
                        <th scope="col">{tr("share", "占比")}</th>
                    </tr>
                </thead>
                <tbody>{rows.collect_view()}</tbody>
                <TotalsFooter breakdown=r.breakdown.clone() />
            </table>
        </div>
    }
}

/// The article's printed value against the computed one, with every reading tried.
#[component]
fn DocCheck(
    example: DocExample,
    readings: Vec<Reading>,
    /// The value of the correct formula on the article's inputs.
    correct: Option<f64>,
    on_load: Callback<()>,
    children: Children,
) -> impl IntoView {
    let matches = correct.is_some_and(|c| doc_check::reproduces(c, example.printed));
    let decimals = doc_check::decimals_of(example.printed);
    let rounds = move || format!("{} {}?", tr("Rounds to", "舍入后等于")(), example.printed);
    // The section heading is the article's own (partly English) words: it is
    // shown as a quotation, and the Chinese name leaves it out.
    let label = move || match lang() {
        Lang::En => format!("The article's example, checked: {}", example.section),
        Lang::Zh => format!("核查文章的算例：{}", example.topic[1]),
    };
    view! {
        <aside class="doc-check" aria-label=label>
            <h3>{tr("The article's example, checked", "核查文章的算例")}</h3>
            <p class="where">
                <cite>{example.section}</cite>
            </p>
            <p class="inputs-line">
                {tr("Inputs as printed: ", "文中印出的输入：")} <code>{example.targets}</code> {tr(" and ", " 和 ")}
                <code>{example.predictions}</code>
            </p>
            <div class="verdict-row">
                <div class="stat">
                    <span class="stat-label">{tr("The article prints", "文章印出的值")}</span>
                    <span class="stat-value doc">{example.printed}</span>
                </div>
                <div class="stat">
                    <span class="stat-label">{tr("Correct value", "正确值")}</span>
                    <span class="stat-value ok">{correct.map(fmt_num)}</span>
                </div>
                <span class=if matches { "badge good" } else { "badge bad" }>
                    {if matches { tr("matches", "一致") } else { tr("the article is wrong", "文章算错了") }}
                </span>
            </div>
            {children()}
            <details>
                <summary>{tr("Every reading we tried", "我们尝试过的每一种解读")}</summary>
                <table class="readings">
                    <thead>
                        <tr>
                            <th scope="col">{tr("Reading", "解读")}</th>
                            <th scope="col">{tr("Value", "数值")}</th>
                            <th scope="col">{rounds}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {readings
                            .into_iter()
                            .map(|r| {
                                let yes = doc_check::reproduces(r.value, example.printed);
                                view! {
                                    <tr>
                                        <td>{move || lang().pick(r.name[0], r.name[1])}</td>
                                        <td>
                                            {fmt_num(r.value)} " (" {format!("{:.*}", decimals, r.value)} ")"
                                        </td>
                                        <td>{if yes { tr("yes", "是") } else { tr("no", "否") }}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </details>
            <button type="button" class="button secondary" on:click=move |_| on_load.run(())>
                {tr("Load the article's example", "载入文章的算例")}
            </button>
        </aside>
    }
}

/// The Σ and Σ/n row under a breakdown table.
#[component]
fn TotalsFooter(breakdown: Breakdown) -> impl IntoView {
    let n = breakdown.terms.len();
    let sum = breakdown.sum();
    view! {
        <tfoot>
            <tr>
                <th scope="row" colspan="4">
                    "\u{3a3} = " {fmt_num(sum)} ", n = " {n}
                </th>
                <td colspan="2">{format!("\u{3a3} / n = {}", fmt_num(sum / n as f64))}</td>
            </tr>
        </tfoot>
    }
}

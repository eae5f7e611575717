//! The loss calculators: MSE and cross-entropy, each opening on the article's
//! own example and checking the number the article prints.

use leptos::prelude::*;

use crate::ui::i18n::tr;
use leptos_meta::Title;

use crate::math::doc_check::{self, DocExample, Reading, CE_EXAMPLE, MSE_EXAMPLE};
use crate::math::format::{fmt_num, fmt_sig};
use crate::math::loss::{
    self, Breakdown, Field, LogUnit, LossError, Predictions, Reduction, Targets,
};
use crate::math::parse::{parse_indices, parse_list, parse_rows, ParseError};
use crate::tex::formulas;
use crate::ui::components::{Choice, Formula, ShareCell, TextField};

/// Messages for the two inputs of a calculator.
#[derive(Clone, Debug, Default, PartialEq)]
struct Errors {
    targets: Option<String>,
    predictions: Option<String>,
}

impl Errors {
    fn parse(targets: Option<ParseError>, predictions: Option<ParseError>) -> Self {
        Errors {
            targets: targets.map(|e| e.to_string()),
            predictions: predictions.map(|e| e.to_string()),
        }
    }
}

impl From<LossError> for Errors {
    fn from(e: LossError) -> Self {
        let msg = Some(e.to_string());
        match e.field() {
            Field::Targets => Errors {
                targets: msg,
                ..Default::default()
            },
            Field::Predictions => Errors {
                predictions: msg,
                ..Default::default()
            },
        }
    }
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
    view! {
        <Title text=tr("Loss calculators", "损失函数计算器") />
        <article class="page">
            <header class="page-head">
                <p class="eyebrow">"数学模型和公式 · 1. 损失函数 (Loss functions)"</p>
                <h1>{tr("How wrong is a prediction? Loss functions, term by term", "预测错了多少？逐项计算损失函数")}</h1>
                <p class="lede">
                    "A loss turns a model's predictions into one number to minimise. The article "
                    "defines two, mean squared error and cross-entropy, and works an example of each. "
                    "Both calculators below open on the article's example; edit any field and every "
                    "number updates. Cross-entropy measured in bits is the length of the code the model "
                    "gives the labels \u{2014} the quantity the rest of this course is about."
                </p>
            </header>
            <MseCalculator />
            <CrossEntropyCalculator />
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
fn MseCalculator() -> impl IntoView {
    let y = RwSignal::new(MSE_EXAMPLE.targets.to_string());
    let y_hat = RwSignal::new(MSE_EXAMPLE.predictions.to_string());
    let reduction = RwSignal::new(Reduction::Mean);

    let computed = Memo::new(move |_| {
        let (a, b) = (parse_list(&y.read()), parse_list(&y_hat.read()));
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
    let load_example = Callback::new(move |()| {
        y.set(MSE_EXAMPLE.targets.to_string());
        y_hat.set(MSE_EXAMPLE.predictions.to_string());
        reduction.set(Reduction::Mean);
    });

    let result_label = move || match reduction.get() {
        Reduction::Mean => "MSE (mean over samples)",
        Reduction::Sum => "Sum of squared errors",
    };

    view! {
        <section class="calculator" aria-labelledby="mse-heading">
            <h2 id="mse-heading">{tr("Mean squared error (均方误差)", "均方误差（Mean squared error）")}</h2>
            <Formula tex=formulas::MSE block=true />
            <p>
                "The average of the squared differences between each actual value "
                <Formula tex=r"y_i" />
                " and its prediction "
                <Formula tex=r"\hat{y}_i" />
                ". Squaring makes every error count as positive and makes large errors count far more than small ones."
            </p>
            <div class="calc-grid">
                <div class="inputs">
                    <TextField
                        id="mse-y"
                        label=tr("Actual values y", "实际值 y")
                        hint="Numbers separated by commas or spaces."
                        value=y
                        error=Signal::derive(move || errors().targets)
                    />
                    <TextField
                        id="mse-yhat"
                        label=tr("Predicted values \u{177}", "预测值 \u{177}")
                        hint="One prediction per actual value."
                        value=y_hat
                        error=Signal::derive(move || errors().predictions)
                    />
                    <Choice
                        legend=tr("Form", "形式")
                        name="mse-reduction"
                        options=vec![(Reduction::Mean, ["mean (1/n \u{3a3})", "平均 (1/n \u{3a3})"]), (Reduction::Sum, ["total (\u{3a3})", "总和 (\u{3a3})"])]
                        value=reduction
                    />
                </div>
                <div class="result" class:stale=stale aria-live="polite">
                    <span class="result-label">{result_label}</span>
                    <output aria-label="MSE result" for="mse-y mse-yhat">
                        {move || shown.with(|s| s.as_ref().map(|r| fmt_num(r.breakdown.value())).unwrap_or_default())}
                    </output>
                    <span class="result-unit">"in squared units of y"</span>
                    <p class="stale-note" hidden=move || !stale()>
                        "The inputs have a problem (see the message by the field); this is the last valid result."
                    </p>
                </div>
            </div>
            {move || {
                shown
                    .get()
                    .map(|r| {
                        let shares = r.breakdown.shares();
                        let n = r.y.len();
                        view! {
                            <div class="table-wrap">
                                <table class="breakdown" aria-label="MSE terms">
                                    <caption>"Each sample's squared error and its share of the total"</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"i"</th>
                                            <th scope="col">"y\u{1d62}"</th>
                                            <th scope="col">"\u{177}\u{1d62}"</th>
                                            <th scope="col">"y\u{1d62} \u{2212} \u{177}\u{1d62}"</th>
                                            <th scope="col">"(y\u{1d62} \u{2212} \u{177}\u{1d62})\u{b2}"</th>
                                            <th scope="col">"share"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {(0..n)
                                            .map(|i| {
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
                                            })
                                            .collect_view()}
                                    </tbody>
                                    <TotalsFooter breakdown=r.breakdown.clone() />
                                </table>
                            </div>
                        }
                    })
            }}
            <DocCheck example=MSE_EXAMPLE readings=readings.clone() correct=correct on_load=load_example>
                <p>
                    "The five differences are 0.5, \u{2212}0.1, \u{2212}0.2, 0.2 and \u{2212}0.2; their squares are "
                    {doc_terms
                        .as_ref()
                        .map(|b| b.terms.iter().map(|t| fmt_num(*t)).collect::<Vec<_>>().join(", "))}
                    ", which sum to "
                    {doc_terms.as_ref().map(|b| fmt_num(b.sum()))}
                    ". Divided by n = 5 that is "
                    <strong>{correct.map(fmt_num)}</strong>
                    ", not " {MSE_EXAMPLE.printed}
                    ". The formula is right; the arithmetic is not. No other common reading of it gives "
                    {MSE_EXAMPLE.printed}
                    " either (table below), so the printed value is a calculation slip."
                </p>
            </DocCheck>
        </section>
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
    view! {
        <aside class="doc-check" aria-label=format!("The article's example, checked: {}", example.section)>
            <h3>{tr("The article's example, checked", "核查文章的算例")}</h3>
            <p class="where">{example.section}</p>
            <p class="inputs-line">
                "Inputs as printed: " <code>{example.targets}</code> " and " <code>{example.predictions}</code>
            </p>
            <div class="verdict-row">
                <div class="stat">
                    <span class="stat-label">"The article prints"</span>
                    <span class="stat-value doc">{example.printed}</span>
                </div>
                <div class="stat">
                    <span class="stat-label">"Correct value"</span>
                    <span class="stat-value ok">{correct.map(fmt_num)}</span>
                </div>
                <span class=if matches { "badge good" } else { "badge bad" }>
                    {if matches { "matches" } else { "the article is wrong" }}
                </span>
            </div>
            {children()}
            <details>
                <summary>"Every reading we tried"</summary>
                <table class="readings">
                    <thead>
                        <tr>
                            <th scope="col">"Reading"</th>
                            <th scope="col">"Value"</th>
                            <th scope="col">{format!("Rounds to {}?", example.printed)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {readings
                            .into_iter()
                            .map(|r| {
                                let yes = doc_check::reproduces(r.value, example.printed);
                                view! {
                                    <tr>
                                        <td>{r.name}</td>
                                        <td>
                                            {fmt_num(r.value)} " (" {format!("{:.*}", decimals, r.value)} ")"
                                        </td>
                                        <td>{if yes { "yes" } else { "no" }}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </details>
            <button type="button" class="button secondary" on:click=move |_| on_load.run(())>
                "Load the article's example"
            </button>
        </aside>
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CeMode {
    Binary,
    Categorical,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LabelFormat {
    Indices,
    OneHot,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PredFormat {
    Probabilities,
    Logits,
}

/// One row of the cross-entropy table, ready to display.
#[derive(Clone, Debug, PartialEq)]
struct CeRow {
    label: String,
    prediction: String,
    /// Which part of the formula the sample pays for.
    pays: String,
}

#[derive(Clone, Debug, PartialEq)]
struct CeResult {
    rows: Vec<CeRow>,
    breakdown: Breakdown,
    classes: usize,
    /// Mean code length in bits per label, whatever unit is shown.
    bits_per_label: f64,
    /// Binary mode: the article's formula on the same inputs.
    doc_formula: Option<f64>,
}

fn fmt_row(row: &[f64]) -> String {
    row.iter()
        .map(|v| fmt_sig(*v, 3))
        .collect::<Vec<_>>()
        .join(", ")
}

fn binary_ce(
    y_text: &str,
    p_text: &str,
    unit: LogUnit,
    reduction: Reduction,
) -> Result<CeResult, Errors> {
    let (y, p) = match (parse_list(y_text), parse_list(p_text)) {
        (Ok(y), Ok(p)) => (y, p),
        (a, b) => return Err(Errors::parse(a.err(), b.err())),
    };
    let breakdown = loss::binary_cross_entropy(&y, &p, unit, reduction)?;
    let bits = loss::binary_cross_entropy(&y, &p, LogUnit::Bits, Reduction::Mean)?.value();
    let doc_formula = loss::document_cross_entropy(&y, &p, unit, reduction)
        .ok()
        .map(|b| b.value());
    let rows = y
        .iter()
        .zip(&p)
        .map(|(&y, &p)| CeRow {
            label: fmt_num(y),
            prediction: fmt_num(p),
            pays: if y == 1.0 {
                "\u{2212}log p".into()
            } else if y == 0.0 {
                "\u{2212}log(1 \u{2212} p)".into()
            } else {
                "both halves".into()
            },
        })
        .collect();
    Ok(CeResult {
        rows,
        breakdown,
        classes: 2,
        bits_per_label: bits,
        doc_formula,
    })
}

fn categorical_ce(
    label_text: &str,
    label_format: LabelFormat,
    pred_text: &str,
    pred_format: PredFormat,
    unit: LogUnit,
    reduction: Reduction,
) -> Result<CeResult, Errors> {
    let targets = match label_format {
        LabelFormat::Indices => parse_indices(label_text).map(Targets::Indices),
        LabelFormat::OneHot => parse_rows(label_text).map(Targets::OneHot),
    };
    let preds = match pred_format {
        PredFormat::Probabilities => parse_rows(pred_text).map(Predictions::Probabilities),
        PredFormat::Logits => parse_rows(pred_text).map(Predictions::Logits),
    };
    let (targets, preds) = match (targets, preds) {
        (Ok(t), Ok(p)) => (t, p),
        (a, b) => return Err(Errors::parse(a.err(), b.err())),
    };
    let breakdown = loss::categorical_cross_entropy(&targets, &preds, unit, reduction)?;
    let bits =
        loss::categorical_cross_entropy(&targets, &preds, LogUnit::Bits, Reduction::Mean)?.value();
    let (prob_rows, classes) = match &preds {
        Predictions::Probabilities(r) => (r.clone(), r[0].len()),
        Predictions::Logits(r) => (r.iter().map(|z| loss::softmax(z)).collect(), r[0].len()),
    };
    let rows = prob_rows
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (label, pays) = match &targets {
                Targets::Indices(idx) => (
                    format!("class {}", idx[i]),
                    format!("\u{2212}log p = \u{2212}log {}", fmt_sig(p[idx[i]], 4)),
                ),
                Targets::OneHot(t) => (
                    fmt_row(&t[i]),
                    "\u{2212}\u{3a3}\u{2096} y\u{2096} log p\u{2096}".into(),
                ),
            };
            CeRow {
                label,
                prediction: fmt_row(p),
                pays,
            }
        })
        .collect();
    Ok(CeResult {
        rows,
        breakdown,
        classes,
        bits_per_label: bits,
        doc_formula: None,
    })
}

#[component]
fn CrossEntropyCalculator() -> impl IntoView {
    let mode = RwSignal::new(CeMode::Binary);
    let unit = RwSignal::new(LogUnit::Nats);
    let reduction = RwSignal::new(Reduction::Mean);
    let bin_y = RwSignal::new(CE_EXAMPLE.targets.to_string());
    let bin_p = RwSignal::new(CE_EXAMPLE.predictions.to_string());
    let label_format = RwSignal::new(LabelFormat::Indices);
    let pred_format = RwSignal::new(PredFormat::Probabilities);
    let indices = RwSignal::new("0, 2, 1".to_string());
    let one_hot = RwSignal::new("1, 0, 0\n0, 0, 1\n0, 1, 0".to_string());
    let probs = RwSignal::new("0.7, 0.2, 0.1\n0.1, 0.3, 0.6\n0.2, 0.5, 0.3".to_string());
    let logits =
        RwSignal::new("2, 0.5, \u{2212}1\n\u{2212}0.5, 0.3, 1.2\n0.1, 1.5, 0.4".to_string());

    let computed = Memo::new(move |_| match mode.get() {
        CeMode::Binary => binary_ce(&bin_y.read(), &bin_p.read(), unit.get(), reduction.get()),
        CeMode::Categorical => {
            let lf = label_format.get();
            let pf = pred_format.get();
            let labels = match lf {
                LabelFormat::Indices => indices,
                LabelFormat::OneHot => one_hot,
            };
            let preds = match pf {
                PredFormat::Probabilities => probs,
                PredFormat::Logits => logits,
            };
            categorical_ce(
                &labels.read(),
                lf,
                &preds.read(),
                pf,
                unit.get(),
                reduction.get(),
            )
        }
    });
    let shown = last_good(computed);
    let errors = move || computed.with(|c| c.as_ref().err().cloned().unwrap_or_default());
    let stale = move || computed.with(|c| c.is_err());
    let target_error = Signal::derive(move || errors().targets);
    let pred_error = Signal::derive(move || errors().predictions);

    let doc_y = parse_list(CE_EXAMPLE.targets).unwrap_or_default();
    let doc_p = parse_list(CE_EXAMPLE.predictions).unwrap_or_default();
    let readings = doc_check::ce_readings(&doc_y, &doc_p).unwrap_or_default();
    let doc_formula_value = readings.first().map(|r| r.value);
    let bce_value = readings.get(3).map(|r| r.value);
    let printed: f64 = CE_EXAMPLE.printed.parse().unwrap_or(f64::NAN);
    let closest = readings
        .iter()
        .min_by(|a, b| {
            (a.value - printed)
                .abs()
                .total_cmp(&(b.value - printed).abs())
        })
        .cloned();
    let load_example = Callback::new(move |()| {
        mode.set(CeMode::Binary);
        bin_y.set(CE_EXAMPLE.targets.to_string());
        bin_p.set(CE_EXAMPLE.predictions.to_string());
        unit.set(LogUnit::Nats);
        reduction.set(Reduction::Mean);
    });

    let unit_suffix = move || {
        let u = unit.get().plural();
        match reduction.get() {
            Reduction::Mean => format!("{u} per sample"),
            Reduction::Sum => format!("{u} in total"),
        }
    };

    view! {
        <section class="calculator" aria-labelledby="ce-heading">
            <h2 id="ce-heading">{tr("Cross-entropy (交叉熵)", "交叉熵（Cross-entropy）")}</h2>
            <p>
                "Cross-entropy charges each sample " <Formula tex=r"-\log p" />
                ", where p is the probability the model gave to what actually happened. "
                "A confident right answer costs almost nothing; a confident wrong one costs a lot; "
                "probability 0 for the truth costs infinitely much."
            </p>
            <div class="formula-pair">
                <div>
                    <h3 class="formula-title">{tr("Binary: one probability per sample, labels 0 or 1", "二元：每个样本一个概率，标签为0或1")}</h3>
                    <Formula tex=formulas::BCE block=true />
                </div>
                <div>
                    <h3 class="formula-title">{tr("Categorical: one probability row per sample", "多类：每个样本一行概率")}</h3>
                    <Formula tex=formulas::CE block=true />
                    <p class="small">
                        "With logits z, the probabilities are the softmax, computed stably as z minus the log-sum-exp:"
                    </p>
                    <Formula tex=formulas::SOFTMAX block=true />
                </div>
            </div>
            <div class="controls-row">
                <Choice
                    legend=tr("Problem", "问题类型")
                    name="ce-mode"
                    options=vec![(CeMode::Binary, ["binary", "二分类"]), (CeMode::Categorical, ["categorical", "多分类"])]
                    value=mode
                />
                <Choice
                    legend=tr("Units", "单位")
                    name="ce-unit"
                    options=vec![(LogUnit::Nats, ["nats (ln)", "奈特 (ln)"]), (LogUnit::Bits, ["bits (log\u{2082})", "比特 (log\u{2082})"])]
                    value=unit
                />
                <Choice
                    legend=tr("Form", "形式")
                    name="ce-reduction"
                    options=vec![(Reduction::Mean, ["per sample", "每个样本"]), (Reduction::Sum, ["total", "总和"])]
                    value=reduction
                />
            </div>
            <div class="calc-grid">
                <div class="inputs">
                    <Show
                        when=move || mode.get() == CeMode::Binary
                        fallback=move || {
                            view! {
                                <Choice
                                    legend=tr("Labels as", "标签形式")
                                    name="ce-label-format"
                                    options=vec![(LabelFormat::Indices, ["class indices", "类别索引"]), (LabelFormat::OneHot, ["one-hot rows", "独热行"])]
                                    value=label_format
                                />
                                <Show
                                    when=move || label_format.get() == LabelFormat::Indices
                                    fallback=move || {
                                        view! {
                                            <TextField
                                                id="ce-onehot"
                                                label=tr("One-hot label rows", "one-hot标签行")
                                                hint="One row per sample (new line or ;), one entry per class, summing to 1."
                                                value=one_hot
                                                error=target_error
                                                multiline=true
                                            />
                                        }
                                    }
                                >
                                    <TextField
                                        id="ce-indices"
                                        label=tr("Class indices", "类别索引")
                                        hint="One class per sample, counting from 0."
                                        value=indices
                                        error=target_error
                                    />
                                </Show>
                                <Choice
                                    legend=tr("Predictions as", "预测形式")
                                    name="ce-pred-format"
                                    options=vec![(PredFormat::Probabilities, ["probabilities", "概率"]), (PredFormat::Logits, ["logits", "logits"])]
                                    value=pred_format
                                />
                                <Show
                                    when=move || pred_format.get() == PredFormat::Probabilities
                                    fallback=move || {
                                        view! {
                                            <TextField
                                                id="ce-logits"
                                                label=tr("Logit rows", "logit行")
                                                hint="One row of raw scores per sample; any real numbers."
                                                value=logits
                                                error=pred_error
                                                multiline=true
                                            />
                                        }
                                    }
                                >
                                    <TextField
                                        id="ce-probs"
                                        label=tr("Probability rows", "概率行")
                                        hint="One row per sample, each summing to 1."
                                        value=probs
                                        error=pred_error
                                        multiline=true
                                    />
                                </Show>
                            }
                        }
                    >
                        <TextField
                            id="ce-y"
                            label=tr("Labels y (0 or 1)", "标签 y（0或1）")
                            hint="One label per sample."
                            value=bin_y
                            error=target_error
                        />
                        <TextField
                            id="ce-p"
                            label=tr("Predicted probabilities p = P(y = 1)", "预测概率 p = P(y = 1)")
                            hint="One probability in [0, 1] per sample."
                            value=bin_p
                            error=pred_error
                        />
                    </Show>
                </div>
                <div class="result" class:stale=stale aria-live="polite">
                    <span class="result-label">
                        {move || match mode.get() {
                            CeMode::Binary => "Binary cross-entropy",
                            CeMode::Categorical => "Categorical cross-entropy",
                        }}
                    </span>
                    <output aria-label="Cross-entropy result">
                        {move || shown.with(|s| s.as_ref().map(|r| fmt_num(r.breakdown.value())).unwrap_or_default())}
                    </output>
                    <span class="result-unit">{unit_suffix}</span>
                    {move || {
                        shown
                            .with(|s| s.as_ref().and_then(|r| r.doc_formula))
                            .map(|d| {
                                view! {
                                    <p class="aside-value">
                                        "The article's formula on these inputs: "
                                        <span aria-label="Article formula result">{fmt_num(d)}</span>
                                    </p>
                                }
                            })
                    }}
                    <p class="stale-note" hidden=move || !stale()>
                        "The inputs have a problem (see the message by the field); this is the last valid result."
                    </p>
                </div>
            </div>
            {move || shown.get().map(|r| view! { <CodeLength result=r.clone() /> <CeTable result=r /> })}
            <DocCheck example=CE_EXAMPLE readings=readings.clone() correct=bce_value on_load=load_example>
                <p>
                    "The labels are 0 or 1 with one probability per sample: a binary problem. The article "
                    "applies the categorical formula " <Formula tex=formulas::DOC_CE />
                    " to it, so only the two samples with y = 1 are counted ("
                    {doc_formula_value.map(fmt_num)}
                    " nats): the three samples with y = 0 cost nothing, and a model that gave them "
                    "probability 0.99 of being positive would score exactly the same. "
                    "The right loss for 0/1 labels is the binary cross-entropy, which also charges "
                    <Formula tex=r"-\log(1 - p_i)" /> " for every negative sample: "
                    <strong>{bce_value.map(fmt_num)}</strong> " nats."
                </p>
                <p>
                    "Neither matches the printed " {CE_EXAMPLE.printed} ". The closest of all readings is the "
                    {closest.as_ref().map(|c| c.name)} " (" {closest.as_ref().map(|c| fmt_num(c.value))}
                    "), so the article probably meant the binary loss and then slipped in the arithmetic as well."
                </p>
            </DocCheck>
        </section>
    }
}

/// Cross-entropy in bits as a code length, against the no-model code.
#[component]
fn CodeLength(result: CeResult) -> impl IntoView {
    let uniform = (result.classes as f64).log2();
    let bits = result.bits_per_label;
    let verdict = if bits < uniform {
        format!(
            "These predictions compress the labels {}\u{d7} compared with knowing nothing.",
            fmt_sig(uniform / bits, 3)
        )
    } else {
        "These predictions make the labels longer to write down than a blind guess: the model is worse than no model."
            .to_string()
    };
    view! {
        <p class="code-length">
            <strong>"As a code: "</strong>
            "an encoder using these predictions needs " <span class="num">{fmt_num(bits)}</span>
            " bits per label on average, against log\u{2082} " {result.classes} " = " {fmt_num(uniform)}
            " bits for a uniform guess over " {result.classes} " classes. " {verdict}
        </p>
    }
}

#[component]
fn CeTable(result: CeResult) -> impl IntoView {
    let shares = result.breakdown.shares();
    view! {
        <div class="table-wrap">
            <table class="breakdown" aria-label="Cross-entropy terms">
                <caption>"Each sample's term and its share of the total"</caption>
                <thead>
                    <tr>
                        <th scope="col">"i"</th>
                        <th scope="col">"label"</th>
                        <th scope="col">"predicted probabilities"</th>
                        <th scope="col">"pays"</th>
                        <th scope="col">"term"</th>
                        <th scope="col">"share"</th>
                    </tr>
                </thead>
                <tbody>
                    {result
                        .rows
                        .into_iter()
                        .enumerate()
                        .map(|(i, row)| {
                            view! {
                                <tr>
                                    <td>{i + 1}</td>
                                    <td>{row.label}</td>
                                    <td>{row.prediction}</td>
                                    <td>{row.pays}</td>
                                    <td>{fmt_num(result.breakdown.terms[i])}</td>
                                    <ShareCell share=shares[i] />
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
                <TotalsFooter breakdown=result.breakdown.clone() />
            </table>
        </div>
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

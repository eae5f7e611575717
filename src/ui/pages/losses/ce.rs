//! The cross-entropy calculator: binary or categorical, labels as indices or
//! one-hot rows, predictions as probabilities or logits; its code length in
//! bits; and the article's example checked.

use super::{last_good, said, DocCheck, TotalsFooter};
use crate::lens;
use crate::math::doc_check::{self, CE_EXAMPLE};
use crate::math::format::{fmt_num, fmt_sig};
use crate::math::loss::{LogUnit, Reduction};
use crate::math::parse::parse_list;
use crate::page::losses::{CeMode, CeResult, Errors, LabelFormat, LossesForm, PredFormat};
use crate::tex::formulas;
use crate::ui::components::{Choice, Formula, Later, Lens, ShareCell, TextField};
use crate::ui::i18n::{lang, tr, Lang};
use leptos::prelude::*;

/// The calculator's inputs: each binds one field of the page's one form.
#[derive(Clone, Copy)]
struct Inputs {
    form: RwSignal<LossesForm>,
    mode: Lens<CeMode>,
    unit: Lens<LogUnit>,
    reduction: Lens<Reduction>,
    bin_y: Lens<String>,
    bin_p: Lens<String>,
    bin_format: Lens<PredFormat>,
    bin_z: Lens<String>,
    label_format: Lens<LabelFormat>,
    pred_format: Lens<PredFormat>,
    indices: Lens<String>,
    one_hot: Lens<String>,
    probs: Lens<String>,
    logits: Lens<String>,
}

impl Inputs {
    fn new(form: RwSignal<LossesForm>) -> Self {
        Inputs {
            form,
            mode: lens!(form.ce.mode),
            unit: lens!(form.ce.unit),
            reduction: lens!(form.ce.reduction),
            bin_y: lens!(form.ce.bin_y),
            bin_p: lens!(form.ce.bin_p),
            bin_format: lens!(form.ce.bin_format),
            bin_z: lens!(form.ce.bin_z),
            label_format: lens!(form.ce.label_format),
            pred_format: lens!(form.ce.pred_format),
            indices: lens!(form.ce.indices),
            one_hot: lens!(form.ce.one_hot),
            probs: lens!(form.ce.probs),
            logits: lens!(form.ce.logits),
        }
    }

    fn compute(self) -> Result<CeResult, Errors> {
        self.form.with(|f| f.ce.compute())
    }

    fn load_example(self) {
        self.form.update(|f| f.ce.load_example());
    }
}

#[component]
pub fn CrossEntropyCalculator(form: RwSignal<LossesForm>) -> impl IntoView {
    let inp = Inputs::new(form);
    let computed = Memo::new(move |_| inp.compute());
    let shown = last_good(computed);
    let errors =
        Signal::derive(move || computed.with(|c| c.as_ref().err().cloned().unwrap_or_default()));
    view! {
        <section class="calculator" aria-labelledby="ce-heading">
            <h2 id="ce-heading">{tr("Cross-entropy (交叉熵)", "交叉熵")}</h2>
            <CeIntro />
            <div class="controls-row">
                <Choice
                    legend=tr("Problem", "问题类型")
                    name="ce-mode"
                    options=vec![(CeMode::Binary, ["binary", "二分类"]), (CeMode::Categorical, ["categorical", "多分类"])]
                    value=inp.mode
                />
                <Choice
                    legend=tr("Units", "单位")
                    name="ce-unit"
                    options=vec![
                        (LogUnit::Nats, ["nats (ln)", "奈特（ln）"]),
                        (LogUnit::Bits, ["bits (log\u{2082})", "比特（log\u{2082}）"]),
                    ]
                    value=inp.unit
                />
                <Choice
                    legend=tr("Form", "形式")
                    name="ce-reduction"
                    options=vec![(Reduction::Mean, ["per sample", "每个样本"]), (Reduction::Sum, ["total", "总和"])]
                    value=inp.reduction
                />
            </div>
            <div class="calc-grid">
                <div class="inputs">
                    <Show
                        when=move || inp.mode.get() == CeMode::Binary
                        fallback=move || view! { <CategoricalInputs inp errors /> }
                    >
                        <BinaryInputs inp errors />
                    </Show>
                </div>
                <CeResultBox inp shown stale=Signal::derive(move || computed.with(|c| c.is_err())) />
            </div>
            <Later>{move || shown.get().map(|r| view! { <CodeLength result=r.clone() /> <CeTable result=r /> })}</Later>
            <Later>
                <CeDocCheck on_load=Callback::new(move |()| inp.load_example()) />
            </Later>
        </section>
    }
}

#[component]
fn CeIntro() -> impl IntoView {
    view! {
        <p>
            {tr("Cross-entropy charges each sample ", "交叉熵对每个样本收取 ")} <Formula tex=r"-\log p" />
            {tr(
                ", where p is the probability the model gave to what actually happened. A confident right answer costs \
                 almost nothing; a confident wrong one costs a lot; probability 0 for the truth costs infinitely much.",
                "，其中 p 是模型给实际发生之事的概率。自信的正确答案几乎不花代价；自信的错误答案代价很大；给真相概率 0 \
                 的代价是无穷大。",
            )}
        </p>
        <div class="formula-pair">
            <div>
                <h3 class="formula-title">
                    {tr("Binary: one probability per sample, labels 0 or 1", "二元：每个样本一个概率，标签为0或1")}
                </h3>
                <Formula tex=formulas::BCE block=true />
            </div>
            <div>
                <h3 class="formula-title">{tr("Categorical: one probability row per sample", "多类：每个样本一行概率")}</h3>
                <Formula tex=formulas::CE block=true />
                <p class="small">
                    {tr(
                        "With logits z, the probabilities are the softmax, computed stably as z minus the log-sum-exp:",
                        "对 logits z，概率是 softmax，稳定的算法是 z 减去 log-sum-exp：",
                    )}
                </p>
                <Formula tex=formulas::SOFTMAX block=true />
            </div>
        </div>
    }
}

#[component]
fn BinaryInputs(inp: Inputs, errors: Signal<Errors>) -> impl IntoView {
    let pred_error = Signal::derive(move || said(errors.get().predictions));
    let formats = vec![
        (PredFormat::Probabilities, ["probabilities", "概率"]),
        (PredFormat::Logits, ["logits", "logits"]),
    ];
    let logits = move || {
        view! {
            <TextField
                id="ce-z"
                label=tr("Logits z (p = \u{3c3}(z))", "logits z（p = \u{3c3}(z)）")
                hint=tr(
                    "One raw score per sample, any real number; the loss is computed from z directly, stably.",
                    "每个样本一个原始分数，任意实数；损失直接由 z 稳定地计算。",
                )
                value=inp.bin_z
                error=pred_error
            />
        }
    };
    view! {
        <TextField
            id="ce-y"
            label=tr("Labels y (0 or 1)", "标签 y（0或1）")
            hint=tr("One label per sample.", "每个样本一个标签。")
            value=inp.bin_y
            error=Signal::derive(move || said(errors.get().targets))
        />
        <Choice legend=tr("Predictions as", "预测形式") name="ce-bin-format" options=formats value=inp.bin_format />
        <Show when=move || inp.bin_format.get() == PredFormat::Probabilities fallback=logits>
            <TextField
                id="ce-p"
                label=tr("Predicted probabilities p = P(y = 1)", "预测概率 p = P(y = 1)")
                hint=tr("One probability in [0, 1] per sample.", "每个样本一个 [0, 1] 内的概率。")
                value=inp.bin_p
                error=pred_error
            />
        </Show>
    }
}

#[component]
fn CategoricalInputs(inp: Inputs, errors: Signal<Errors>) -> impl IntoView {
    let target_error = Signal::derive(move || said(errors.get().targets));
    let pred_error = Signal::derive(move || said(errors.get().predictions));
    let labels = vec![
        (LabelFormat::Indices, ["class indices", "类别索引"]),
        (LabelFormat::OneHot, ["one-hot rows", "独热行"]),
    ];
    let preds = vec![
        (PredFormat::Probabilities, ["probabilities", "概率"]),
        (PredFormat::Logits, ["logits", "logits"]),
    ];
    let one_hot = move || {
        view! {
            <TextField
                id="ce-onehot"
                label=tr("One-hot label rows", "one-hot标签行")
                hint=tr(
                    "One row per sample (new line or ;), one entry per class, summing to 1.",
                    "每个样本一行（换行或 ;），每个类别一项，和为 1。",
                )
                value=inp.one_hot
                error=target_error
                multiline=true
            />
        }
    };
    let logits = move || {
        view! {
            <TextField
                id="ce-logits"
                label=tr("Logit rows", "logit行")
                hint=tr("One row of raw scores per sample; any real numbers.", "每个样本一行原始分数；任意实数。")
                value=inp.logits
                error=pred_error
                multiline=true
            />
        }
    };
    view! {
        <Choice legend=tr("Labels as", "标签形式") name="ce-label-format" options=labels value=inp.label_format />
        <Show when=move || inp.label_format.get() == LabelFormat::Indices fallback=one_hot>
            <TextField
                id="ce-indices"
                label=tr("Class indices", "类别索引")
                hint=tr("One class per sample, counting from 0.", "每个样本一个类别，从 0 开始计数。")
                value=inp.indices
                error=target_error
            />
        </Show>
        <Choice legend=tr("Predictions as", "预测形式") name="ce-pred-format" options=preds value=inp.pred_format />
        <Show when=move || inp.pred_format.get() == PredFormat::Probabilities fallback=logits>
            <TextField
                id="ce-probs"
                label=tr("Probability rows", "概率行")
                hint=tr(
                    "One row per sample, each summing to 1 (a row within 0.001 of 1, from rounding, is divided \
                     by its sum).",
                    "每个样本一行，每行和为 1（因舍入而与 1 相差不超过 0.001 的行会除以其和）。",
                )
                value=inp.probs
                error=pred_error
                multiline=true
            />
        </Show>
    }
}

#[component]
fn CeResultBox(inp: Inputs, shown: Memo<Option<CeResult>>, stale: Signal<bool>) -> impl IntoView {
    let suffix = move || {
        let (u, l) = (inp.unit.get(), lang());
        match inp.reduction.get() {
            Reduction::Mean => l.pick(
                format!("{} per sample", u.name(l)),
                format!("{}/样本", u.name(l)),
            ),
            Reduction::Sum => l.pick(
                format!("{} in total", u.name(l)),
                format!("{}（总计）", u.name(l)),
            ),
        }
    };
    let title = move || match inp.mode.get() {
        CeMode::Binary => tr("Binary cross-entropy", "二元交叉熵")(),
        CeMode::Categorical => tr("Categorical cross-entropy", "多类交叉熵")(),
    };
    let doc = move || {
        shown.with(|s| s.as_ref().and_then(|r| r.doc_formula)).map(|d| view! {
            <p class="aside-value">
                {tr("The article's formula on these inputs: ", "文章的公式在这些输入上的结果：")}
                <span aria-label=tr("Article formula result", "文章公式的结果")>{fmt_num(d)}</span>
            </p>
        })
    };
    view! {
        <div class="result" class:stale=move || stale.get() aria-live="polite">
            <span class="result-label">{title}</span>
            <output aria-label=tr("Cross-entropy result", "交叉熵结果")>
                {move || shown.with(|s| s.as_ref().map(|r| fmt_num(r.breakdown.value())).unwrap_or_default())}
            </output>
            <span class="result-unit">{suffix}</span>
            {doc}
            <p class="stale-note" hidden=move || !stale.get()>
                {tr(
                    "The inputs have a problem (see the message by the field); this is the last valid result.",
                    "输入有问题（见字段旁的提示）；这里显示的是最后一个有效结果。",
                )}
            </p>
        </div>
    }
}

/// The article's example: which formula it used, which it should have, and
/// which reading comes closest to the number it prints.
#[component]
fn CeDocCheck(on_load: Callback<()>) -> impl IntoView {
    let doc_y = parse_list(CE_EXAMPLE.targets).unwrap_or_default();
    let doc_p = parse_list(CE_EXAMPLE.predictions).unwrap_or_default();
    let readings = doc_check::ce_readings(&doc_y, &doc_p).unwrap_or_default();
    let doc_value = readings
        .first()
        .map(|r| fmt_num(r.value))
        .unwrap_or_default();
    let bce = readings.get(3).map(|r| r.value);
    let printed: f64 = CE_EXAMPLE.printed.parse().unwrap_or(f64::NAN);
    let closest = readings
        .iter()
        .min_by(|a, b| {
            (a.value - printed)
                .abs()
                .total_cmp(&(b.value - printed).abs())
        })
        .cloned();
    let (c_names, c_value) =
        closest.map_or(([""; 2], String::new()), |c| (c.name, fmt_num(c.value)));
    let bce_s = bce.map(fmt_num).unwrap_or_default();
    let p = CE_EXAMPLE.printed;
    view! {
        <DocCheck example=CE_EXAMPLE readings=readings.clone() correct=bce on_load>
            <p>
                {tr(
                    "The labels are 0 or 1 with one probability per sample: a binary problem. The article applies the \
                     categorical formula ",
                    "标签是 0 或 1，每个样本一个概率：这是二分类问题。文章却用了多类公式 ",
                )}
                <Formula tex=formulas::DOC_CE />
                {move || lang().pick(
                    format!(
                        " to it, so only the two samples with y = 1 are counted ({doc_value} nats): the three samples \
                         with y = 0 cost nothing, and a model that gave them probability 0.99 of being positive would \
                         score exactly the same. The right loss for 0/1 labels is the binary cross-entropy, which also \
                         charges \u{2212}log(1 \u{2212} p\u{1d62}) for every negative sample: {bce_s} nats."
                    ),
                    format!(
                        "，于是只计入了 y = 1 的两个样本（{doc_value} 奈特）：y = 0 的三个样本不花任何代价，一个给它们 0.99 \
                         正类概率的模型得分也完全一样。0/1 标签的正确损失是二元交叉熵，它还对每个负样本收取 \
                         \u{2212}log(1 \u{2212} p\u{1d62})：{bce_s} 奈特。"
                    ),
                )}
            </p>
            <p>
                {move || lang().pick(
                    format!(
                        "Neither matches the printed {p}. The closest of all readings is the {} ({c_value}), so \
                         the article probably meant the binary loss and then slipped in the arithmetic as well.",
                        c_names[0]
                    ),
                    format!(
                        "两者都与文章印出的 {p} 不符。所有解读中最接近的是{}（{c_value}），所以文章大概本想用二元损失，\
                         然后在算术上也出了错。",
                        c_names[1]
                    ),
                )}
            </p>
        </DocCheck>
    }
}

/// Cross-entropy in bits as a code length, against the no-model code.
#[component]
fn CodeLength(result: CeResult) -> impl IntoView {
    let uniform = (result.classes as f64).log2();
    let bits = result.bits_per_label;
    let (k, b, u) = (result.classes, fmt_num(bits), fmt_num(uniform));
    let ratio = fmt_sig(uniform / bits, 3);
    let text = move || {
        match (lang(), bits < uniform) {
        (Lang::En, better) => format!(
            "an encoder using these predictions needs {b} bits per label on average, against log\u{2082} {k} = {u} \
             bits for a uniform guess over {k} classes. {}",
            if better {
                format!("These predictions compress the labels {ratio}\u{d7} compared with knowing nothing.")
            } else {
                "These predictions make the labels longer to write down than a blind guess: the model is worse \
                 than no model."
                    .into()
            }
        ),
        (Lang::Zh, better) => format!(
            "用这些预测来编码，平均每个标签需要 {b} 比特；而在 {k} 个类别中均匀乱猜需要 log\u{2082} {k} = {u} 比特。{}",
            if better {
                format!("这些预测把标签压缩到了一无所知时的 1/{ratio}。")
            } else {
                "这些预测让标签比盲猜还要长：这个模型不如没有模型。".into()
            }
        ),
    }
    };
    view! {
        <p class="code-length">
            <strong>{tr("As a code: ", "作为编码：")}</strong>
            {text}
        </p>
    }
}

#[component]
fn CeTable(result: CeResult) -> impl IntoView {
    let shares = result.breakdown.shares();
    view! {
        <div class="table-wrap">
            <table class="breakdown" aria-label=tr("Cross-entropy terms", "交叉熵的各项")>
                <caption>{tr("Each sample's term and its share of the total", "每个样本的项及其占总和的比例")}</caption>
                <thead>
                    <tr>
                        <th scope="col">"i"</th>
                        <th scope="col">{tr("label", "标签")}</th>
                        <th scope="col">{tr("predicted probabilities", "预测概率")}</th>
                        <th scope="col">{tr("pays", "计入")}</th>
                        <th scope="col">{tr("term", "项")}</th>
                        <th scope="col">{tr("share", "占比")}</th>
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
                                    <td>{move || lang().pick(row.label[0].clone(), row.label[1].clone())}</td>
                                    <td>{row.prediction}</td>
                                    <td>{move || lang().pick(row.pays[0].clone(), row.pays[1].clone())}</td>
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

//! The article's three optimizer examples, reproduced and corrected (the
//! numbers: [`crate::page::optimizers::ArticleExamples`]).

use super::Tutorial;
use crate::math::doc_check::adam_example as ex;
use crate::math::format::{fmt_num, fmt_sig};
use crate::math::optim::Method;
use crate::math::surface::Surface;
use crate::page::optimizers::{vec2, verdict, ArticleExamples as Examples};
use crate::ui::components::{Formula, Later};
use crate::ui::i18n::{lang, tr};
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn ArticleExamples(t: Tutorial) -> impl IntoView {
    let e = Arc::new(Examples::compute());
    view! {
        <section class="calculator" aria-labelledby="article-opt-heading">
            <h2 id="article-opt-heading">
                {tr("The article's examples, reproduced and corrected", "文章的算例：重现与修正")}
            </h2>
            <GdExample t e=e.clone() />
            <Later>
                <SgdExample t />
            </Later>
            <Later>
                <AdamExample e=e.clone() />
            </Later>
        </section>
    }
}

#[component]
fn GdExample(t: Tutorial, e: Arc<Examples>) -> impl IntoView {
    let grad = vec2(
        &e.gd_at_optimum
            .first()
            .map(|s| s.grad.clone())
            .unwrap_or_default(),
    );
    let stays = vec2(
        &e.gd_at_optimum
            .last()
            .map(|s| s.theta.clone())
            .unwrap_or_default(),
    );
    let path: Vec<String> = e.gd_away.iter().map(|s| vec2(&s.theta)).collect();
    let text = move || {
        match lang() {
        crate::lang::Lang::En => format!(
            "The article minimises J(\u{3b8}) = (\u{3b8}\u{2081} \u{2212} 1)\u{b2} + (\u{3b8}\u{2082} \u{2212} \
             2)\u{b2} with \
             \u{3b1} = 0.1, starting from \u{3b8} = (1, 2) \u{2014} which is the minimum. The gradient there is \
             {grad}, \
             so both updates it prints leave \u{3b8} at {stays}: the example shows nothing moving, and its closing \
             line (\u{201c}the parameters gradually approach the optimum\u{201d}) is not what it computed. Started at \
             (\u{2212}1, 0) instead, the same two steps give {}: each step shrinks the distance to (1, 2) by the \
             factor |1 \u{2212} 2\u{3b1}| = 0.8.",
            path.join(" then ")
        ),
        crate::lang::Lang::Zh => format!(
            "文章以 \u{3b1} = 0.1 最小化 J(\u{3b8}) = (\u{3b8}\u{2081} \u{2212} 1)\u{b2} + (\u{3b8}\u{2082} \u{2212} \
             2)\u{b2}，\
             从 \u{3b8} = (1, 2) 出发——而这正是极小值点。那里的梯度是 {grad}，所以它打印的两次更新都让 \u{3b8} 停在 \
             {stays}：这个例子里什么都没动，它最后一句（\u{201c}参数逐渐接近最优值\u{201d}）并不是它算出来的。改从 \
             (\u{2212}1, 0) 出发，同样两步得到 {}：每一步把到 (1, 2) 的距离缩小为 |1 \u{2212} 2\u{3b1}| = 0.8 倍。",
            path.join(" 然后 ")
        ),
    }
    };
    view! {
        <h3>{tr("Gradient descent (梯度下降)", "梯度下降")}</h3>
        <p>{text}</p>
        <p>
            <button
                type="button"
                class="button secondary"
                on:click=move |_| t.load(Surface::DocQuadratic, Method::Gd, [1.0, 2.0], 0.1)
            >
                {tr("Run the article's GD example above", "在上面运行文章的 GD 例子")}
            </button>
            " "
            <button
                type="button"
                class="button secondary"
                on:click=move |_| t.load(Surface::DocQuadratic, Method::Gd, [-1.0, 0.0], 0.1)
            >
                {tr("Start away from the optimum", "从远离最优点的地方出发")}
            </button>
        </p>
    }
}

#[component]
fn SgdExample(t: Tutorial) -> impl IntoView {
    let ls = Surface::LeastSquares;
    view! {
        <h3>{tr("Stochastic gradient descent (随机梯度下降)", "随机梯度下降（SGD）")}</h3>
        <p>
            {tr(
                "The article draws a sample x\u{2081} = [1, 2], y\u{2081} = 0 and writes its \u{201c}stochastic \
                 gradient\u{201d} as 2(\u{3b8}\u{2081} \u{2212} 1), 2(\u{3b8}\u{2082} \u{2212} 2) \u{2014} but \
                 the sample never \
                 appears in that loss, so this is the full gradient and the step is plain gradient descent (again \
                 from the optimum, so again nothing moves). SGD only means something when the loss is an average \
                 over data, ",
                "文章抽了一个样本 x\u{2081} = [1, 2]，y\u{2081} = 0，把它的\u{201c}随机梯度\u{201d}写成 2(\u{3b8}\u{2081} \
                 \u{2212} 1), 2(\u{3b8}\u{2082} \u{2212} 2)——但这个样本根本没有出现在那个损失里，所以这是完整梯度，这一步\
                 就是普通的梯度下降（又是从最优点出发，所以又什么都没动）。只有当损失是对数据求平均时 SGD 才有意义，",
            )}
            <Formula tex=r"J(\theta) = \frac{1}{N}\sum_i \ell(\theta; x_i, y_i)" />
            {tr(
                ", and each step uses the gradient of a random mini-batch of the terms. The least-squares surface \
                 is such a loss: with SGD its path wanders, because each mini-batch points a little differently.",
                "，每一步用随机一小批项的梯度。最小二乘曲面就是这样的损失：用 SGD 时路径会摆动，因为每个小批量指的方向\
                 都略有不同。",
            )}
        </p>
        <p>
            <button
                type="button"
                class="button secondary"
                on:click=move |_| t.load(ls, Method::Sgd, ls.default_start(), 0.1)
            >
                {tr("Try real SGD on the least-squares fit", "在最小二乘拟合上试试真正的 SGD")}
            </button>
        </p>
    }
}

#[component]
fn AdamExample(e: Arc<Examples>) -> impl IntoView {
    view! {
        <h3>"Adam"</h3>
        <div class="formula-pair">
            <div>
                <p class="formula-title">{tr("As the article writes it", "文章的写法")}</p>
                <Formula tex=r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\,[g_t - \mu_t]" block=true />
                <Formula tex=r"v_t = \beta_2 v_{t-1} + (1-\beta_2)\,[g_t^2 - \mu_t^2]" block=true />
                <Formula tex=r"\theta \leftarrow \theta - \alpha \frac{m_t}{\sqrt{v_t} + \epsilon}" block=true />
            </div>
            <div>
                <p class="formula-title">
                    <cite lang="en">"Kingma & Ba (2014), Algorithm 1"</cite>
                </p>
                <Formula tex=r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\, g_t" block=true />
                <Formula tex=r"v_t = \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2" block=true />
                <Formula
                    tex=r"\hat m_t = \frac{m_t}{1-\beta_1^t},\quad \hat v_t = \frac{v_t}{1-\beta_2^t}"
                    block=true
                />
                <Formula
                    tex=r"\theta_t = \theta_{t-1} - \alpha \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}"
                    block=true
                />
            </div>
        </div>
        <p>
            {tr(
                "Two differences. The undefined \u{3bc}\u{209c} terms are not in Adam (the article\u{2019}s own \
                 example \
                 sets them to 0), and the bias correction is missing: m and v start at 0, so without dividing by \
                 1 \u{2212} \u{3b2}\u{1d57} the early moments are too small. On the article's numbers (\u{3b8} \
                 = [1, 2], \
                 g = [0.5, \u{2212}0.3], \u{3b2}\u{2081} = 0.9, \u{3b2}\u{2082} = 0.99, \u{3b1} = 0.001) the \
                 first step \
                 happens to agree, because 1 \u{2212} \u{3b2}\u{2081} = \u{221a}(1 \u{2212} \u{3b2}\u{2082}) = \
                 0.1; from step 2 \
                 on they part.",
                "有两处不同。未定义的 \u{3bc}\u{209c} 项不属于 Adam（文章自己的例子也把它们设为 0），而且缺了偏差修正：\
                 m 和 v 从 0 开始，不除以 1 \u{2212} \u{3b2}\u{1d57} 的话，早期的矩就太小。在文章的数值上（\u{3b8} = [1, 2]，\
                 g = [0.5, \u{2212}0.3]，\u{3b2}\u{2081} = 0.9，\u{3b2}\u{2082} = 0.99，\u{3b1} = 0.001）第一步恰好一致，\
                 因为 1 \u{2212} \u{3b2}\u{2081} = \u{221a}(1 \u{2212} \u{3b2}\u{2082}) = 0.1；从第 2 步起就分开了。",
            )}
        </p>
        <FirstStepTable e=e.clone() />
        <FiveStepsTable e />
    }
}

#[component]
fn FirstStepTable(e: Arc<Examples>) -> impl IntoView {
    let k1 = e.first().clone();
    let (m1, v1) = (
        k1.m.clone().unwrap_or_default()[0],
        k1.v.clone().unwrap_or_default()[0],
    );
    let rows = [
        (["m\u{2081} (first parameter)", "m\u{2081}（第一个参数）"], ex::PRINTED_M1, m1),
        (["v\u{2081} = (1 \u{2212} \u{3b2}\u{2082}) g\u{b2} = 0.01 \u{b7} 0.25"; 2], ex::PRINTED_V1, v1),
        (["\u{3b8}\u{2081} after step 1", "第 1 步后的 \u{3b8}\u{2081}"], ex::PRINTED_THETA1, k1.theta[0]),
        (
            [
                "\u{3b8}\u{2082} after step 1 (g\u{2082} = \u{2212}0.3 < 0, so \u{3b8}\u{2082} must rise)",
                "第 1 步后的 \u{3b8}\u{2082}（g\u{2082} = \u{2212}0.3 < 0，所以 \u{3b8}\u{2082} 必须上升）",
            ],
            ex::PRINTED_THETA2,
            k1.theta[1],
        ),
    ];
    let row = |([en, zh], printed, v): ([&'static str; 2], &'static str, f64)| {
        view! {
            <tr>
                <td>{move || lang().pick(en, zh)}</td>
                <td>{printed}</td>
                <td>{fmt_num(v)}</td>
                <td>{move || verdict(v, printed, lang())}</td>
            </tr>
        }
    };
    let (own, a1) = (fmt_num(e.own_v_theta1), vec2(&e.article[0].theta));
    let (v1s, th2) = (fmt_num(v1), fmt_num(k1.theta[1]));
    let (pv, pt) = (ex::PRINTED_V1, ex::PRINTED_THETA1);
    let wrong = move || {
        lang().pick(
        format!(
            "Where the arithmetic goes wrong: v\u{2081} is 0.01 \u{b7} 0.5\u{b2} = {v1s}, not {pv}. Even with its own \
             v\u{2081} = {pv} the update would be 0.001 \u{b7} 0.05 / \u{221a}0.005 = 0.000707, giving \
             \u{3b8}\u{2081} = \
             {own}, not {pt}. And it copies \u{3b8}\u{2081}'s numbers into \u{3b8}\u{2082}, ignoring that g\u{2082} = \
             \u{2212}0.3: \u{3b8}\u{2082} moves up to {th2}. The article's own formula gives {a1} here, the same as \
             Adam's, as explained above."
        ),
        format!(
            "算术错在哪里：v\u{2081} 是 0.01 \u{b7} 0.5\u{b2} = {v1s}，不是 {pv}。即使用它自己的 v\u{2081} = {pv}，更新量\
             也应是 0.001 \u{b7} 0.05 / \u{221a}0.005 = 0.000707，得到 \u{3b8}\u{2081} = {own}，不是 {pt}。它还把 \
             \u{3b8}\u{2081} 的数字照抄给 \u{3b8}\u{2082}，忽略了 g\u{2082} = \u{2212}0.3：\u{3b8}\u{2082} 应上升到 {th2}。\
             文章自己的公式在这里给出 {a1}，与 Adam 相同，原因见上。"
        ),
    )
    };
    view! {
        <div class="table-wrap">
            <table aria-label=tr("Adam first step, the article against the computation", "Adam 第一步：文章与计算的对照")>
                <caption>{tr("Step 1 on the article's numbers", "用文章的数值走第 1 步")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr("quantity", "量")}</th>
                        <th scope="col">{tr("article prints", "文章印出的值")}</th>
                        <th scope="col">{tr("correct (Kingma & Ba)", "正确值（Kingma & Ba）")}</th>
                        <th scope="col">{tr("verdict", "结论")}</th>
                    </tr>
                </thead>
                <tbody>{rows.map(row).collect_view()}</tbody>
            </table>
        </div>
        <p>{wrong}</p>
    }
}

#[component]
fn FiveStepsTable(e: Arc<Examples>) -> impl IntoView {
    let rows = e.article.iter().zip(&e.kingma_ba).map(|(a, k)| {
        view! {
            <tr>
                <td>{a.t}</td>
                <td>{fmt_sig(a.theta[0], 7)}</td>
                <td>{fmt_sig(a.update[0], 4)}</td>
                <td>{fmt_sig(k.theta[0], 7)}</td>
                <td>{fmt_sig(k.update[0], 4)}</td>
            </tr>
        }
    });
    view! {
        <div class="table-wrap">
            <table aria-label=tr("Adam, five steps, with and without bias correction", "Adam 五步：有无偏差修正")>
                <caption>
                    {tr(
                        "Five steps with the same gradient: \u{3b8}\u{2081} with and without bias correction",
                        "同一梯度下的五步：有无偏差修正时的 \u{3b8}\u{2081}",
                    )}
                </caption>
                <thead>
                    <tr>
                        <th scope="col">"t"</th>
                        <th scope="col">{tr("article (no correction)", "文章（无修正）")}</th>
                        <th scope="col">{tr("step", "步长")}</th>
                        <th scope="col">"Kingma & Ba"</th>
                        <th scope="col">{tr("step", "步长")}</th>
                    </tr>
                </thead>
                <tbody>{rows.collect_view()}</tbody>
            </table>
        </div>
        <p class="small">
            {tr(
                "With a constant gradient, bias-corrected Adam moves \u{3b1}\u{b7}|g|/(|g| + \u{3b5}) per step, \
                 \u{3b1} for all practical purposes (m\u{302}/\u{221a}v\u{302} = g/|g|); the uncorrected form's step \
                 m\u{209c}/\u{221a}v\u{209c} = \
                 (1 \u{2212} \u{3b2}\u{2081}\u{1d57})/\u{221a}(1 \u{2212} \u{3b2}\u{2082}\u{1d57}) drifts until both \
                 corrections reach 1. With the usual \u{3b2}\u{2082} = 0.999 its first step is 3.16\u{b7}\u{3b1}. Pick \
                 \u{201c}Adam as the article writes it\u{201d} above and race it against Adam to see the difference \
                 on a real surface.",
                "梯度恒定时，带偏差修正的 Adam 每步移动 \u{3b1}\u{b7}|g|/(|g| + \u{3b5})，实际上就是 \u{3b1}\
                 （m\u{302}/\u{221a}v\u{302} = g/|g|）；不修正时的步长 \
                 m\u{209c}/\u{221a}v\u{209c} = (1 \u{2212} \u{3b2}\u{2081}\u{1d57})/\u{221a}(1 \u{2212} \
                 \u{3b2}\u{2082}\u{1d57}) \
                 会漂移，直到两个修正都趋于 1。用常见的 \u{3b2}\u{2082} = 0.999，它的第一步是 3.16\u{b7}\u{3b1}。在上面选择\
                 \u{201c}文章写法的 Adam\u{201d}，让它与 Adam 赛跑，就能在真实曲面上看到差别。",
            )}
        </p>
    }
}

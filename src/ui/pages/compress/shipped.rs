//! How the compressed model that ships with the site was made: what the
//! in-browser lab leaves out (training while compressing) and where to see
//! what it costs.

use crate::ui::components::Rich;
use crate::ui::i18n::tr;
use leptos::prelude::*;

/// Compression-aware fine-tuning, in words, with where to try its result.
#[component]
pub fn ShippedModel() -> impl IntoView {
    view! {
        <section class="prose" aria-labelledby="shipped-heading">
            <h2 id="shipped-heading">
                {tr("Training for the compressed file", "为压缩后的文件而训练")}
            </h2>
            <p>
                <Rich text=tr(
                    "The lab above compresses a finished model. Far more survives when the network keeps \
                     training while it is compressed; that takes CPU-hours, so it runs natively in `lab \
                     compress`. At every step the share of pruned weights rises towards its target (a cubic \
                     schedule, Zhu & Gupta 2017); the forward pass runs on the weights exactly as the file \
                     holds them, while each step's change goes to full-precision copies (the straight-through \
                     estimator); and the loss adds the original model's softened answers (distillation). The \
                     result is \u{201c}Default CNN, compressed\u{201d} in the menus; the Classify page starts \
                     from it and shows its size and accuracy from its metadata.",
                    "上面的实验室压缩的是训练好的模型。如果网络在压缩的同时继续训练，能保住的要多得多；这需要数小时的 \
                     CPU 时间，所以在 `lab compress` 中本地运行。每一步被剪掉的权重比例都向目标升高（三次曲线，Zhu 和 \
                     Gupta 2017）；前向计算使用与文件中完全相同的权重，而每一步的改变加到全精度副本上（直通估计器）；\
                     损失函数还加入原模型软化后的答案（蒸馏）。结果就是菜单中的\u{201c}默认 CNN，压缩版\u{201d}；\
                     分类页面默认从它开始，并显示元数据中记录的大小和准确率。",
                ) />
            </p>
        </section>
    }
}

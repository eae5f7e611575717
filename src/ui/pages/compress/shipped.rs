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
                    "The lab above compresses a finished model and measures what that costs. Far more \
                     survives when the network keeps training while it is compressed, which takes minutes to \
                     hours of CPU time, so it runs natively in this project's `lab compress`. Three things \
                     happen at every step: the share of pruned weights rises gradually to its target (on a \
                     cubic schedule, as in Zhu & Gupta's \u{201c}To prune, or not to prune\u{201d}, 2017), so \
                     the network adapts while the smallest weights go; the forward pass runs on the weights \
                     exactly as the file will hold them, pruned and quantized, and each step's change is added \
                     to full-precision copies (the straight-through estimator: rounding is treated as the \
                     identity when gradients flow back); and the loss mixes the labels with the original \
                     model's softened answers (distillation, as above).",
                    "上面的实验室压缩一个已经训练好的模型，并测量这样做的代价。如果网络在压缩的同时继续训练，\
                     能保住的要多得多，但这需要几分钟到几小时的 CPU 时间，所以它在本项目的 `lab compress` 中本地运行。\
                     每一步做三件事：被剪掉的权重比例按三次曲线逐渐升到目标（如 Zhu 和 Gupta 的《To prune, or not to \
                     prune》，2017），让网络在最小的权重被去掉时逐步适应；前向计算使用与文件中完全相同的权重——剪枝并量化后的，\
                     而每一步的改变加到全精度的副本上（直通估计器：反向传播梯度时把取整当作恒等函数）；\
                     损失函数把标签和原模型软化后的答案混合起来（蒸馏，见上文）。",
                ) />
            </p>
            <p>
                <Rich text=tr(
                    "The result ships with the site as the model named \u{201c}Default CNN, compressed\u{201d} in \
                     the menus: choose it here to measure it, or on the Classify page, which starts from it and \
                     shows its size, its accuracy on the test images and the original's, both read from the \
                     file's metadata. The command that made it is in that metadata and in the README.",
                    "结果作为菜单中名为\u{201c}默认 CNN，压缩版\u{201d}的模型随站提供：在这里选择它来测量，\
                     或在分类页面使用它——分类页面默认从它开始，并显示它的大小、它和原模型在测试图片上的准确率，\
                     都读自文件的元数据。生成它的命令记录在元数据和 README 中。",
                ) />
            </p>
        </section>
    }
}

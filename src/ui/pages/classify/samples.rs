//! The CIFAR-10 test images to try, when this build of the site has them.

use super::{Shown, State};
use crate::data::cifar::{class_name, Cifar};
use crate::page::classify::sample_source;
use crate::ui::i18n::{lang, tr, Lang};
use crate::ui::net::{asset_url, data_available, fetch_bytes};
use crate::ui::picture::{self, Picture};
use leptos::prelude::*;

/// (planar pixels, label, data URL) of each sample.
type Sample = (Vec<u8>, usize, String);

async fn load() -> Option<Vec<Sample>> {
    if !data_available().await {
        return None;
    }
    let bytes = fetch_bytes(&asset_url("data/samples.bin")).await.ok()?;
    let set = Cifar::parse(&bytes, "samples.bin").ok()?;
    let all = (0..set.len()).map(|i| {
        (
            set.image(i).to_vec(),
            set.labels[i] as usize,
            picture::data_url(set.image(i)),
        )
    });
    Some(all.collect())
}

#[component]
pub fn Samples(state: State) -> impl IntoView {
    let samples = LocalResource::new(load);
    let pick = move |k: usize, (planar, label, url): Sample| {
        state.show(Shown {
            picture: Picture {
                planar,
                format: "CIFAR-10",
                width: 32,
                height: 32,
            },
            file: None,
            source: Lang::ALL.map(|l| sample_source(k, label, l)),
            original: url,
            truth: Some(label),
        });
    };
    let item = move |k: usize, s: Sample| {
        let (label, src) = (s.1, s.2.clone());
        let alt = move || {
            let name = class_name(label, lang());
            lang().pick(
                format!("Test sample {}: {name}", k + 1),
                format!("测试样本 {}：{name}", k + 1),
            )
        };
        view! {
            <li>
                <button type="button" class="sample" title=alt on:click=move |_| pick(k, s.clone())>
                    <img src=src alt=alt width="48" height="48" />
                </button>
            </li>
        }
    };
    let missing = tr(
        "No CIFAR-10 test images in this build of the site. To add them, put the data in ../shared/cifar10 \
         or set CIFAR10_DIR (see the README), then rebuild.",
        "本站的这个构建没有 CIFAR-10 测试图片。要加入它们，请把数据放到 ../shared/cifar10 或设置 CIFAR10_DIR\
         （见 README），然后重新构建。",
    );
    view! {
        <Suspense fallback=|| view! { <p class="hint">{tr("Loading sample images\u{2026}", "正在载入样本图片\u{2026}")}</p> }>
            {move || samples.get().map(|list| match list {
                Some(list) => view! {
                    <ul class="samples" aria-label=tr("Sample test images", "测试样本图片")>
                        {list.into_iter().enumerate().map(|(k, s)| item(k, s)).collect_view()}
                    </ul>
                }
                    .into_any(),
                None => view! { <p class="note" id="samples-missing">{missing}</p> }.into_any(),
            })}
        </Suspense>
    }
}

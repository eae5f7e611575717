//! Downloads of what a page shows: a file made on demand (CSV, JSON), and a
//! chart as SVG (its computed colours written in, so it stands alone) or PNG
//! (the SVG drawn on a canvas at twice its size). Made in the browser from
//! the page's own data; nothing is sent anywhere.

use crate::ui::download::save_file;
use crate::ui::i18n::tr;
use leptos::html::Figure;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A button that saves `make()` as `name`.
#[component]
pub fn DownloadButton(
    label: (&'static str, &'static str),
    name: &'static str,
    make: impl Fn() -> String + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <button type="button" class="small-button" on:click=move |_| save_file(name, make().as_bytes())>
            {tr(label.0, label.1)}
        </button>
    }
}

/// Properties that the site's stylesheet gives the charts, copied onto each
/// element of an exported SVG.
const STYLED: [&str; 9] = [
    "fill",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-opacity",
    "fill-opacity",
    "opacity",
    "font-size",
    "font-family",
];

/// The chart's `<svg>` as a standalone file: `xmlns`, pixel size and every
/// element's computed colours and widths written in.
fn standalone_svg(svg: &web_sys::Element) -> Option<(String, f64, f64)> {
    let copy: web_sys::Element = svg.clone_node_with_deep(true).ok()?.dyn_into().ok()?;
    let rect = svg.get_bounding_client_rect();
    let (w, h) = (
        rect.width().round().max(1.0),
        rect.height().round().max(1.0),
    );
    copy.set_attribute("xmlns", "http://www.w3.org/2000/svg")
        .ok()?;
    copy.set_attribute("width", &w.to_string()).ok()?;
    copy.set_attribute("height", &h.to_string()).ok()?;
    let originals = svg.query_selector_all("*").ok()?;
    let copies = copy.query_selector_all("*").ok()?;
    for i in 0..originals.length() {
        let (Some(o), Some(c)) = (originals.item(i), copies.item(i)) else {
            continue;
        };
        let (o, c): (web_sys::Element, web_sys::Element) = (o.dyn_into().ok()?, c.dyn_into().ok()?);
        let Ok(Some(style)) = window().get_computed_style(&o) else {
            continue;
        };
        let inline: String = STYLED
            .iter()
            .filter_map(|p| {
                style
                    .get_property_value(p)
                    .ok()
                    .map(|v| format!("{p}:{v};"))
            })
            .collect();
        c.set_attribute("style", &inline).ok()?;
    }
    let text = web_sys::XmlSerializer::new()
        .ok()?
        .serialize_to_string(&copy)
        .ok()?;
    Some((text, w, h))
}

fn svg_blob_url(text: &str) -> Option<String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("image/svg+xml");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// The SVG drawn on a white canvas at twice its size, as PNG bytes.
async fn png_bytes(text: &str, w: f64, h: f64) -> Option<Vec<u8>> {
    let url = svg_blob_url(text)?;
    let img = web_sys::HtmlImageElement::new().ok()?;
    img.set_src(&url);
    let decoded = JsFuture::from(img.decode()).await;
    let _ = web_sys::Url::revoke_object_url(&url);
    decoded.ok()?;
    let canvas: web_sys::HtmlCanvasElement =
        document().create_element("canvas").ok()?.dyn_into().ok()?;
    canvas.set_width((2.0 * w) as u32);
    canvas.set_height((2.0 * h) as u32);
    let g: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    g.set_fill_style_str("#ffffff");
    g.fill_rect(0.0, 0.0, 2.0 * w, 2.0 * h);
    g.draw_image_with_html_image_element_and_dw_and_dh(&img, 0.0, 0.0, 2.0 * w, 2.0 * h)
        .ok()?;
    let blob = JsFuture::from(js_sys::Promise::new(&mut |resolve, _| {
        let _ = canvas.to_blob(&resolve);
    }))
    .await
    .ok()?
    .dyn_into::<web_sys::Blob>()
    .ok()?;
    let buf = JsFuture::from(blob.array_buffer()).await.ok()?;
    Some(js_sys::Uint8Array::new(&buf).to_vec())
}

/// "SVG" and "PNG" buttons for the chart in `figure` (its first `<svg>`).
#[component]
pub fn ChartFiles(figure: NodeRef<Figure>, stem: &'static str) -> impl IntoView {
    let svg = move || figure.get_untracked()?.query_selector("svg").ok()?;
    let save_svg = move |_| {
        if let Some((text, _, _)) = svg().and_then(|s| standalone_svg(&s)) {
            save_file(&format!("{stem}.svg"), text.as_bytes());
        }
    };
    let save_png = move |_| {
        let Some((text, w, h)) = svg().and_then(|s| standalone_svg(&s)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Some(bytes) = png_bytes(&text, w, h).await {
                save_file(&format!("{stem}.png"), &bytes);
            }
        });
    };
    let label = |what: &'static str, zh: &'static str| tr(what, zh);
    view! {
        <span class="chart-files">
            <button type="button" class="small-button" on:click=save_svg
                aria-label=label("Download the chart as SVG", "下载图表（SVG）")>"SVG"</button>
            <button type="button" class="small-button" on:click=save_png
                aria-label=label("Download the chart as PNG", "下载图表（PNG）")>"PNG"</button>
        </span>
    }
}

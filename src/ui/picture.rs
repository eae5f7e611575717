//! Turning a visitor's file into what the model sees, in this browser only:
//! header check ([`crate::data::image::inspect`]), decoding by the browser
//! (`createImageBitmap`, which also applies EXIF orientation), the largest
//! centered square, a high-quality browser downscale to at most 256×256, then an
//! exact area average to 32×32 ([`crate::data::image::rgba_to_cifar`]).

use super::net::js_error;
use crate::data::image::{cifar_to_rgba, inspect, rgba_to_cifar, ImageError, MAX_FILE_BYTES};
use leptos::prelude::document;
use wasm_bindgen::{Clamped, JsCast};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, CanvasRenderingContext2d, HtmlCanvasElement, ImageBitmap, ImageBitmapOptions,
    ResizeQuality,
};

/// The side the browser downscales to before the exact 32×32 area average.
const BROWSER_SIDE: u32 = 256;

/// A picture ready for the model.
#[derive(Clone, Debug, PartialEq)]
pub struct Picture {
    /// 32×32, planar R, G, B (a CIFAR-10 record without its label).
    pub planar: Vec<u8>,
    pub format: &'static str,
    pub width: u32,
    pub height: u32,
}

/// The browser's own words for a failure.
fn browser(e: wasm_bindgen::JsValue) -> ImageError {
    ImageError::Browser(js_error(&e))
}

/// Reads, checks and reduces `blob`. Every error is a sentence for the visitor.
pub async fn from_blob(blob: &Blob) -> Result<Picture, ImageError> {
    let size = blob.size();
    if size > MAX_FILE_BYTES as f64 {
        return Err(ImageError::TooLarge {
            mib: size / 1048576.0,
        });
    }
    // The header is enough to know the format and size (JPEG metadata can be long).
    let head = blob
        .slice_with_f64_and_f64(0.0, size.min(4.0 * 1048576.0))
        .map_err(browser)?;
    let head = JsFuture::from(head.array_buffer()).await.map_err(browser)?;
    let info = inspect(&js_sys::Uint8Array::new(&head).to_vec())?;
    let window = leptos::prelude::window();
    let decode = window
        .create_image_bitmap_with_blob(blob)
        .map_err(browser)?;
    let damaged = |_| ImageError::Undecodable {
        format: info.format,
    };
    let full: ImageBitmap = JsFuture::from(decode)
        .await
        .map_err(damaged)?
        .unchecked_into();
    let (w, h) = (full.width(), full.height());
    let side = w.min(h);
    let target = side.min(BROWSER_SIDE);
    let opts = ImageBitmapOptions::new();
    opts.set_resize_width(target);
    opts.set_resize_height(target);
    opts.set_resize_quality(ResizeQuality::High);
    let crop = window
        .create_image_bitmap_with_image_bitmap_and_a_sx_and_a_sy_and_a_sw_and_a_sh_and_a_options(
            &full,
            ((w - side) / 2) as i32,
            ((h - side) / 2) as i32,
            side as i32,
            side as i32,
            &opts,
        )
        .map_err(browser)?;
    let crop: Result<ImageBitmap, _> = JsFuture::from(crop).await.map(|b| b.unchecked_into());
    full.close();
    let crop = crop.map_err(browser)?;
    let (canvas, ctx) = canvas(target, target).map_err(ImageError::Browser)?;
    ctx.draw_image_with_image_bitmap(&crop, 0.0, 0.0)
        .map_err(browser)?;
    crop.close();
    let rgba = ctx
        .get_image_data(0.0, 0.0, target as f64, target as f64)
        .map_err(browser)?
        .data();
    drop(canvas);
    let planar = rgba_to_cifar(&rgba, target as usize, target as usize)?;
    Ok(Picture {
        planar,
        format: info.format,
        width: w,
        height: h,
    })
}

fn canvas(
    width: u32,
    height: u32,
) -> Result<(HtmlCanvasElement, CanvasRenderingContext2d), String> {
    let canvas: HtmlCanvasElement = document()
        .create_element("canvas")
        .map_err(|e| js_error(&e))?
        .unchecked_into();
    canvas.set_width(width);
    canvas.set_height(height);
    let ctx = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .ok_or("This browser has no 2D canvas.")?
        .unchecked_into();
    Ok((canvas, ctx))
}

/// A 32×32 planar image as a PNG data URL, for `<img>` (scaled up with
/// `image-rendering: pixelated` in CSS).
pub fn data_url(planar: &[u8]) -> String {
    rgba_url(&cifar_to_rgba(planar), 32, 32)
}

/// RGBA pixels (`width × height × 4` bytes) as a PNG data URL; empty when the
/// browser cannot draw them.
pub fn rgba_url(rgba: &[u8], width: u32, height: u32) -> String {
    let build = || -> Result<String, String> {
        let (canvas, ctx) = canvas(width, height)?;
        let img =
            web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(rgba), width, height)
                .map_err(|e| js_error(&e))?;
        ctx.put_image_data(&img, 0.0, 0.0)
            .map_err(|e| js_error(&e))?;
        canvas.to_data_url().map_err(|e| js_error(&e))
    };
    build().unwrap_or_default()
}

//! Chart pieces shared by every SVG chart on the site.

use leptos::prelude::*;

/// Grid lines with y labels on the left, and x labels under the plot area
/// (`width` × `height` pixels, origin top left).
#[component]
pub fn ChartAxes(
    /// (y pixel, label)
    y_ticks: Vec<(f64, String)>,
    /// (x pixel, label)
    x_ticks: Vec<(f64, String)>,
    width: f64,
    height: f64,
) -> impl IntoView {
    view! {
        <g class="axes">
            {y_ticks
                .into_iter()
                .map(|(y, label)| {
                    let (at, text_at) = (format!("{y:.1}"), format!("{:.1}", y + 4.0));
                    view! {
                        <line x1="0" x2=width y1=at.clone() y2=at class="grid-line" />
                        <text x="-6" y=text_at text-anchor="end">
                            {label}
                        </text>
                    }
                })
                .collect_view()}
            {x_ticks
                .into_iter()
                .map(|(x, label)| {
                    view! {
                        <text x=format!("{x:.1}") y=format!("{:.1}", height + 16.0) text-anchor="middle">
                            {label}
                        </text>
                    }
                })
                .collect_view()}
        </g>
    }
}

//! `site`: prints the site's pages (route, title, description) as JSON for
//! the post-build hook (`scripts/post-build.mjs`), which writes a real
//! `index.html` for each route, the sitemap and the web app manifest from it.
//!
//! ```text
//! cargo run --no-default-features --bin site
//! ```

fn main() {
    println!("{}", compression_lab::site::pages_json());
}

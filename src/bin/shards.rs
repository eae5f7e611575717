//! `shards`: turns the CIFAR-10 data directory into the site's data shards in
//! `public/data` (git-ignored). Trunk runs it before every build (a pre-build
//! hook in `Trunk.toml`), so `trunk serve` alone keeps them current. Without
//! data it says how to add it and succeeds: the site works without data.
//!
//! ```text
//! cargo run --no-default-features --bin shards [-- OUT_DIR]
//! ```
//! The data directory is `$CIFAR10_DIR`, else `../shared/cifar10`; the
//! article the text page codes is copied from `$ARTICLE`, else
//! `../shared/seed/essence-of-large-models.md`.

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use compression_lab::data::local::{
        default_article, default_data_dir, root, write_article, write_shards, Shards,
    };
    use std::path::PathBuf;
    use std::process::ExitCode;

    pub fn main() -> ExitCode {
        let out = std::env::args()
            .nth(1)
            .map(PathBuf::from)
            .unwrap_or_else(|| root().join("public/data"));
        let dir = default_data_dir();
        let article = default_article();
        match write_article(&article, &out) {
            Ok(Some(bytes)) => println!(
                "shards: the article ({bytes} bytes) from {}",
                article.display()
            ),
            Ok(None) => eprintln!(
                "shards: no article at {} (set ARTICLE); the text page asks for a text instead",
                article.display()
            ),
            Err(e) => {
                eprintln!("shards: {e}");
                return ExitCode::FAILURE;
            }
        }
        match write_shards(&dir, &out) {
            Ok(Shards::Written(s)) => println!(
                "shards: {} train + {} test records ({} sample images) from {} in {} ({} files updated)",
                s.train,
                s.test,
                s.samples,
                dir.display(),
                out.display(),
                s.files_written
            ),
            Ok(Shards::NoData(reason)) => eprintln!(
                "shards: {reason}.\nshards: the site is built without data; the pages that need it say how to add it."
            ),
            Err(e) => {
                eprintln!("shards: {e}");
                return ExitCode::FAILURE;
            }
        }
        ExitCode::SUCCESS
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    native::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}

//! The data directory on disk (native only): finding it, reading the train and
//! test sets, and writing the site's data shards.
//!
//! The directory is `$CIFAR10_DIR`, else `../shared/cifar10` beside the
//! repository. It holds either this project's subset (`train.bin`, `test.bin`)
//! or the official `cifar-10-batches-bin` folder.

use super::cifar::{Cifar, CLASSES, CLASS_NAMES, RECORD};
use crate::site::json_string;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Records per data shard: the site fetches the training set in these pieces.
pub const SHARD_RECORDS: usize = 1000;
/// Sample test images per class in `samples.bin` (the classify page's strip).
pub const SAMPLES_PER_CLASS: usize = 2;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `$CIFAR10_DIR`, else `../shared/cifar10` beside the repository.
pub fn default_data_dir() -> PathBuf {
    std::env::var_os("CIFAR10_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/cifar10"))
}

/// The article the course reads: `$ARTICLE`, else `../shared/seed/essence-of-large-models.md`.
pub fn default_article() -> PathBuf {
    std::env::var_os("ARTICLE")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/seed/essence-of-large-models.md"))
}

/// Copies the article into `out/article.md` for the text page (git-ignored,
/// like the shards: the site's build serves it, the repository never holds
/// it). Without the article the file is removed and the page says so.
pub fn write_article(article: &Path, out: &Path) -> Result<Option<usize>, String> {
    let target = out.join("article.md");
    match std::fs::read(article) {
        Ok(bytes) => {
            write_if_changed(&target, &bytes)?;
            Ok(Some(bytes.len()))
        }
        Err(_) => {
            let _ = std::fs::remove_file(&target);
            Ok(None)
        }
    }
}

pub fn read_cifar(path: &Path) -> Result<Cifar, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Cifar::parse(&bytes, &path.display().to_string()).map_err(|e| e.to_string())
}

/// Train and test sets from this project's subset (`train.bin`, `test.bin`) or
/// from the official `cifar-10-batches-bin` (same selection: the first 1000 per
/// class in training order, the first 86 per class of test images 0..999).
pub fn load_sets(dir: &Path) -> Result<(Cifar, Cifar), String> {
    if dir.join("train.bin").exists() {
        return Ok((
            read_cifar(&dir.join("train.bin"))?,
            read_cifar(&dir.join("test.bin"))?,
        ));
    }
    if dir.join("data_batch_1.bin").exists() {
        let mut all = Cifar::default();
        for k in 1..=5 {
            all.extend(&read_cifar(&dir.join(format!("data_batch_{k}.bin")))?);
        }
        let test = read_cifar(&dir.join("test_batch.bin"))?;
        return Ok((
            all.first_per_class(1000),
            test.slice(0..1000.min(test.len())).first_per_class(86),
        ));
    }
    Err(format!(
        "no CIFAR-10 data in {}: set CIFAR10_DIR to a folder with train.bin and test.bin, or to the official \
         cifar-10-batches-bin folder (see the README)",
        dir.display()
    ))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Writes `bytes` unless the file already holds exactly them (so a file
/// watcher, such as `trunk serve`'s, sees no change on a rebuild).
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool, String> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(true)
}

/// What [`write_shards`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Shards {
    Written(ShardSummary),
    /// No data in the directory: why, in words.
    NoData(String),
}

#[derive(Debug, PartialEq, Eq)]
pub struct ShardSummary {
    pub train: usize,
    pub test: usize,
    pub samples: usize,
    pub files_written: usize,
}

/// Turns the data directory into the site's shards in `out`: `train-NN.bin`
/// and `test-NN.bin` (CIFAR-10 records, [`SHARD_RECORDS`] each), `samples.bin`
/// (the first [`SAMPLES_PER_CLASS`] test images of each class) and
/// `manifest.json`. Without data it writes a manifest that says why, removes
/// old shards, and returns [`Shards::NoData`]: the site works without data.
pub fn write_shards(dir: &Path, out: &Path) -> Result<Shards, String> {
    let (train, test) = match load_sets(dir) {
        Ok(sets) => sets,
        Err(reason) => {
            if let Ok(entries) = std::fs::read_dir(out) {
                for e in entries.flatten() {
                    if e.path().extension().is_some_and(|x| x == "bin") {
                        let _ = std::fs::remove_file(e.path());
                    }
                }
            }
            let manifest = format!(
                "{{\"available\": false, \"reason\": {}}}\n",
                json_string(&reason)
            );
            write_if_changed(&out.join("manifest.json"), manifest.as_bytes())?;
            return Ok(Shards::NoData(reason));
        }
    };
    let mut written = 0;
    let mut entry = |name: &str, set: &Cifar| -> Result<String, String> {
        let mut files = Vec::new();
        for (k, start) in (0..set.len()).step_by(SHARD_RECORDS).enumerate() {
            let part = set.slice(start..(start + SHARD_RECORDS).min(set.len()));
            let file = format!("{name}-{k:02}.bin");
            let bytes = part.to_bytes();
            written += usize::from(write_if_changed(&out.join(&file), &bytes)?);
            files.push(format!(
                "{{\"file\": {}, \"records\": {}, \"sha256\": \"{}\"}}",
                json_string(&file),
                part.len(),
                sha256_hex(&bytes)
            ));
        }
        Ok(format!(
            "{{\"records\": {}, \"sha256\": \"{}\", \"shards\": [\n      {}\n    ]}}",
            set.len(),
            sha256_hex(&set.to_bytes()),
            files.join(",\n      ")
        ))
    };
    let train_entry = entry("train", &train)?;
    let test_entry = entry("test", &test)?;
    let mut picked = Vec::new();
    let mut counts = [0; CLASSES];
    for i in 0..test.len() {
        let c = test.labels[i] as usize;
        if counts[c] < SAMPLES_PER_CLASS {
            counts[c] += 1;
            picked.push(i);
        }
    }
    let mut samples = Cifar::default();
    for &i in &picked {
        samples.extend(&test.slice(i..i + 1));
    }
    written += usize::from(write_if_changed(
        &out.join("samples.bin"),
        &samples.to_bytes(),
    )?);
    let classes: Vec<String> = CLASS_NAMES.iter().map(|c| json_string(c)).collect();
    let indices: Vec<String> = picked.iter().map(|i| i.to_string()).collect();
    let manifest = format!(
        "{{\n  \"available\": true,\n  \"record_bytes\": {RECORD},\n  \"classes\": [{}],\n  \
         \"train\": {train_entry},\n  \"test\": {test_entry},\n  \
         \"samples\": {{\"file\": \"samples.bin\", \"records\": {}, \"test_indices\": [{}]}}\n}}\n",
        classes.join(", "),
        samples.len(),
        indices.join(", ")
    );
    written += usize::from(write_if_changed(
        &out.join("manifest.json"),
        manifest.as_bytes(),
    )?);
    Ok(Shards::Written(ShardSummary {
        train: train.len(),
        test: test.len(),
        samples: samples.len(),
        files_written: written,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::cifar::PIXELS;

    fn set(n: usize) -> Vec<u8> {
        let mut v = Vec::new();
        for i in 0..n {
            v.push((i % CLASSES) as u8);
            v.extend(std::iter::repeat_n(i as u8, PIXELS));
        }
        v
    }

    #[test]
    fn shards_round_trip_and_rewrite_nothing_the_second_time() {
        let tmp = std::env::temp_dir().join(format!("cl-shards-{}", std::process::id()));
        let (dir, out) = (tmp.join("data"), tmp.join("out"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("train.bin"), set(2500)).unwrap();
        std::fs::write(dir.join("test.bin"), set(40)).unwrap();
        let Ok(Shards::Written(first)) = write_shards(&dir, &out) else {
            panic!("no shards written")
        };
        assert_eq!((first.train, first.test, first.samples), (2500, 40, 20));
        assert_eq!(first.files_written, 3 + 1 + 1 + 1);
        // Three train shards of 1000, 1000, 500 records, parsed back identically.
        let mut back = Cifar::default();
        for k in 0..3 {
            back.extend(&read_cifar(&out.join(format!("train-{k:02}.bin"))).unwrap());
        }
        assert_eq!(back.to_bytes(), set(2500));
        let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
        assert!(manifest.contains("\"available\": true"), "{manifest}");
        let Ok(Shards::Written(second)) = write_shards(&dir, &out) else {
            panic!("no shards written")
        };
        assert_eq!(second.files_written, 0);
        // Without data: an explanation in the manifest, old shards gone.
        std::fs::remove_file(dir.join("train.bin")).unwrap();
        let Ok(Shards::NoData(why)) = write_shards(&dir, &out) else {
            panic!("expected no data")
        };
        assert!(why.contains("CIFAR10_DIR"), "{why}");
        let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
        assert!(manifest.contains("\"available\": false"), "{manifest}");
        assert!(!out.join("train-00.bin").exists());
        std::fs::remove_dir_all(&tmp).unwrap();
    }
}

//! The architectures this site knows, described without an ML framework: the
//! name, shape and order of every tensor a weights file for each must hold.
//! [`check`] is the one validation of a file against its architecture; the
//! engine runs it before loading, and the fuzz targets run it without Burn.
//! A native test (`engine::model`) checks these lists against the Burn models,
//! so they cannot drift apart.

use super::weights::Weights;
use super::{FileError, FileProblem};
pub use crate::domain::arch::{Arch, UnknownArch};
pub use crate::domain::files::MAX_MODEL_FILE_BYTES;
use std::collections::BTreeMap;

/// Channels of the three stages of `lab-cnn` and of its half-width
/// distillation student `lab-cnn-s` (about a quarter of the parameters).
pub const LAB_WIDTHS: [usize; 3] = [32, 64, 128];
pub const STUDENT_WIDTHS: [usize; 3] = [16, 32, 64];
/// CIFAR-10's classes.
pub const CLASSES: usize = 10;

/// The architecture a file declares; files without the key are `lab-cnn`
/// (the first files this site wrote).
pub fn declared(w: &Weights) -> Result<Arch, UnknownArch> {
    declared_in(&w.metadata)
}

/// [`declared`], from a file's metadata alone.
pub fn declared_in(metadata: &BTreeMap<String, String>) -> Result<Arch, UnknownArch> {
    metadata.get("arch").map_or(Ok(Arch::LabCnn), |a| a.parse())
}

/// Values (f32) in every tensor of `arch`, batch-norm statistics included:
/// the most any file for it may hold.
pub fn values(arch: Arch) -> usize {
    tensors(arch)
        .iter()
        .map(|(_, s)| s.iter().product::<usize>())
        .sum()
}

/// Every tensor of `arch` as (name, shape), in the model's order. Conv weights
/// are `[out, in, kh, kw]`; Burn's linear weights `[in, out]`.
pub fn tensors(arch: Arch) -> Vec<(String, Vec<usize>)> {
    let mut t: Vec<(String, Vec<usize>)> = Vec::new();
    let conv = |t: &mut Vec<(String, Vec<usize>)>, name: &str, i: usize, o: usize, bias: bool| {
        t.push((format!("{name}.weight"), vec![o, i, 3, 3]));
        if bias {
            t.push((format!("{name}.bias"), vec![o]));
        }
    };
    let linear = |t: &mut Vec<(String, Vec<usize>)>, name: &str, i: usize, o: usize| {
        t.push((format!("{name}.weight"), vec![i, o]));
        t.push((format!("{name}.bias"), vec![o]));
    };
    match arch {
        Arch::DocCnn => {
            conv(&mut t, "conv1", 3, 32, true);
            conv(&mut t, "conv2", 32, 64, true);
            conv(&mut t, "conv3", 64, 64, true);
            linear(&mut t, "fc1", 64 * 4 * 4, 64);
            linear(&mut t, "fc2", 64, CLASSES);
        }
        Arch::LabCnn | Arch::LabCnnS => {
            let [a, b, c] = if arch == Arch::LabCnn {
                LAB_WIDTHS
            } else {
                STUDENT_WIDTHS
            };
            let blocks = [(3, a), (a, a), (a, b), (b, b), (b, c), (c, c)];
            for (k, (i, o)) in blocks.into_iter().enumerate() {
                let name = format!("b{}", k + 1);
                conv(&mut t, &format!("{name}.conv"), i, o, false);
                for s in ["gamma", "beta", "running_mean", "running_var"] {
                    t.push((format!("{name}.norm.{s}"), vec![o]));
                }
            }
            linear(&mut t, "fc", c * 4 * 4, CLASSES);
        }
    }
    t
}

/// The one check of what a file declares, on names and shapes alone (its
/// header), so a decoder runs it before it allocates any tensor: the
/// architecture is known, every tensor it needs is declared once with its
/// shape, and nothing else is. A file that passes can hold no more values
/// than its architecture has ([`values`]), whatever its header claims.
pub fn check_declared<'a>(
    metadata: &BTreeMap<String, String>,
    declared: impl IntoIterator<Item = (&'a str, &'a [usize])>,
) -> Result<Arch, FileError> {
    use FileProblem::{Damaged, OtherArchitecture};
    let arch =
        declared_in(metadata).map_err(|e| FileError::new(OtherArchitecture, e.to_string()))?;
    let spec = tensors(arch);
    let mut seen = vec![false; spec.len()];
    for (name, shape) in declared {
        let Some(i) = spec.iter().position(|(n, _)| n == name) else {
            return Err(FileError::new(
                OtherArchitecture,
                format!("The weights file has a tensor {name} that {arch} does not have: it is for another architecture."),
            ));
        };
        if std::mem::replace(&mut seen[i], true) {
            return Err(FileError::new(
                Damaged,
                format!("The weights file declares tensor {name} twice: the file is damaged."),
            ));
        }
        if spec[i].1 != shape {
            return Err(FileError::new(
                OtherArchitecture,
                format!(
                    "Tensor {name} has shape {shape:?}, but this model needs {:?}: it is for another architecture.",
                    spec[i].1
                ),
            ));
        }
    }
    if let Some(i) = seen.iter().position(|s| !s) {
        return Err(FileError::new(
            OtherArchitecture,
            format!(
                "The weights file has no tensor {}: it is for another architecture.",
                spec[i].0
            ),
        ));
    }
    Ok(arch)
}

/// Checks that `w` holds exactly the tensors its declared architecture
/// needs ([`check_declared`]), each with as many values as its shape says;
/// returns the architecture. After this, loading `w` into the model cannot fail.
pub fn check(w: &Weights) -> Result<Arch, FileError> {
    let arch = check_declared(
        &w.metadata,
        w.tensors
            .iter()
            .map(|t| (t.name.as_str(), t.shape.as_slice())),
    )?;
    for t in &w.tensors {
        if t.data.len() != t.shape.iter().product::<usize>() {
            return Err(FileError::new(
                FileProblem::Damaged,
                format!(
                    "Tensor {} holds {} values for shape {:?}: the file is damaged.",
                    t.name,
                    t.data.len(),
                    t.shape
                ),
            ));
        }
    }
    Ok(arch)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(arch: Arch) -> Weights {
        let mut w = Weights::default();
        for (name, shape) in tensors(arch) {
            let n = shape.iter().product();
            w.push(&name, shape, vec![0.5; n]);
        }
        w.metadata.insert("arch".into(), arch.to_string());
        w
    }

    #[test]
    fn parameter_counts_match_the_models() {
        let count = |a| -> usize {
            tensors(a)
                .iter()
                .filter(|(n, _)| !n.contains("running_"))
                .map(|(_, s)| s.iter().product::<usize>())
                .sum()
        };
        // The article's Keras model: 896 + 18,496 + 36,928 + 65,600 + 650.
        assert_eq!(count(Arch::DocCnn), 122_570);
        assert!(count(Arch::LabCnnS) * 3 < count(Arch::LabCnn));
    }

    #[test]
    fn the_file_size_limit_holds_every_model_and_little_more() {
        // A safetensors file of each architecture: its f32 values plus a
        // header of about 100 bytes a tensor (names, shapes, offsets, order).
        let largest = Arch::ALL
            .into_iter()
            .map(|a| 4 * values(a) + 100 * tensors(a).len())
            .max()
            .unwrap() as u64;
        assert_eq!(values(Arch::LabCnn), 308_842);
        assert!(largest < MAX_MODEL_FILE_BYTES, "{largest}");
        assert!(MAX_MODEL_FILE_BYTES < 4 * largest, "a few MB, not more");
    }

    #[test]
    fn a_complete_file_passes_and_each_fault_is_named() {
        for a in Arch::ALL {
            assert_eq!(check(&file(a)), Ok(a));
        }
        let mut w = file(Arch::DocCnn);
        w.tensors.retain(|t| t.name != "conv2.bias");
        assert!(check(&w)
            .unwrap_err()
            .detail
            .contains("no tensor conv2.bias"));
        let mut w = file(Arch::DocCnn);
        w.tensors[0].shape = vec![32, 3, 3, 4];
        assert!(check(&w)
            .unwrap_err()
            .detail
            .contains("shape [32, 3, 3, 4]"));
        let mut w = file(Arch::LabCnn);
        w.tensors[1].data.pop();
        assert!(check(&w).unwrap_err().detail.contains("damaged"));
        // A student file declared as the full model is refused, not half-loaded.
        let mut w = file(Arch::LabCnnS);
        w.metadata.insert("arch".into(), Arch::LabCnn.to_string());
        assert!(check(&w)
            .unwrap_err()
            .detail
            .contains("another architecture"));
        // A tensor the architecture does not have is refused, not stored.
        let mut w = file(Arch::DocCnn);
        w.push("extra.weight", vec![2, 2], vec![0.0; 4]);
        let e = check(&w).unwrap_err();
        assert!(
            e.detail
                .contains("tensor extra.weight that doc-cnn does not have"),
            "{e}"
        );
        assert_eq!(e.problem, FileProblem::OtherArchitecture);
        let mut w = file(Arch::DocCnn);
        let again = w.tensors[3].clone();
        w.tensors.push(again);
        assert!(check(&w).unwrap_err().detail.contains("twice"));
        let mut w = file(Arch::LabCnnS);
        w.metadata.insert("arch".into(), "resnet".into());
        assert!(check(&w)
            .unwrap_err()
            .detail
            .contains("Unknown architecture"));
    }
}

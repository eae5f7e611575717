//! Named f32 tensors, the form every model is saved, loaded and compressed in.
//! Files are safetensors (a JSON header plus raw little-endian data), readable
//! by any other framework.

use super::{FileError, FileProblem};
use crate::domain::files::MAX_MODEL_FILE_BYTES;
use safetensors::{tensor::TensorView, Dtype, SafeTensors};
use std::collections::BTreeMap;

/// Metadata key holding the tensors' order.
const ORDER_KEY: &str = "tensor_order";
/// The longest JSON header a model file may declare: a real one is about
/// 100 bytes a tensor (`lab-cnn`, 40 tensors: under 5 kB).
const MAX_HEADER_BYTES: u64 = 64 << 10;

/// One named tensor.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedTensor {
    pub name: String,
    pub shape: Vec<usize>,
    pub data: Vec<f32>,
}

/// All of a model's tensors, in a fixed order, plus string metadata.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Weights {
    pub tensors: Vec<NamedTensor>,
    pub metadata: BTreeMap<String, String>,
}

impl Weights {
    pub fn push(&mut self, name: &str, shape: Vec<usize>, data: Vec<f32>) {
        self.tensors.push(NamedTensor {
            name: name.into(),
            shape,
            data,
        });
    }

    pub fn get(&self, name: &str) -> Option<&NamedTensor> {
        self.tensors.iter().find(|t| t.name == name)
    }

    /// Number of scalars in all tensors.
    pub fn len(&self) -> usize {
        self.tensors.iter().map(|t| t.data.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.tensors.is_empty()
    }

    /// Serializes to safetensors bytes; a tensor whose values do not match its
    /// shape is refused.
    pub fn to_bytes(&self) -> Result<Vec<u8>, FileError> {
        let damaged = |e: safetensors::SafeTensorError| {
            FileError::new(
                FileProblem::Damaged,
                format!("The weights cannot be written: {e}."),
            )
        };
        let bytes: Vec<Vec<u8>> = self
            .tensors
            .iter()
            .map(|t| t.data.iter().flat_map(|v| v.to_le_bytes()).collect())
            .collect();
        let views = self
            .tensors
            .iter()
            .zip(&bytes)
            .map(|(t, b)| {
                TensorView::new(Dtype::F32, t.shape.clone(), b)
                    .map(|v| (t.name.clone(), v))
                    .map_err(damaged)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut meta: std::collections::HashMap<String, String> =
            self.metadata.clone().into_iter().collect();
        // safetensors stores tensors sorted; keep the model's own order (layer by layer).
        let order: Vec<&str> = self.tensors.iter().map(|t| t.name.as_str()).collect();
        meta.insert(ORDER_KEY.into(), order.join(","));
        safetensors::serialize(views, Some(meta)).map_err(damaged)
    }

    /// Parses a safetensors model file: its header first, checked against
    /// the architecture it declares ([`super::arch::check_declared`]) before
    /// any tensor is read. Every failure is a message a visitor can read.
    pub fn from_bytes(bytes: &[u8]) -> Result<Weights, FileError> {
        Weights::from_bytes_with(bytes, &super::clz::architecture_gate)
    }

    /// [`Weights::from_bytes`] with another gate for what the header may declare.
    pub fn from_bytes_with(bytes: &[u8], gate: super::clz::Gate<'_>) -> Result<Weights, FileError> {
        let not_a_model = |e: &dyn std::fmt::Display| {
            FileError::new(
                FileProblem::NotAModel,
                format!("This is not a weights file this site can read (safetensors): {e}."),
            )
        };
        if bytes.len() as u64 > MAX_MODEL_FILE_BYTES {
            return Err(oversized(bytes.len()));
        }
        let declared = bytes
            .get(..8)
            .map_or(0, |b| u64::from_le_bytes(b.try_into().expect("8 bytes")));
        if declared > MAX_HEADER_BYTES {
            return Err(not_a_model(&format!(
                "its header declares {declared} bytes, more than any model file here has ({MAX_HEADER_BYTES})"
            )));
        }
        let (n, header) = SafeTensors::read_metadata(bytes).map_err(|e| not_a_model(&e))?;
        let mut metadata: BTreeMap<String, String> = header
            .metadata()
            .clone()
            .map(|m| m.into_iter().collect())
            .unwrap_or_default();
        let infos = header.tensors();
        // The model's own order when the file records it, else sorted by name.
        let mut names: Vec<&str> = infos.keys().map(String::as_str).collect();
        names.sort_unstable();
        if let Some(order) = metadata.remove(ORDER_KEY) {
            let listed: Vec<&str> = order.split(',').collect();
            let mut sorted = listed.clone();
            sorted.sort_unstable();
            if sorted == names {
                names = listed
                    .iter()
                    .map(|l| infos.get_key_value(*l).expect("the same names").0.as_str())
                    .collect();
            }
        }
        let declared: Vec<(&str, &[usize])> = names
            .iter()
            .map(|&name| (name, infos[name].shape.as_slice()))
            .collect();
        gate(&metadata, &declared)?;
        let data = &bytes[8 + n..];
        let mut out = Weights {
            metadata,
            ..Weights::default()
        };
        for name in names {
            let info = infos[name];
            if info.dtype != Dtype::F32 {
                return Err(FileError::new(
                    FileProblem::NotAModel,
                    format!(
                        "Tensor {name} is {:?}; this site reads f32 weights.",
                        info.dtype
                    ),
                ));
            }
            // `read_metadata` has checked every offset against the file.
            let (start, end) = info.data_offsets;
            let values = data[start..end]
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect::<Vec<_>>();
            if let Some(i) = values.iter().position(|v| !v.is_finite()) {
                return Err(FileError::new(
                    FileProblem::Damaged,
                    format!(
                        "Tensor {name} holds a non-finite value at index {i}: the file is damaged."
                    ),
                ));
            }
            out.push(name, info.shape.clone(), values);
        }
        Ok(out)
    }
}

/// The refusal of a model file larger than any this site writes.
pub(crate) fn oversized(bytes: usize) -> FileError {
    let bytes = bytes as u64;
    FileError::new(
        FileProblem::TooLarge { bytes },
        format!(
            "The file is {bytes} bytes; a model file for this site is at most {MAX_MODEL_FILE_BYTES} bytes, so it was not read."
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::arch::{self, Arch};

    fn open(_: &BTreeMap<String, String>, _: &[(&str, &[usize])]) -> Result<(), FileError> {
        Ok(())
    }

    #[test]
    fn headers_are_checked_before_any_tensor_is_read() {
        // A header that claims 100 MB (the safetensors crate's own limit) is
        // refused from its first 8 bytes.
        let mut big = (100_000_000u64).to_le_bytes().to_vec();
        big.extend_from_slice(b"{}");
        let e = Weights::from_bytes(&big).unwrap_err();
        assert!(e.detail.contains("declares 100000000 bytes"), "{e}");
        // Tensors of another architecture, or one too many: refused by name.
        let mut w = Weights::default();
        for (name, shape) in arch::tensors(Arch::LabCnnS) {
            let n = shape.iter().product();
            w.push(&name, shape, vec![0.5; n]);
        }
        w.metadata.insert("arch".into(), "lab-cnn-s".into());
        assert_eq!(Weights::from_bytes(&w.to_bytes().unwrap()).unwrap(), w);
        w.push("spare.bias", vec![3], vec![1.0; 3]);
        let e = Weights::from_bytes(&w.to_bytes().unwrap()).unwrap_err();
        assert!(
            e.detail.contains("spare.bias that lab-cnn-s does not have"),
            "{e}"
        );
        w.tensors.pop();
        w.metadata.insert("arch".into(), "lab-cnn".into());
        let e = Weights::from_bytes(&w.to_bytes().unwrap()).unwrap_err();
        assert!(e.detail.contains("another architecture"), "{e}");
        let e = Weights::from_bytes(&vec![0; MAX_MODEL_FILE_BYTES as usize + 8]).unwrap_err();
        assert_eq!(
            e.problem,
            FileProblem::TooLarge {
                bytes: MAX_MODEL_FILE_BYTES + 8
            }
        );
    }

    #[test]
    fn round_trip_keeps_order_values_and_metadata() {
        let mut w = Weights::default();
        w.push("b.weight", vec![2, 2], vec![1.0, -2.0, 3.5, 0.0]);
        w.push("a.bias", vec![2], vec![0.25, 7.0]);
        w.metadata.insert("arch".into(), "lab".into());
        let back = Weights::from_bytes_with(&w.to_bytes().unwrap(), &open).unwrap();
        assert_eq!(back, w);
        assert_eq!(back.len(), 6);
    }

    #[test]
    fn damaged_files_are_clear_errors() {
        let e = Weights::from_bytes_with(b"hello", &open).unwrap_err();
        assert!(e.detail.contains("not a weights file"));
        assert_eq!(e.problem, FileProblem::NotAModel);
        let mut w = Weights::default();
        w.push("x", vec![3], vec![1.0, 2.0, 3.0]);
        let bytes = w.to_bytes().unwrap();
        assert!(Weights::from_bytes_with(&bytes[..bytes.len() - 2], &open).is_err());
        let mut nan = w.clone();
        nan.tensors[0].data[1] = f32::NAN;
        let e = Weights::from_bytes_with(&nan.to_bytes().unwrap(), &open).unwrap_err();
        assert!(e.detail.contains("non-finite"));
        assert_eq!(e.problem, FileProblem::Damaged);
    }
}

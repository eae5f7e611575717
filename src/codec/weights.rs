//! Named f32 tensors, the form every model is saved, loaded and compressed in.
//! Files are safetensors (a JSON header plus raw little-endian data), readable
//! by any other framework.

use super::{FileError, FileProblem};
use safetensors::{tensor::TensorView, Dtype, SafeTensors};
use std::collections::BTreeMap;

/// Metadata key holding the tensors' order.
const ORDER_KEY: &str = "tensor_order";

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

    /// Serializes to safetensors bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>, String> {
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
                    .map_err(|e| e.to_string())
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut meta: std::collections::HashMap<String, String> =
            self.metadata.clone().into_iter().collect();
        // safetensors stores tensors sorted; keep the model's own order (layer by layer).
        let order: Vec<&str> = self.tensors.iter().map(|t| t.name.as_str()).collect();
        meta.insert(ORDER_KEY.into(), order.join(","));
        safetensors::serialize(views, Some(meta)).map_err(|e| e.to_string())
    }

    /// Parses safetensors bytes. Every failure is a message a visitor can read.
    pub fn from_bytes(bytes: &[u8]) -> Result<Weights, FileError> {
        let (_, header) = SafeTensors::read_metadata(bytes).map_err(|e| {
            FileError::new(
                FileProblem::NotAModel,
                format!("This is not a weights file this site can read (safetensors): {e}."),
            )
        })?;
        let damaged = |e: safetensors::SafeTensorError| {
            FileError::new(
                FileProblem::Damaged,
                format!("The weights file is damaged: {e}."),
            )
        };
        let st = SafeTensors::deserialize(bytes).map_err(damaged)?;
        let mut out = Weights {
            metadata: header
                .metadata()
                .clone()
                .map(|m| m.into_iter().collect())
                .unwrap_or_default(),
            ..Weights::default()
        };
        // The model's own order when the file records it, else the file's.
        let mut names: Vec<String> = st.names().into_iter().map(String::from).collect();
        names.sort();
        if let Some(order) = out.metadata.remove(ORDER_KEY) {
            let listed: Vec<String> = order.split(',').map(String::from).collect();
            let mut sorted = listed.clone();
            sorted.sort();
            if sorted == names {
                names = listed;
            }
        }
        for name in names {
            let view = st.tensor(&name).map_err(damaged)?;
            if view.dtype() != Dtype::F32 {
                return Err(FileError::new(
                    FileProblem::NotAModel,
                    format!(
                        "Tensor {name} is {:?}; this site reads f32 weights.",
                        view.dtype()
                    ),
                ));
            }
            let data = view
                .data()
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect::<Vec<_>>();
            if let Some(i) = data.iter().position(|v| !v.is_finite()) {
                return Err(FileError::new(
                    FileProblem::Damaged,
                    format!(
                        "Tensor {name} holds a non-finite value at index {i}: the file is damaged."
                    ),
                ));
            }
            out.push(&name, view.shape().to_vec(), data);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_order_values_and_metadata() {
        let mut w = Weights::default();
        w.push("b.weight", vec![2, 2], vec![1.0, -2.0, 3.5, 0.0]);
        w.push("a.bias", vec![2], vec![0.25, 7.0]);
        w.metadata.insert("arch".into(), "lab".into());
        let back = Weights::from_bytes(&w.to_bytes().unwrap()).unwrap();
        assert_eq!(back, w);
        assert_eq!(back.len(), 6);
    }

    #[test]
    fn damaged_files_are_clear_errors() {
        let e = Weights::from_bytes(b"hello").unwrap_err();
        assert!(e.detail.contains("not a weights file"));
        assert_eq!(e.problem, FileProblem::NotAModel);
        let mut w = Weights::default();
        w.push("x", vec![3], vec![1.0, 2.0, 3.0]);
        let bytes = w.to_bytes().unwrap();
        assert!(Weights::from_bytes(&bytes[..bytes.len() - 2]).is_err());
        let mut nan = w.clone();
        nan.tensors[0].data[1] = f32::NAN;
        let e = Weights::from_bytes(&nan.to_bytes().unwrap()).unwrap_err();
        assert!(e.detail.contains("non-finite"));
        assert_eq!(e.problem, FileProblem::Damaged);
    }
}

//! Reading tensors back from the device: the one place it happens. Natively a
//! blocking read is fine; browsers allow only asynchronous readback on WebGPU,
//! so the worker awaits [`read_async`].

use super::Error;
use burn::prelude::*;

/// The tensor's values as `f32`, row-major (blocking).
pub fn read<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data()
        .try_into_vec_as::<f32>()
        .expect("float tensors read back as f32")
}

/// The tensor's values as `f32`, row-major, without blocking the thread.
pub async fn read_async<const D: usize>(t: Tensor<D>) -> Result<Vec<f32>, Error> {
    t.into_data_async()
        .await
        .map_err(|e| Error::Readback(format!("{e:?}")))?
        .try_into_vec_as::<f32>()
        .map_err(|e| Error::Readback(format!("unexpected result type: {e:?}")))
}

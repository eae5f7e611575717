//! Reading tensors back from the device: the one place it happens, and the
//! one way — asynchronous, the only kind browsers allow on WebGPU. Native
//! callers (the `lab` CLI, the tests) wait on it with [`super::block_on`].

use super::Error;
use burn::prelude::*;

/// The tensor's values as `f32`, row-major, without blocking the thread.
pub async fn read<const D: usize>(t: Tensor<D>) -> Result<Vec<f32>, Error> {
    t.into_data_async()
        .await
        .map_err(|e| Error::Readback(format!("{e:?}")))?
        .try_into_vec_as::<f32>()
        .map_err(|e| Error::Readback(format!("unexpected result type: {e:?}")))
}

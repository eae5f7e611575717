//! Inside the network, as plain data: what each stage of the forward pass
//! holds for one picture (the layer view on `/classify`), the first layer's
//! kernels, and which pixels decide (gradient saliency and occlusion). The
//! engine fills these in ([`crate::engine::inspect`]); the pixel arithmetic of
//! occlusion is here, free of Burn, so native tests reach it.

use serde::{Deserialize, Serialize};

/// Side of the pictures the models see.
pub const SIDE: usize = 32;

/// What a stage of the forward pass is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StageKind {
    /// The normalized picture: 3 channels (R, G, B).
    Input,
    /// A 3×3 convolution followed by ReLU (with batch norm between them in the
    /// default CNN).
    Conv,
    /// 2×2 max pooling: keeps the largest of every four values.
    Pool,
    /// A fully connected layer followed by ReLU.
    Dense,
    /// The ten class scores (logits), before softmax.
    Scores,
}

/// One stage: its values for the picture, channel-major.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    pub kind: StageKind,
    /// The layer's name in weights files (`conv1`, `b3`, `fc1`); empty for
    /// the input and pooling.
    pub layer: String,
    /// `[channels, height, width]`; dense stages and the scores are `[n, 1, 1]`.
    pub shape: [usize; 3],
    /// The activations, `channels × height × width` values.
    #[serde(with = "f32_bytes")]
    pub values: Vec<f32>,
    /// A convolution's kernels, `[out, in, 3, 3]` row-major (empty otherwise):
    /// the weights as stored, before batch norm rescales each output channel.
    #[serde(with = "f32_bytes")]
    pub kernels: Vec<f32>,
}

/// Floats sent as little-endian bytes: between the worker and the page they
/// travel as one `Uint8Array`. As a list of numbers, serde-wasm-bindgen makes
/// one JavaScript value per float, and the default CNN's ~400,000 activations
/// and kernels took minutes to cross (measured in headless Chromium).
mod f32_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &[f32], s: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = v.iter().flat_map(|f| f.to_le_bytes()).collect();
        s.serialize_bytes(&bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f32>, D::Error> {
        let bytes = serde_bytes::ByteBuf::deserialize(d)?;
        if bytes.len() % 4 != 0 {
            return Err(serde::de::Error::custom("float bytes come in fours"));
        }
        Ok(bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect())
    }
}

impl Stage {
    /// How many numbers this stage holds for one picture.
    pub fn numbers(&self) -> usize {
        self.shape.iter().product()
    }

    pub fn channels(&self) -> usize {
        self.shape[0]
    }

    /// Whether the stage is a grid of maps (not a vector of numbers).
    pub fn is_spatial(&self) -> bool {
        self.shape[1] > 1
    }

    /// Channel `c`'s map, `height × width` values.
    pub fn map(&self, c: usize) -> &[f32] {
        let n = self.shape[1] * self.shape[2];
        self.values.get(c * n..(c + 1) * n).unwrap_or(&[])
    }

    /// Input channels of each kernel (0 without kernels).
    pub fn kernel_inputs(&self) -> usize {
        self.kernels.len() / (self.channels() * 9).max(1)
    }

    /// Output channel `c`'s kernel: `in × 3 × 3` values.
    pub fn kernel(&self, c: usize) -> &[f32] {
        let n = self.kernel_inputs() * 9;
        self.kernels.get(c * n..(c + 1) * n).unwrap_or(&[])
    }
}

/// The layer view of one picture.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inspection {
    /// Input first, the ten scores last.
    pub stages: Vec<Stage>,
    /// Milliseconds for the forward pass and the one readback.
    pub millis: f64,
}

impl Inspection {
    /// The most probable class (the largest score).
    pub fn top(&self) -> usize {
        self.stages
            .last()
            .map_or(0, |s| crate::math::argmax(&s.values))
    }

    /// The first convolution: its kernels are what the network looks for in
    /// the pixels themselves.
    pub fn first_conv(&self) -> Option<&Stage> {
        self.stages.iter().find(|s| s.kind == StageKind::Conv)
    }
}

/// Which pixels decide, for one class: two maps over the 32×32 picture.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SaliencyMaps {
    pub class: usize,
    /// `max over R, G, B of |∂ score / ∂ pixel|` (the score is the class's
    /// logit), `32 × 32` row-major (Simonyan, Vedaldi & Zisserman 2014).
    pub gradient: Vec<f32>,
    /// How much the class's probability drops when a grey patch covers each
    /// pixel (mean over the patches that cover it), `32 × 32` (Zeiler & Fergus
    /// 2014). Negative where covering the pixel makes the class *more* likely.
    pub occlusion: Vec<f32>,
    /// The class's probability with nothing covered.
    pub probability: f32,
    pub gradient_millis: f64,
    pub occlusion_millis: f64,
}

/// The occluding patch: side and stride in pixels.
pub const PATCH: usize = 8;
pub const STRIDE: usize = 4;

/// The patch's colour: the training set's mean pixel, which normalizes to
/// zero (what the network sees as "nothing here").
pub const GREY: [u8; 3] = [125, 123, 114];

/// Top-left corners of the patches, row-major: `(32 − 8) / 4 + 1 = 7` a side.
pub fn patch_corners() -> Vec<(usize, usize)> {
    let steps: Vec<usize> = (0..=SIDE - PATCH).step_by(STRIDE).collect();
    steps
        .iter()
        .flat_map(|&y| steps.iter().map(move |&x| (y, x)))
        .collect()
}

/// The picture (planar R, G, B) with a grey patch at each corner.
pub fn occluded(image: &[u8]) -> Vec<Vec<u8>> {
    patch_corners()
        .into_iter()
        .map(|(y0, x0)| {
            let mut img = image.to_vec();
            for (c, grey) in GREY.iter().enumerate() {
                for y in y0..y0 + PATCH {
                    let row = c * SIDE * SIDE + y * SIDE;
                    img[row + x0..row + x0 + PATCH].fill(*grey);
                }
            }
            img
        })
        .collect()
}

/// Per pixel, the mean of `drops` (one per patch, in [`patch_corners`]
/// order) over the patches that cover it.
pub fn occlusion_map(drops: &[f32]) -> Vec<f32> {
    let mut sum = vec![0.0f32; SIDE * SIDE];
    let mut count = vec![0u32; SIDE * SIDE];
    for ((y0, x0), d) in patch_corners().into_iter().zip(drops) {
        for y in y0..y0 + PATCH {
            for x in x0..x0 + PATCH {
                sum[y * SIDE + x] += d;
                count[y * SIDE + x] += 1;
            }
        }
    }
    sum.iter()
        .zip(&count)
        .map(|(s, &n)| if n == 0 { 0.0 } else { s / n as f32 })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patches_tile_the_picture_and_every_pixel_is_covered() {
        let corners = patch_corners();
        assert_eq!(corners.len(), 49);
        assert_eq!(corners[0], (0, 0));
        assert_eq!(corners[48], (24, 24));
        // One patch dropping 1, the others 0: the map is 1/k exactly on that
        // patch's pixels, k = how many patches cover each.
        let mut drops = vec![0.0; 49];
        drops[0] = 1.0;
        let map = occlusion_map(&drops);
        assert!(map[0] == 1.0, "the corner pixel has one patch: {}", map[0]);
        assert!(map[5 * SIDE + 5] == 0.25, "{}", map[5 * SIDE + 5]);
        assert!(map[8 * SIDE + 8] == 0.0);
        assert!(occlusion_map(&[0.5; 49]).iter().all(|&v| v == 0.5));
    }

    #[test]
    fn occluded_pictures_grey_out_one_patch_each() {
        let image = vec![255u8; 3 * SIDE * SIDE];
        let out = occluded(&image);
        assert_eq!(out.len(), 49);
        let last = &out[48];
        for c in 0..3 {
            let at = |y: usize, x: usize| last[c * SIDE * SIDE + y * SIDE + x];
            assert_eq!(at(24, 24), GREY[c]);
            assert_eq!(at(31, 31), GREY[c]);
            assert_eq!(at(23, 31), 255);
            assert_eq!(at(31, 23), 255);
        }
        let greyed = last.iter().filter(|&&v| v != 255).count();
        assert_eq!(greyed, 3 * PATCH * PATCH);
    }

    #[test]
    fn stages_travel_as_bytes_and_come_back_equal() {
        let s = Stage {
            kind: StageKind::Conv,
            layer: "b1".into(),
            shape: [1, 1, 3],
            values: vec![1.5, -0.0, f32::MIN_POSITIVE],
            kernels: vec![],
        };
        let json = serde_json::to_string(&s).unwrap();
        assert!(
            json.contains("\"values\":[0,0,192,63,0,0,0,128,0,0,128,0]"),
            "{json}"
        );
        let back: Stage = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
        let odd = json.replace("[0,0,192,63,0,0,0,128,0,0,128,0]", "[1,2,3]");
        assert!(serde_json::from_str::<Stage>(&odd).is_err());
    }

    #[test]
    fn stages_index_maps_and_kernels() {
        let s = Stage {
            kind: StageKind::Conv,
            layer: "conv1".into(),
            shape: [2, 2, 2],
            values: (0..8).map(|v| v as f32).collect(),
            kernels: (0..2 * 3 * 9).map(|v| v as f32).collect(),
        };
        assert_eq!(s.numbers(), 8);
        assert_eq!(s.map(1), &[4.0, 5.0, 6.0, 7.0]);
        assert!(s.map(2).is_empty());
        assert_eq!(s.kernel_inputs(), 3);
        assert_eq!(s.kernel(1)[0], 27.0);
        assert!(s.is_spatial());
    }
}

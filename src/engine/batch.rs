//! From bytes to tensors: per-channel normalization and the training
//! augmentation (random shifts of up to 4 pixels with zero padding after
//! normalization, and horizontal flips).

use crate::data::cifar::{Cifar, SIDE};
use crate::math::rng::SplitMix64;
use burn::prelude::*;

/// Per-channel mean and standard deviation of the CIFAR-10 training set (RGB, in [0, 1]).
pub const MEAN: [f32; 3] = [0.4914, 0.4822, 0.4465];
pub const STD: [f32; 3] = [0.2470, 0.2435, 0.2616];
/// Largest shift of the random-crop augmentation, in pixels.
pub const MAX_SHIFT: i32 = 4;

/// A random augmentation: shift (dx, dy) and whether to mirror.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Augment {
    pub dx: i32,
    pub dy: i32,
    pub flip: bool,
}

impl Augment {
    pub fn random(rng: &mut SplitMix64) -> Self {
        let span = (2 * MAX_SHIFT + 1) as usize;
        Augment {
            dx: rng.below(span) as i32 - MAX_SHIFT,
            dy: rng.below(span) as i32 - MAX_SHIFT,
            flip: rng.below(2) == 1,
        }
    }
}

/// Appends one normalized (and possibly augmented) planar image to `out`.
pub fn push_image(out: &mut Vec<f32>, img: &[u8], aug: Augment) {
    let side = SIDE as i32;
    for c in 0..3 {
        let plane = &img[c * SIDE * SIDE..(c + 1) * SIDE * SIDE];
        for y in 0..side {
            for x in 0..side {
                let sx = if aug.flip { side - 1 - x } else { x } + aug.dx;
                let sy = y + aug.dy;
                let v = if (0..side).contains(&sx) && (0..side).contains(&sy) {
                    (plane[(sy * side + sx) as usize] as f32 / 255.0 - MEAN[c]) / STD[c]
                } else {
                    0.0
                };
                out.push(v);
            }
        }
    }
}

/// `[n, 3, 32, 32]` normalized images for the records `idx`, augmented when `rng` is given.
pub fn images(
    data: &Cifar,
    idx: &[usize],
    rng: Option<&mut SplitMix64>,
    device: &Device,
) -> Tensor<4> {
    from_pixels(pixels(data, idx, rng), idx.len(), device)
}

/// The values of [`images`], row-major, before they become a tensor (a
/// batch's parts go to other cores as these).
pub fn pixels(data: &Cifar, idx: &[usize], mut rng: Option<&mut SplitMix64>) -> Vec<f32> {
    let mut buf = Vec::with_capacity(idx.len() * 3 * SIDE * SIDE);
    for &i in idx {
        let aug = rng.as_deref_mut().map(Augment::random).unwrap_or_default();
        push_image(&mut buf, data.image(i), aug);
    }
    buf
}

/// `[n, 3, 32, 32]` from `n` images' normalized values, row-major.
pub fn from_pixels(values: Vec<f32>, n: usize, device: &Device) -> Tensor<4> {
    Tensor::from_data(TensorData::new(values, [n, 3, SIDE, SIDE]), device)
}

/// `[n, 3, 32, 32]` from raw planar images (no augmentation).
pub fn raw_images(planar: &[&[u8]], device: &Device) -> Tensor<4> {
    let mut buf = Vec::with_capacity(planar.len() * 3 * SIDE * SIDE);
    for img in planar {
        push_image(&mut buf, img, Augment::default());
    }
    Tensor::from_data(TensorData::new(buf, [planar.len(), 3, SIDE, SIDE]), device)
}

/// `[n]` class indices of the records `idx`.
pub fn labels(data: &Cifar, idx: &[usize], device: &Device) -> Tensor<1, Int> {
    let labels: Vec<u8> = idx.iter().map(|&i| data.labels[i]).collect();
    targets(&labels, device)
}

/// Class indices as the loss's targets `[b]`.
pub fn targets(labels: &[u8], device: &Device) -> Tensor<1, Int> {
    let v: Vec<i64> = labels.iter().map(|&y| i64::from(y)).collect();
    Tensor::from_data(TensorData::new(v, [labels.len()]), device)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization_shift_and_flip() {
        let mut img = vec![0u8; 3 * SIDE * SIDE];
        img[0] = 255; // R at (0, 0)
        let mut out = Vec::new();
        push_image(&mut out, &img, Augment::default());
        assert!((out[0] - (1.0 - MEAN[0]) / STD[0]).abs() < 1e-6);
        assert!((out[1] - (0.0 - MEAN[0]) / STD[0]).abs() < 1e-6);
        // Mirrored: the bright pixel lands at x = 31.
        out.clear();
        push_image(
            &mut out,
            &img,
            Augment {
                flip: true,
                ..Default::default()
            },
        );
        assert!((out[31] - (1.0 - MEAN[0]) / STD[0]).abs() < 1e-6);
        // Shifted by dx = 1: output x reads source x + 1; the last column is padding.
        out.clear();
        push_image(
            &mut out,
            &img,
            Augment {
                dx: -1,
                ..Default::default()
            },
        );
        assert!((out[1] - (1.0 - MEAN[0]) / STD[0]).abs() < 1e-6);
        out.clear();
        push_image(
            &mut out,
            &img,
            Augment {
                dx: 1,
                ..Default::default()
            },
        );
        assert_eq!(out[31], 0.0);
    }

    #[test]
    fn random_augmentations_cover_the_range() {
        let mut rng = SplitMix64::new(3);
        let augs: Vec<Augment> = (0..500).map(|_| Augment::random(&mut rng)).collect();
        assert!(augs
            .iter()
            .all(|a| a.dx.abs() <= MAX_SHIFT && a.dy.abs() <= MAX_SHIFT));
        assert!(augs.iter().any(|a| a.dx == -MAX_SHIFT) && augs.iter().any(|a| a.dx == MAX_SHIFT));
        assert!(augs.iter().any(|a| a.flip) && augs.iter().any(|a| !a.flip));
    }
}

//! The `.clz` compressed model format and the compression itself, with no ML
//! framework in sight: magnitude pruning, uniform quantization, weight sharing
//! by k-means, and an honest account of the bits the result takes — measured
//! on a real file.
//!
//! The file (`.clz`) is `"CLZ1"`, the payload's length (u32, little-endian) and
//! the payload after DEFLATE. The payload is a JSON header followed by one
//! byte-aligned section per tensor: the keep-mask (one bit per weight) when
//! pruned, the side information (scales, offsets, codebook; f32), then the
//! values (f32, or indices packed at `bits` bits each, least significant bit
//! first). [`SizeAccount`] adds up exactly those bytes; a test checks it.
//!
//! Only conv and linear weights are compressed; biases and batch-norm tensors
//! (under 1 % of the parameters) stay 32-bit floats and are counted as such.
//! The engine (`engine::compress`) fine-tunes and measures what this produces.

use super::arch::{self, MAX_MODEL_FILE_BYTES};
use super::weights::{NamedTensor, Weights};
use super::{FileError, FileProblem};
use crate::domain::{
    Coding, Granularity, LayerStats, Plan, PlanError, PruneScope, QuantMode, SizeAccount, HIST_BINS,
};
use crate::math::arith::{Adaptive, Decoder, Encoder};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The first four bytes of a compressed model file this site writes (version
/// 2: masks and values of at most 8 bits arithmetic-coded).
pub const MAGIC: &[u8; 4] = b"CLZ2";
/// Version 1 (masks as bits, values packed): still read, so models saved in a
/// browser before version 2 keep loading.
pub const MAGIC_V1: &[u8; 4] = b"CLZ1";
/// Largest payload a file may declare: a model file's limit (the biggest
/// model here needs ~1.3 MB uncompressed).
const MAX_PAYLOAD: u64 = MAX_MODEL_FILE_BYTES;

/// A conv or linear weight matrix: the tensors compression acts on.
pub fn is_compressible(t: &NamedTensor) -> bool {
    t.name.ends_with(".weight") && t.shape.len() >= 2
}

/// Output channels: conv weights are `[out, in, kh, kw]`, Burn's linear
/// weights `[in, out]`.
fn channels(shape: &[usize]) -> usize {
    match shape {
        [_, out] => *out,
        [out, ..] => *out,
        [] => 1,
    }
}

/// The output channel of flat index `i`.
fn channel_of(shape: &[usize], i: usize) -> usize {
    match shape {
        [_, out] => i % out.max(&1),
        [out, ..] => {
            let n: usize = shape.iter().product();
            i / (n / out.max(&1)).max(1)
        }
        [] => 0,
    }
}

/// Keep-masks (`true` = kept) for every compressible tensor, `None` for the
/// others. Exactly `round(sparsity · n)` weights are removed — over all
/// compressible weights together (global) or in every layer (per layer) —
/// the smallest in magnitude first, ties broken by position.
pub fn prune_masks(w: &Weights, sparsity: f64, scope: PruneScope) -> Vec<Option<Vec<bool>>> {
    let mut masks: Vec<Option<Vec<bool>>> = w
        .tensors
        .iter()
        .map(|t| is_compressible(t).then(|| vec![true; t.data.len()]))
        .collect();
    let drop =
        |entries: &mut Vec<(f32, usize, usize)>, masks: &mut Vec<Option<Vec<bool>>>, n: usize| {
            let z = ((sparsity * n as f64).round() as usize).min(entries.len());
            entries.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
            for &(_, t, i) in &entries[..z] {
                if let Some(m) = &mut masks[t] {
                    m[i] = false;
                }
            }
        };
    if sparsity <= 0.0 {
        return masks;
    }
    match scope {
        PruneScope::Global => {
            let mut all: Vec<(f32, usize, usize)> = Vec::new();
            for (ti, t) in w.tensors.iter().enumerate() {
                if is_compressible(t) {
                    all.extend(t.data.iter().enumerate().map(|(i, v)| (v.abs(), ti, i)));
                }
            }
            let n = all.len();
            drop(&mut all, &mut masks, n);
        }
        PruneScope::PerLayer => {
            for (ti, t) in w.tensors.iter().enumerate() {
                if is_compressible(t) {
                    let mut e: Vec<(f32, usize, usize)> = t
                        .data
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (v.abs(), ti, i))
                        .collect();
                    drop(&mut e, &mut masks, t.data.len());
                }
            }
        }
    }
    masks
}

/// How one tensor's surviving values are stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Kind {
    /// Raw f32.
    F32,
    /// Symmetric grid, b ≥ 2: value = (q − qmax) · s, side = one `s` per group.
    Symmetric,
    /// One bit: value = ±s (s = mean |w| of the group), side = one `s` per group.
    Sign,
    /// Affine grid: value = lo + q · s, side = `lo, s` per group.
    Affine,
    /// Codebook: value = codebook[q], side = the codebook.
    Share,
}

/// One tensor's entry in the file header.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Entry {
    name: String,
    shape: Vec<usize>,
    kind: Kind,
    /// A keep-mask precedes the values.
    masked: bool,
    /// Bits per stored index (0 for f32).
    bits: u32,
    /// f32 values of side information.
    side: usize,
    /// Scale groups: 1, or one per output channel.
    groups: usize,
    /// Version 2: bytes of the arithmetic-coded mask (0: none, or version 1's bits).
    #[serde(default)]
    mask_bytes: usize,
    /// Version 2: bytes of the arithmetic-coded values (0: packed as in version 1).
    #[serde(default)]
    value_bytes: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Header {
    metadata: BTreeMap<String, String>,
    tensors: Vec<Entry>,
}

/// The dequantized value of index `q` in group `g`: the single formula both
/// the encoder and the decoder use, so they agree bit for bit.
fn value(kind: Kind, bits: u32, side: &[f32], g: usize, q: u32) -> f32 {
    match kind {
        Kind::F32 => f32::from_bits(q),
        Kind::Symmetric => {
            let qmax = (1i64 << (bits - 1)) - 1;
            (q as i64 - qmax) as f32 * side[g]
        }
        Kind::Sign => {
            if q == 1 {
                side[g]
            } else {
                -side[g]
            }
        }
        Kind::Affine => side[2 * g] + q as f32 * side[2 * g + 1],
        Kind::Share => side[q as usize],
    }
}

/// The result of [`compress`].
#[derive(Clone, Debug, PartialEq)]
pub struct Compressed {
    /// What the compressed model computes with (every value decoded).
    pub weights: Weights,
    /// The `.clz` file.
    pub file: Vec<u8>,
    pub size: SizeAccount,
    pub layers: Vec<LayerStats>,
}

/// Bits needed to tell `k` values apart.
pub fn index_bits(k: usize) -> u32 {
    if k <= 1 {
        0
    } else {
        usize::BITS - (k - 1).leading_zeros()
    }
}

/// One-dimensional k-means (Lloyd's algorithm) with linearly spaced initial
/// centroids, as Deep Compression found best. Returns the used centroids,
/// ascending, and each value's centroid index.
pub fn kmeans_1d(values: &[f32], k: usize) -> (Vec<f32>, Vec<u32>) {
    if values.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let sorted: Vec<f64> = order.iter().map(|&i| values[i] as f64).collect();
    let (lo, hi) = (sorted[0], sorted[sorted.len() - 1]);
    let k = k.max(1);
    let mut c: Vec<f64> = (0..k)
        .map(|j| {
            if k == 1 {
                (lo + hi) / 2.0
            } else {
                lo + (hi - lo) * j as f64 / (k - 1) as f64
            }
        })
        .collect();
    // Prefix sums make each centroid update O(k log n).
    let mut prefix = vec![0.0; sorted.len() + 1];
    for (i, v) in sorted.iter().enumerate() {
        prefix[i + 1] = prefix[i] + v;
    }
    // Segment j of the sorted values: [starts[j], starts[j + 1]).
    let segments = |c: &[f64]| -> Vec<usize> {
        let mut starts = vec![0; c.len() + 1];
        for j in 1..c.len() {
            let mid = (c[j - 1] + c[j]) / 2.0;
            starts[j] = sorted.partition_point(|&v| v < mid);
        }
        starts[c.len()] = sorted.len();
        starts
    };
    for _ in 0..100 {
        let starts = segments(&c);
        let mut moved = false;
        for j in 0..k {
            let (a, b) = (starts[j], starts[j + 1]);
            if b > a {
                let mean = (prefix[b] - prefix[a]) / (b - a) as f64;
                moved |= mean != c[j];
                c[j] = mean;
            }
        }
        c.sort_by(f64::total_cmp);
        if !moved {
            break;
        }
    }
    let starts = segments(&c);
    let mut centroids = Vec::new();
    let mut index = vec![0u32; values.len()];
    for j in 0..k {
        let (a, b) = (starts[j], starts[j + 1]);
        if b > a {
            let id = centroids.len() as u32;
            centroids.push(c[j] as f32);
            for &i in &order[a..b] {
                index[i] = id;
            }
        }
    }
    (centroids, index)
}

/// Quantization parameters of one group of values, as stored (f32).
fn quant_side(kind: Kind, bits: u32, values: &[f32]) -> Vec<f32> {
    let max_abs = values.iter().fold(0.0f64, |m, v| m.max(v.abs() as f64));
    match kind {
        Kind::Symmetric => {
            let qmax = ((1u64 << (bits - 1)) - 1) as f64;
            vec![(max_abs / qmax) as f32]
        }
        Kind::Sign => {
            let mean =
                values.iter().map(|v| v.abs() as f64).sum::<f64>() / values.len().max(1) as f64;
            vec![mean as f32]
        }
        Kind::Affine => {
            let lo = values.iter().copied().fold(f32::INFINITY, f32::min);
            let hi = values.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            if values.is_empty() {
                return vec![0.0, 0.0];
            }
            let levels = ((1u64 << bits) - 1) as f64;
            vec![lo, ((hi as f64 - lo as f64) / levels) as f32]
        }
        Kind::F32 | Kind::Share => Vec::new(),
    }
}

/// The index of `v` in its group.
fn quant_index(kind: Kind, bits: u32, side: &[f32], g: usize, v: f32) -> u32 {
    match kind {
        Kind::Symmetric => {
            let qmax = ((1i64 << (bits - 1)) - 1) as f64;
            let s = side[g] as f64;
            let q = if s > 0.0 { (v as f64 / s).round() } else { 0.0 };
            (q.clamp(-qmax, qmax) + qmax) as u32
        }
        Kind::Sign => u32::from(v >= 0.0),
        Kind::Affine => {
            let (lo, s) = (side[2 * g] as f64, side[2 * g + 1] as f64);
            let top = ((1u64 << bits) - 1) as f64;
            let q = if s > 0.0 {
                ((v as f64 - lo) / s).round()
            } else {
                0.0
            };
            q.clamp(0.0, top) as u32
        }
        Kind::F32 => v.to_bits(),
        Kind::Share => 0,
    }
}

/// One compressible tensor as the file stores it.
struct Coded {
    kind: Kind,
    bits: u32,
    /// Scale groups: 1, or one per output channel.
    groups: usize,
    side: Vec<f32>,
    /// Positions of the kept weights, ascending.
    kept: Vec<usize>,
    /// The stored index of each kept weight.
    indices: Vec<u32>,
    /// Every weight as decoded (pruned ones 0).
    data: Vec<f32>,
}

/// Codes one tensor's kept weights (`mask`) as `coding` says.
fn code_tensor(t: &NamedTensor, mask: &[bool], coding: Coding) -> Coded {
    let kept: Vec<usize> = (0..t.data.len()).filter(|&i| mask[i]).collect();
    let kept_values: Vec<f32> = kept.iter().map(|&i| t.data[i]).collect();
    let (kind, bits, groups) = match coding {
        Coding::Float => (Kind::F32, 0, 1),
        Coding::Share { .. } => (Kind::Share, 0, 1),
        Coding::Quantize {
            bits,
            granularity,
            mode,
        } => (
            match (mode, bits) {
                (QuantMode::Affine, _) => Kind::Affine,
                (QuantMode::Symmetric, 1) => Kind::Sign,
                (QuantMode::Symmetric, _) => Kind::Symmetric,
            },
            bits,
            match granularity {
                Granularity::PerTensor => 1,
                Granularity::PerChannel => channels(&t.shape),
            },
        ),
    };
    let group = |i: usize| {
        if groups == 1 {
            0
        } else {
            channel_of(&t.shape, i)
        }
    };
    let (side, indices, bits): (Vec<f32>, Vec<u32>, u32) = match kind {
        Kind::F32 => (
            Vec::new(),
            kept_values.iter().map(|v| v.to_bits()).collect(),
            32,
        ),
        Kind::Share => {
            let Coding::Share { k } = coding else {
                unreachable!("kind follows coding")
            };
            let (book, idx) = kmeans_1d(&kept_values, k as usize);
            let b = index_bits(book.len());
            (book, idx, b)
        }
        _ => {
            let mut by_group: Vec<Vec<f32>> = vec![Vec::new(); groups];
            for &i in &kept {
                by_group[group(i)].push(t.data[i]);
            }
            let side: Vec<f32> = by_group
                .iter()
                .flat_map(|g| quant_side(kind, bits, g))
                .collect();
            let idx = kept
                .iter()
                .map(|&i| quant_index(kind, bits, &side, group(i), t.data[i]))
                .collect();
            (side, idx, bits)
        }
    };
    let mut data = vec![0.0f32; t.data.len()];
    for (&i, &q) in kept.iter().zip(&indices) {
        data[i] = value(kind, bits, &side, group(i), q);
    }
    Coded {
        kind,
        bits,
        groups,
        side,
        kept,
        indices,
        data,
    }
}

/// What a model compressed with `plan` computes with: every weight as
/// [`compress`]'s file decodes it, without writing the file. Compression-aware
/// fine-tuning runs its forward passes through this.
pub fn reconstruct(w: &Weights, plan: &Plan) -> Result<Weights, PlanError> {
    plan.check()?;
    let masks = prune_masks(w, plan.sparsity, plan.scope);
    Ok(reconstruct_masked(w, &masks, plan.coding))
}

/// [`reconstruct`] with the pruning masks already chosen (one per tensor, as
/// [`prune_masks`] returns them), for a caller that has just computed them:
/// fine-tuning prunes and codes the same weights in every step.
pub fn reconstruct_masked(w: &Weights, masks: &[Option<Vec<bool>>], coding: Coding) -> Weights {
    let mut out = Weights {
        metadata: w.metadata.clone(),
        ..Weights::default()
    };
    for (t, mask) in w.tensors.iter().zip(masks) {
        let data = match mask {
            Some(mask) => code_tensor(t, mask, coding).data,
            None => t.data.clone(),
        };
        out.push(&t.name, t.shape.clone(), data);
    }
    out
}

/// One tensor as the file stores it: its header entry and its three sections
/// (mask, side information, values), the weights it decodes to, and, for a
/// compressed layer, what it cost.
struct Section {
    entry: Entry,
    bytes: [Vec<u8>; 3],
    data: Vec<f32>,
    layer: Option<LayerStats>,
}

/// A tensor that is not compressed (a bias, batch norm): its floats as they are.
fn raw_section(t: &NamedTensor) -> Section {
    Section {
        entry: Entry {
            name: t.name.clone(),
            shape: t.shape.clone(),
            kind: Kind::F32,
            masked: false,
            bits: 0,
            side: 0,
            groups: 1,
            mask_bytes: 0,
            value_bytes: 0,
        },
        bytes: [
            Vec::new(),
            Vec::new(),
            t.data.iter().flat_map(|v| v.to_le_bytes()).collect(),
        ],
        data: t.data.clone(),
        layer: None,
    }
}

/// A compressible tensor pruned by `mask` (coded when `masked`) and coded by `coding`.
fn coded_section(t: &NamedTensor, mask: &[bool], masked: bool, coding: Coding) -> Section {
    let Coded {
        kind,
        bits,
        groups,
        side,
        kept,
        indices,
        data,
    } = code_tensor(t, mask, coding);
    let mut distinct: Vec<u32> = kept.iter().map(|&i| data[i].to_bits()).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let symbols = symbols(kind, bits, side.len());
    let mask_bytes = if masked { code_mask(mask) } else { Vec::new() };
    let side_bytes: Vec<u8> = side.iter().flat_map(|v| v.to_le_bytes()).collect();
    let value_bytes = match symbols {
        Some(k) => code_values(&indices, k),
        None => pack(&indices, bits),
    };
    let layer = LayerStats {
        name: t.name.clone(),
        weights: t.data.len(),
        kept: kept.len(),
        value_bits: bits,
        distinct: distinct.len(),
        entropy_bits: entropy_bits(masked.then_some(mask), &indices, symbols, bits),
        coded_bytes: mask_bytes.len() + value_bytes.len(),
    };
    let entry = Entry {
        name: t.name.clone(),
        shape: t.shape.clone(),
        kind,
        masked,
        bits,
        side: side.len(),
        groups,
        mask_bytes: mask_bytes.len(),
        value_bytes: if symbols.is_some() {
            value_bytes.len()
        } else {
            0
        },
    };
    Section {
        entry,
        bytes: [mask_bytes, side_bytes, value_bytes],
        data,
        layer: Some(layer),
    }
}

/// Applies `plan` to `w`: prunes, codes, writes the file and counts its bytes.
pub fn compress(w: &Weights, plan: &Plan) -> Result<Compressed, PlanError> {
    plan.check()?;
    let masks = prune_masks(w, plan.sparsity, plan.scope);
    let masked = plan.sparsity > 0.0;
    let mut out = Weights {
        metadata: w.metadata.clone(),
        ..Weights::default()
    };
    let (mut entries, mut body) = (Vec::new(), Vec::new());
    let mut size = SizeAccount::default();
    let mut layers = Vec::new();
    for (t, mask) in w.tensors.iter().zip(&masks) {
        let s = match mask {
            Some(mask) => coded_section(t, mask, masked, plan.coding),
            None => raw_section(t),
        };
        let [m, side, values] = &s.bytes;
        match s.layer {
            Some(l) => {
                (size.masks, size.side) = (size.masks + m.len(), size.side + side.len());
                size.values += values.len();
                layers.push(l);
            }
            None => size.other += values.len(),
        }
        body.extend(s.bytes.concat());
        entries.push(s.entry);
        out.push(&t.name, t.shape.clone(), s.data);
    }
    out.metadata.insert("compression".into(), plan.label());
    let header = serde_json::to_vec(&Header {
        metadata: out.metadata.clone(),
        tensors: entries,
    })
    .expect("a header of strings and numbers serializes");
    let mut payload = (header.len() as u32).to_le_bytes().to_vec();
    payload.extend_from_slice(&header);
    size.header = payload.len();
    payload.extend(body);
    size.payload = size.header + size.masks + size.side + size.values + size.other;
    debug_assert_eq!(size.payload, payload.len());
    let mut file = MAGIC.to_vec();
    file.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    file.extend(miniz_oxide::deflate::compress_to_vec(&payload, 9));
    size.file = file.len();
    Ok(Compressed {
        weights: out,
        file,
        size,
        layers,
    })
}

/// What a decoder accepts, decided from a file's metadata and its tensors'
/// names and shapes before any tensor is allocated. Model files go through
/// [`arch::check_declared`]; the format's own tests pass their samples' lists.
pub type Gate<'g> =
    &'g dyn Fn(&BTreeMap<String, String>, &[(&str, &[usize])]) -> Result<(), FileError>;

/// The gate of every model file: exactly the tensors of the declared architecture.
pub fn architecture_gate(
    metadata: &BTreeMap<String, String>,
    tensors: &[(&str, &[usize])],
) -> Result<(), FileError> {
    arch::check_declared(metadata, tensors.iter().copied()).map(|_| ())
}

fn damaged(why: &str) -> FileError {
    FileError::new(
        FileProblem::Damaged,
        format!("The compressed model file is damaged: {why}."),
    )
}

/// Reads a `.clz` model file back into weights: the header first, checked
/// against its declared architecture, then each tensor. Every failure is a
/// message; no declared size is allocated before the architecture allows it.
pub fn decode(bytes: &[u8]) -> Result<Weights, FileError> {
    decode_with(bytes, &architecture_gate)
}

/// [`decode`] with another gate for what the header may declare.
pub fn decode_with(bytes: &[u8], gate: Gate<'_>) -> Result<Weights, FileError> {
    let v2 = bytes.starts_with(MAGIC);
    let payload = inflate(bytes)?;
    let mut r = Reader {
        bytes: &payload,
        at: 0,
    };
    let header = read_header(&mut r)?;
    let declared: Vec<(&str, &[usize])> = header
        .tensors
        .iter()
        .map(|e| (e.name.as_str(), e.shape.as_slice()))
        .collect();
    gate(&header.metadata, &declared)?;
    let mut out = Weights {
        metadata: header.metadata.clone(),
        ..Weights::default()
    };
    for e in &header.tensors {
        let data = decode_tensor(&mut r, e, v2)?;
        out.push(&e.name, e.shape.clone(), data);
    }
    if r.at != payload.len() {
        return Err(damaged("there are bytes after the last tensor"));
    }
    Ok(out)
}

/// The payload, inflated to exactly its declared size (at most a model file's).
fn inflate(bytes: &[u8]) -> Result<Vec<u8>, FileError> {
    if bytes.len() < 8 || !(bytes.starts_with(MAGIC) || bytes.starts_with(MAGIC_V1)) {
        return Err(FileError::new(
            FileProblem::NotAModel,
            "This is not a compressed model file (.clz).",
        ));
    }
    let declared = u64::from(u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]));
    if declared > MAX_PAYLOAD {
        return Err(damaged(&format!(
            "it declares a payload of {declared} bytes, more than any model here needs ({MAX_PAYLOAD})"
        )));
    }
    let declared = declared as usize;
    let payload = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes[8..], declared)
        .map_err(|_| damaged("its compressed data does not inflate to the declared size"))?;
    if payload.len() != declared {
        return Err(damaged("its payload is shorter than declared"));
    }
    Ok(payload)
}

fn read_header(r: &mut Reader<'_>) -> Result<Header, FileError> {
    let hlen = u32::from_le_bytes(
        r.take(4)
            .ok_or_else(|| damaged("no header"))?
            .try_into()
            .expect("4 bytes"),
    ) as usize;
    serde_json::from_slice(r.take(hlen).ok_or_else(|| damaged("header cut short"))?)
        .map_err(|e| damaged(&format!("unreadable header ({e})")))
}

/// Whether an entry's coding is one [`compress`] writes: its bits, scale
/// groups and side information agree with its kind and shape.
fn coding_is_consistent(e: &Entry) -> bool {
    let valid_bits = match e.kind {
        Kind::F32 => e.bits == 0 || e.bits == 32,
        Kind::Symmetric => (2..=16).contains(&e.bits),
        Kind::Sign => e.bits == 1,
        Kind::Affine => (1..=16).contains(&e.bits),
        Kind::Share => e.bits <= 8,
    };
    let side_per_group = match e.kind {
        Kind::Affine => 2,
        Kind::Symmetric | Kind::Sign => 1,
        _ => 0,
    };
    let groups_ok = e.groups == 1 || e.groups == channels(&e.shape);
    let side_ok = match e.kind {
        Kind::Share => e.side <= 256 && e.bits == index_bits(e.side),
        Kind::F32 => e.side == 0,
        _ => e.side == side_per_group * e.groups,
    };
    valid_bits && groups_ok && side_ok
}

/// One tensor's values, read from `r` as entry `e` says (its shape already
/// allowed by the gate).
fn decode_tensor(r: &mut Reader<'_>, e: &Entry, v2: bool) -> Result<Vec<f32>, FileError> {
    let bad = |why: &str| damaged(&format!("tensor {}: {why}", e.name));
    let n = e
        .shape
        .iter()
        .try_fold(1usize, |a, &d| a.checked_mul(d))
        .filter(|&n| n as u64 <= MAX_PAYLOAD)
        .ok_or_else(|| bad("an impossible shape"))?;
    if !coding_is_consistent(e) {
        return Err(bad("inconsistent coding"));
    }
    let mask = if e.masked && v2 {
        let m = r.take(e.mask_bytes).ok_or_else(|| bad("mask cut short"))?;
        decode_mask(m, n).ok_or_else(|| bad("its coded mask does not check out"))?
    } else if e.masked {
        let m = r.take(n.div_ceil(8)).ok_or_else(|| bad("mask cut short"))?;
        (0..n).map(|i| m[i / 8] >> (i % 8) & 1 == 1).collect()
    } else {
        vec![true; n]
    };
    let side: Vec<f32> = r
        .take(4 * e.side)
        .ok_or_else(|| bad("side information cut short"))?
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let kept = mask.iter().filter(|&&k| k).count();
    let bits = if e.kind == Kind::F32 { 32 } else { e.bits };
    let indices = match symbols(e.kind, bits, e.side).filter(|_| v2) {
        Some(k) => {
            let coded = r
                .take(e.value_bytes)
                .ok_or_else(|| bad("values cut short"))?;
            decode_values(coded, kept, k).ok_or_else(|| bad("its coded values do not check out"))?
        }
        None => {
            let packed = r
                .take((kept * bits as usize).div_ceil(8))
                .ok_or_else(|| bad("values cut short"))?;
            unpack(packed, bits, kept)
        }
    };
    let mut data = vec![0.0f32; n];
    let mut next = indices.into_iter();
    for (i, keep) in mask.iter().enumerate() {
        if *keep {
            let q = next.next().unwrap_or(0);
            if e.kind == Kind::Share && q as usize >= side.len() {
                return Err(bad("an index points outside the codebook"));
            }
            let g = if e.groups == 1 {
                0
            } else {
                channel_of(&e.shape, i)
            };
            data[i] = value(e.kind, bits, &side, g, q);
        }
    }
    if data.iter().any(|v| !v.is_finite()) {
        return Err(bad("a value is not finite"));
    }
    Ok(data)
}

/// How many symbols an arithmetic-coded value of this kind has, when its
/// values are coded (at most 8 bits a value; wider ones stay packed).
fn symbols(kind: Kind, bits: u32, side: usize) -> Option<usize> {
    match kind {
        Kind::F32 => None,
        Kind::Share => Some(side.max(1)),
        _ if bits <= 8 => Some(1 << bits),
        _ => None,
    }
}

/// The keep-mask, arithmetic-coded: an adaptive binary model per previous bit.
fn code_mask(mask: &[bool]) -> Vec<u8> {
    let mut e = Encoder::new();
    let mut m = [Adaptive::new(2), Adaptive::new(2)];
    let mut prev = 1;
    for &k in mask {
        m[prev].encode(&mut e, usize::from(k));
        prev = usize::from(k);
    }
    e.finish().0
}

/// `n` mask bits back, checked: they must code to exactly `bytes`.
fn decode_mask(bytes: &[u8], n: usize) -> Option<Vec<bool>> {
    let mut d = Decoder::new(bytes);
    let mut m = [Adaptive::new(2), Adaptive::new(2)];
    let mut prev = 1;
    let mask: Vec<bool> = (0..n)
        .map(|_| {
            let k = m[prev].decode(&mut d);
            prev = k;
            k == 1
        })
        .collect();
    (code_mask(&mask) == bytes).then_some(mask)
}

/// Indices `0..symbols`, arithmetic-coded under one adaptive model per tensor.
fn code_values(indices: &[u32], symbols: usize) -> Vec<u8> {
    let mut e = Encoder::new();
    let mut m = Adaptive::new(symbols);
    for &q in indices {
        m.encode(&mut e, q as usize);
    }
    e.finish().0
}

/// `n` indices back, checked: they must code to exactly `bytes`.
fn decode_values(bytes: &[u8], n: usize, symbols: usize) -> Option<Vec<u32>> {
    let mut d = Decoder::new(bytes);
    let mut m = Adaptive::new(symbols);
    let indices: Vec<u32> = (0..n).map(|_| m.decode(&mut d) as u32).collect();
    (code_values(&indices, symbols) == bytes).then_some(indices)
}

/// The order-0 empirical entropy of what a layer stores, in bits: its mask
/// (n · h(kept share)) and its values (Σ −c log₂(c / kept) over the indices);
/// values that are not coded count at their stored width.
fn entropy_bits(mask: Option<&[bool]>, indices: &[u32], symbols: Option<usize>, bits: u32) -> f64 {
    let h = |counts: &mut dyn Iterator<Item = usize>, n: usize| -> f64 {
        counts
            .filter(|&c| c > 0)
            .map(|c| -(c as f64) * (c as f64 / n as f64).log2())
            .sum()
    };
    let mask_bits = mask.map_or(0.0, |m| {
        let kept = m.iter().filter(|&&k| k).count();
        h(&mut [kept, m.len() - kept].into_iter(), m.len())
    });
    let value_bits = match symbols {
        Some(k) => {
            let mut counts = vec![0usize; k];
            for &q in indices {
                counts[(q as usize).min(k - 1)] += 1;
            }
            h(&mut counts.into_iter(), indices.len())
        }
        None => indices.len() as f64 * f64::from(if bits == 0 { 32 } else { bits }),
    };
    mask_bits + value_bits
}

/// Reads a weights file of either kind: safetensors, or a compressed `.clz`.
pub fn read_weights(bytes: &[u8]) -> Result<Weights, FileError> {
    if bytes.len() as u64 > MAX_MODEL_FILE_BYTES {
        Err(super::weights::oversized(bytes.len()))
    } else if bytes.starts_with(MAGIC) || bytes.starts_with(MAGIC_V1) {
        decode(bytes)
    } else {
        Weights::from_bytes(bytes)
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(s)
    }
}

#[cfg(test)]
fn pack_bits(bits: &[bool]) -> Vec<u8> {
    let mut out = vec![0u8; bits.len().div_ceil(8)];
    for (i, &b) in bits.iter().enumerate() {
        out[i / 8] |= u8::from(b) << (i % 8);
    }
    out
}

/// Packs each value's low `bits` bits, least significant first.
fn pack(values: &[u32], bits: u32) -> Vec<u8> {
    let mut out = vec![0u8; (values.len() * bits as usize).div_ceil(8)];
    let mut at = 0usize;
    for &v in values {
        for b in 0..bits {
            if v >> b & 1 == 1 {
                out[at / 8] |= 1 << (at % 8);
            }
            at += 1;
        }
    }
    out
}

fn unpack(bytes: &[u8], bits: u32, n: usize) -> Vec<u32> {
    let mut at = 0usize;
    (0..n)
        .map(|_| {
            let mut v = 0u32;
            for b in 0..bits {
                if bytes.get(at / 8).is_some_and(|x| x >> (at % 8) & 1 == 1) {
                    v |= 1 << b;
                }
                at += 1;
            }
            v
        })
        .collect()
}

/// Histogram of `values` on `[−range, range]` in [`HIST_BINS`] bins (values
/// outside go to the end bins).
pub fn histogram(values: impl Iterator<Item = f32>, range: f32) -> Vec<u32> {
    let mut h = vec![0u32; HIST_BINS];
    let r = range.max(f32::MIN_POSITIVE) as f64;
    for v in values {
        let x = ((v as f64 + r) / (2.0 * r) * HIST_BINS as f64).floor();
        h[x.clamp(0.0, (HIST_BINS - 1) as f64) as usize] += 1;
    }
    h
}

/// The compressible weights of `w`, flattened.
pub fn compressible_values(w: &Weights) -> impl Iterator<Item = f32> + '_ {
    w.tensors
        .iter()
        .filter(|t| is_compressible(t))
        .flat_map(|t| t.data.iter().copied())
}

/// DEFLATE size (bits) of the labels stored one byte each: what a
/// general-purpose compressor makes of them without any model.
pub fn deflate_bits(labels: &[u8]) -> usize {
    8 * miniz_oxide::deflate::compress_to_vec(labels, 9).len()
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Arch;
    use crate::math::rng::SplitMix64;

    /// A small model-like weights file: a conv [4, 3, 3, 3], a bias, a linear [12, 5].
    fn sample(seed: u64) -> Weights {
        let mut rng = SplitMix64::new(seed);
        let mut w = Weights::default();
        let mut draw = |n: usize| -> Vec<f32> {
            (0..n)
                .map(|_| ((rng.next_f64() * 2.0 - 1.0).powi(3)) as f32)
                .collect()
        };
        w.push("conv.weight", vec![4, 3, 3, 3], draw(108));
        w.push("conv.bias", vec![4], draw(4));
        w.push("fc.weight", vec![12, 5], draw(60));
        w.metadata.insert("arch".into(), "test".into());
        w
    }

    /// A gate that lets the samples' own tensors through (they belong to no
    /// architecture); model files go through [`architecture_gate`].
    fn open(_: &BTreeMap<String, String>, _: &[(&str, &[usize])]) -> Result<(), FileError> {
        Ok(())
    }

    #[test]
    fn a_header_that_declares_more_than_its_architecture_is_refused_before_decoding() {
        // (Headers that declare gigabytes: tests/hostile_files.rs, with a
        // counting allocator.)
        // The shapes right but a tensor the architecture lacks: refused too.
        let mut extra: Vec<(String, Vec<usize>)> = arch::tensors(Arch::DocCnn);
        extra.push(("fc3.weight".into(), vec![10, 10]));
        let mut w = Weights::default();
        for (name, shape) in extra {
            let n = shape.iter().product();
            w.push(&name, shape, vec![0.01; n]);
        }
        w.metadata.insert("arch".into(), "doc-cnn".into());
        let file = compress(&w, &plan(0.0, PruneScope::Global, Coding::Share { k: 4 }))
            .unwrap()
            .file;
        let e = read_weights(&file).unwrap_err();
        assert!(
            e.detail.contains("fc3.weight that doc-cnn does not have"),
            "{e}"
        );
        // A real model file of each architecture reads back through the gate.
        for a in Arch::ALL {
            let mut w = Weights::default();
            for (name, shape) in arch::tensors(a) {
                let n = shape.iter().product();
                w.push(
                    &name,
                    shape,
                    (0..n).map(|i| (i % 7) as f32 * 0.01).collect(),
                );
            }
            w.metadata.insert("arch".into(), a.to_string());
            let c = compress(&w, &plan(0.5, PruneScope::Global, Coding::Share { k: 16 })).unwrap();
            assert_eq!(read_weights(&c.file).unwrap(), c.weights, "{a}");
            assert!((c.file.len() as u64) < MAX_MODEL_FILE_BYTES);
        }
        // A file over the limit is refused by its length alone.
        let e = read_weights(&vec![0u8; MAX_MODEL_FILE_BYTES as usize + 1]).unwrap_err();
        assert_eq!(
            e.problem,
            FileProblem::TooLarge {
                bytes: MAX_MODEL_FILE_BYTES + 1
            }
        );
    }

    fn plan(sparsity: f64, scope: PruneScope, coding: Coding) -> Plan {
        Plan {
            sparsity,
            scope,
            coding,
        }
    }

    #[test]
    fn pruning_zeroes_exactly_the_share_asked() {
        let w = sample(1);
        for s in [0.0, 0.1, 0.25, 0.5, 0.9, 0.99] {
            let c = compress(&w, &plan(s, PruneScope::PerLayer, Coding::Float)).unwrap();
            for (a, b) in w.tensors.iter().zip(&c.weights.tensors) {
                let zeros = b.data.iter().filter(|v| **v == 0.0).count();
                if is_compressible(a) {
                    assert_eq!(
                        zeros,
                        (s * a.data.len() as f64).round() as usize,
                        "{s} {}",
                        a.name
                    );
                    // The survivors are untouched and at least as large as any removed weight.
                    let cut = a
                        .data
                        .iter()
                        .zip(&b.data)
                        .filter(|(_, y)| **y == 0.0)
                        .fold(0.0f32, |m, (x, _)| m.max(x.abs()));
                    for (x, y) in a.data.iter().zip(&b.data) {
                        if *y != 0.0 {
                            assert_eq!(x, y);
                            assert!(x.abs() >= cut);
                        }
                    }
                } else {
                    assert_eq!(a, b, "biases are never pruned");
                }
            }
            let g = compress(&w, &plan(s, PruneScope::Global, Coding::Float)).unwrap();
            let zeros: usize = g.layers.iter().map(|l| l.weights - l.kept).sum();
            assert_eq!(zeros, (s * 168.0).round() as usize);
        }
    }

    #[test]
    fn quantization_error_is_within_half_a_step() {
        let w = sample(2);
        for bits in [2, 3, 4, 8, 12, 16] {
            for mode in [QuantMode::Symmetric, QuantMode::Affine] {
                for granularity in [Granularity::PerTensor, Granularity::PerChannel] {
                    let coding = Coding::Quantize {
                        bits,
                        granularity,
                        mode,
                    };
                    let c = compress(&w, &plan(0.0, PruneScope::Global, coding)).unwrap();
                    for (a, b) in w.tensors.iter().zip(&c.weights.tensors) {
                        if !is_compressible(a) {
                            continue;
                        }
                        let groups = if granularity == Granularity::PerTensor {
                            1
                        } else {
                            channels(&a.shape)
                        };
                        for g in 0..groups {
                            let idx: Vec<usize> = (0..a.data.len())
                                .filter(|&i| groups == 1 || channel_of(&a.shape, i) == g)
                                .collect();
                            let lo =
                                idx.iter().map(|&i| a.data[i]).fold(f32::INFINITY, f32::min) as f64;
                            let hi = idx
                                .iter()
                                .map(|&i| a.data[i])
                                .fold(f32::NEG_INFINITY, f32::max)
                                as f64;
                            let step = match mode {
                                QuantMode::Symmetric => {
                                    lo.abs().max(hi.abs()) / ((1u64 << (bits - 1)) - 1) as f64
                                }
                                QuantMode::Affine => (hi - lo) / ((1u64 << bits) - 1) as f64,
                            };
                            let mut levels = std::collections::BTreeSet::new();
                            for &i in &idx {
                                let err = (a.data[i] as f64 - b.data[i] as f64).abs();
                                assert!(
                                    err <= step / 2.0 * (1.0 + 1e-4) + 1e-7,
                                    "{bits} {mode:?} {granularity:?}: {err} > {step}/2"
                                );
                                levels.insert(b.data[i].to_bits());
                            }
                            assert!(levels.len() <= 1 << bits);
                        }
                    }
                }
            }
        }
        // One bit (symmetric): the sign, times the mean magnitude.
        let c = compress(
            &w,
            &plan(
                0.0,
                PruneScope::Global,
                Coding::Quantize {
                    bits: 1,
                    granularity: Granularity::PerTensor,
                    mode: QuantMode::Symmetric,
                },
            ),
        )
        .unwrap();
        let a = &w.tensors[0].data;
        let mean = a.iter().map(|v| v.abs() as f64).sum::<f64>() / a.len() as f64;
        for (x, y) in a.iter().zip(&c.weights.tensors[0].data) {
            assert!((y.abs() as f64 - mean).abs() < 1e-6 && (x >= &0.0) == (y > &0.0));
        }
    }

    #[test]
    fn weight_sharing_leaves_at_most_k_values_per_layer() {
        let w = sample(3);
        for k in [2, 3, 4, 16, 256] {
            for s in [0.0, 0.5] {
                let c = compress(&w, &plan(s, PruneScope::Global, Coding::Share { k })).unwrap();
                for (a, b) in w.tensors.iter().zip(&c.weights.tensors) {
                    if is_compressible(a) {
                        let mut v: Vec<u32> = b
                            .data
                            .iter()
                            .filter(|x| **x != 0.0)
                            .map(|x| x.to_bits())
                            .collect();
                        v.sort_unstable();
                        v.dedup();
                        assert!(v.len() <= k as usize, "k {k}: {} values", v.len());
                    }
                }
                for l in &c.layers {
                    assert!(l.distinct <= k as usize);
                    assert_eq!(l.value_bits, index_bits(l.distinct));
                }
            }
        }
        // k-means finds well-separated clusters exactly.
        let (c, idx) = kmeans_1d(&[1.0, 1.2, 5.0, 5.2, 9.0, 9.4, 1.1], 3);
        assert_eq!(c.len(), 3);
        assert!(
            (c[0] - 1.1).abs() < 1e-6 && (c[1] - 5.1).abs() < 1e-6 && (c[2] - 9.2).abs() < 1e-6
        );
        assert_eq!(idx, vec![0, 0, 1, 1, 2, 2, 0]);
    }

    #[test]
    fn size_account_matches_the_bytes_written_and_decodes_exactly() {
        let w = sample(4);
        let codings = [
            Coding::Float,
            Coding::Share { k: 16 },
            Coding::Quantize {
                bits: 8,
                granularity: Granularity::PerChannel,
                mode: QuantMode::Affine,
            },
            Coding::Quantize {
                bits: 3,
                granularity: Granularity::PerTensor,
                mode: QuantMode::Symmetric,
            },
            Coding::Quantize {
                bits: 1,
                granularity: Granularity::PerChannel,
                mode: QuantMode::Symmetric,
            },
        ];
        for coding in codings {
            for s in [0.0, 0.6] {
                let p = plan(s, PruneScope::Global, coding);
                let c = compress(&w, &p).unwrap();
                // What fine-tuning trains through is what the file holds.
                assert_eq!(reconstruct(&w, &p).unwrap().tensors, c.weights.tensors);
                let z = c.size;
                assert_eq!(z.file, c.file.len());
                let payload = miniz_oxide::inflate::decompress_to_vec(&c.file[8..]).unwrap();
                assert_eq!(z.payload, payload.len());
                assert_eq!(
                    z.header + z.masks + z.side + z.values + z.other,
                    payload.len()
                );
                // The bias stays raw; masks and values are what the layers say
                // they wrote, and each layer is within its adaptive models'
                // learning cost of its order-0 entropy.
                assert_eq!(z.other, 16);
                assert_eq!(z.masks > 0, s > 0.0);
                let coded: usize = c.layers.iter().map(|l| l.coded_bytes).sum();
                assert_eq!(z.masks + z.values, coded);
                for l in &c.layers {
                    let learning =
                        0.5 * (1u64 << l.value_bits.min(8)) as f64 * (l.weights as f64).log2();
                    assert!(
                        8.0 * l.coded_bytes as f64 <= l.entropy_bits + learning + 2.0 * 16.0,
                        "{}: {} B for {:.0} bits of entropy",
                        l.name,
                        l.coded_bytes,
                        l.entropy_bits
                    );
                }
                let kept: usize = c.layers.iter().map(|l| l.kept).sum();
                if coding == Coding::Float {
                    assert_eq!(z.values, 4 * kept);
                }
                assert_eq!(decode_with(&c.file, &open).unwrap(), c.weights, "{p:?}");
            }
        }
    }

    #[test]
    fn version_1_files_still_load() {
        // A 2×4 weight, half pruned, 2-bit affine per tensor (lo = −1, s = 0.5),
        // written the version-1 way: the mask as bits, the values packed.
        let header = r#"{"metadata":{"arch":"test"},"tensors":[{"name":"fc.weight","shape":[2,4],"kind":"affine","masked":true,"bits":2,"side":2,"groups":1}]}"#;
        let mut payload = (header.len() as u32).to_le_bytes().to_vec();
        payload.extend_from_slice(header.as_bytes());
        let mask = [true, false, true, false, true, true, false, false];
        payload.extend(pack_bits(&mask));
        payload.extend((-1.0f32).to_le_bytes());
        payload.extend(0.5f32.to_le_bytes());
        payload.extend(pack(&[0, 1, 2, 3], 2));
        let mut file = MAGIC_V1.to_vec();
        file.extend((payload.len() as u32).to_le_bytes());
        file.extend(miniz_oxide::deflate::compress_to_vec(&payload, 9));
        let w = decode_with(&file, &open).unwrap();
        assert_eq!(
            w.tensors[0].data,
            vec![-1.0, 0.0, -0.5, 0.0, 0.0, 0.5, 0.0, 0.0]
        );
    }

    #[test]
    fn damaged_files_are_messages_not_crashes() {
        let c = compress(
            &sample(5),
            &plan(0.5, PruneScope::Global, Coding::Share { k: 4 }),
        )
        .unwrap();
        let e = decode(b"CLZ").unwrap_err();
        assert!(e.detail.contains("not a compressed"));
        assert_eq!(e.problem, FileProblem::NotAModel);
        for cut in [9, c.file.len() / 2, c.file.len() - 1] {
            assert!(decode_with(&c.file[..cut], &open).is_err());
        }
        let mut flipped = c.file.clone();
        for i in (8..flipped.len()).step_by(7) {
            flipped[i] ^= 0x5a;
            let _ = decode_with(&flipped, &open); // must not panic
        }
        let mut huge = c.file.clone();
        huge[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        let e = decode_with(&huge, &open).unwrap_err();
        assert!(e.detail.contains("damaged"));
        assert_eq!(e.problem, FileProblem::Damaged);
    }

    #[test]
    fn plans_outside_the_ranges_are_refused() {
        let w = sample(6);
        assert!(compress(&w, &plan(1.0, PruneScope::Global, Coding::Float)).is_err());
        assert!(compress(&w, &plan(f64::NAN, PruneScope::Global, Coding::Float)).is_err());
        assert!(compress(&w, &plan(0.0, PruneScope::Global, Coding::Share { k: 1 })).is_err());
        let q = |bits| Coding::Quantize {
            bits,
            granularity: Granularity::PerTensor,
            mode: QuantMode::Affine,
        };
        assert!(compress(&w, &plan(0.0, PruneScope::Global, q(0))).is_err());
        assert!(compress(&w, &plan(0.0, PruneScope::Global, q(17))).is_err());
    }

    #[test]
    fn histogram_counts_everything_once() {
        let h = histogram([-1.0f32, -0.5, 0.0, 0.5, 1.0, 7.0].into_iter(), 1.0);
        assert_eq!(h.iter().sum::<u32>(), 6);
        assert_eq!(h[HIST_BINS / 2], 1);
        assert_eq!(h[HIST_BINS - 1], 2);
        assert_eq!(h[0], 1);
    }
}

//! Native pretraining: shuffled minibatches over corpus positions.
//!
//! Dense layers (W1, b1, W2, b2) use minibatch Adam; embedding rows (sparse)
//! get a plain SGD step per sample. Pretraining does not need to be
//! deterministic across platforms: only the saved weights matter. (It is
//! deterministic anyway: fixed seed, single thread.)

use super::detmath::SplitMix;
use super::nn::ByteModel;
use std::time::Instant;

pub struct TrainOpts {
    pub epochs: f32,
    pub batch: usize,
    pub lr: f32,     // Adam step size (dense)
    pub lr_emb: f32, // SGD step (embeddings)
    pub seed: u64,
    pub max_seconds: f64,
}

/// Context window given to the model for position `i` of `doc`.
fn ctx(doc: &[u8], i: usize) -> &[u8] {
    &doc[i.saturating_sub(64)..i]
}

/// Frozen ideal code length in bits of `doc` (each position sees its true prefix).
pub fn eval_frozen(m: &mut ByteModel, doc: &[u8]) -> f64 {
    (0..doc.len())
        .map(|i| -(m.eval_sample(ctx(doc, i), doc[i]) as f64).log2())
        .sum()
}

struct Adam {
    m: Vec<f32>,
    v: Vec<f32>,
    t: i32,
}

impl Adam {
    fn step(&mut self, w: &mut [f32], g: &mut [f32], lr: f32, scale: f32) {
        const B1: f32 = 0.9;
        const B2: f32 = 0.999;
        self.t += 1;
        let c1 = 1.0 - B1.powi(self.t);
        let c2 = 1.0 - B2.powi(self.t);
        for (((wi, gi), mi), vi) in w
            .iter_mut()
            .zip(g.iter_mut())
            .zip(&mut self.m)
            .zip(&mut self.v)
        {
            let gr = *gi * scale;
            *mi = B1 * *mi + (1.0 - B1) * gr;
            *vi = B2 * *vi + (1.0 - B2) * gr * gr;
            *wi -= lr * (*mi / c1) / ((*vi / c2).sqrt() + 1e-8);
            *gi = 0.0;
        }
    }
}

/// Train `m` on `docs`; `val` documents are evaluated (frozen) after each epoch.
/// Learning rates decay linearly to 10% over the run.
pub fn pretrain(m: &mut ByteModel, docs: &[&[u8]], val: &[&[u8]], o: &TrainOpts) {
    let mut pos: Vec<(u32, u32)> = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        pos.extend((0..doc.len() as u32).map(|i| (d as u32, i)));
    }
    let total = (pos.len() as f64 * o.epochs as f64) as usize;
    let dense = m.lay.w1..m.lay.total;
    let mut grad = vec![0.0f32; dense.len()];
    let mut adam = Adam {
        m: vec![0.0; dense.len()],
        v: vec![0.0; dense.len()],
        t: 0,
    };
    let mut rng = SplitMix::new(o.seed);
    // No young-row boost while pretraining (rates are set by TrainOpts).
    let c = m.config().clone();
    m.set_rates(c.lr, c.lr_emb, 0.0);
    let (start, mut done, mut bits, mut since) = (Instant::now(), 0usize, 0.0f64, 0usize);
    'outer: for epoch in 0.. {
        for k in (1..pos.len()).rev() {
            pos.swap(k, rng.below(k + 1)); // Fisher-Yates
        }
        for chunk in pos.chunks(o.batch) {
            let frac = 1.0 - 0.9 * (done as f32 / total as f32).min(1.0);
            for &(d, i) in chunk {
                let doc = docs[d as usize];
                let p = m.train_sample(
                    ctx(doc, i as usize),
                    doc[i as usize],
                    &mut grad,
                    o.lr_emb * frac,
                );
                bits -= (p.max(1e-12) as f64).log2();
            }
            adam.step(
                &mut m.w[dense.clone()],
                &mut grad,
                o.lr * frac,
                1.0 / chunk.len() as f32,
            );
            done += chunk.len();
            since += chunk.len();
            if since >= 200_000 || done >= total {
                let el = start.elapsed().as_secs_f64();
                eprintln!(
                    "epoch {epoch} {:.1}% train {:.3} bpb  {:.0} B/s  {:.0}s",
                    100.0 * done as f64 / total as f64,
                    bits / since as f64,
                    done as f64 / el,
                    el
                );
                (bits, since) = (0.0, 0);
            }
            if done >= total || start.elapsed().as_secs_f64() > o.max_seconds {
                break 'outer;
            }
        }
        report_val(m, val, epoch);
    }
    report_val(m, val, -1);
    m.set_rates(c.lr, c.lr_emb, c.boost);
}

fn report_val(m: &mut ByteModel, val: &[&[u8]], epoch: i64) {
    for (k, v) in val.iter().enumerate() {
        let b = eval_frozen(m, v);
        eprintln!(
            "  val[{k}] after epoch {epoch}: {:.0} B, {:.3} bpb",
            b / 8.0,
            b / v.len() as f64
        );
    }
}

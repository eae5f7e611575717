//! Results a visitor can download: CSV (RFC 4180: comma-separated, quoted
//! where needed, CRLF line ends) of the training curves, the per-epoch test
//! results, the confusion matrix and a compression sweep, and the whole run
//! as JSON. Numbers are written in full (Rust's shortest round-trip form);
//! accuracies are fractions in [0, 1], losses in nats, sizes in bytes.

use crate::data::cifar::{CLASSES, CLASS_NAMES};
use crate::page::compress::SweepPoints;
use crate::protocol::{BatchStats, EpochStats, TestLook};

/// One CSV field: quoted when it holds a comma, a quote or a line break.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A CSV file: the header, then the rows.
pub fn csv<R: IntoIterator<Item = String>>(
    header: &[&str],
    rows: impl IntoIterator<Item = R>,
) -> String {
    let line =
        |cells: Vec<String>| cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(",") + "\r\n";
    let mut out = line(header.iter().map(|h| h.to_string()).collect());
    for r in rows {
        out.push_str(&line(r.into_iter().collect()));
    }
    out
}

/// Every training batch: the curves of the loss and accuracy charts.
pub fn curves_csv(batches: &[BatchStats]) -> String {
    let header = [
        "step",
        "epoch",
        "batch",
        "train_loss_nats",
        "train_accuracy",
        "learning_rate",
        "images_per_second",
        "prequential_bits",
        "labels_sent",
    ];
    csv(
        &header,
        batches.iter().map(|b| {
            [
                b.step.to_string(),
                b.epoch.to_string(),
                b.batch.to_string(),
                b.loss.to_string(),
                b.accuracy.to_string(),
                b.lr.to_string(),
                b.images_per_second.to_string(),
                b.meter.bits.to_string(),
                b.meter.labels.to_string(),
            ]
        }),
    )
}

/// The held-out test set after each epoch, with every class's accuracy.
pub fn epochs_csv(epochs: &[EpochStats]) -> String {
    let mut header = vec![
        "epoch".to_string(),
        "seconds".into(),
        "train_loss_nats".into(),
        "train_accuracy".into(),
        "test_loss_nats".into(),
        "test_accuracy".into(),
    ];
    header.extend(CLASS_NAMES.iter().map(|c| format!("accuracy_{c}")));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    csv(
        &header,
        epochs.iter().map(|e| {
            let mut row = vec![
                e.epoch.to_string(),
                format!("{:.1}", e.seconds),
                e.train_loss.to_string(),
                e.train_accuracy.to_string(),
                e.test_loss.to_string(),
                e.test_accuracy.to_string(),
            ];
            row.extend(e.per_class.iter().map(|a| a.to_string()));
            row
        }),
    )
}

/// The confusion matrix after an epoch: a row per true class, a column per
/// predicted class, counts of test images.
pub fn confusion_csv(e: &EpochStats) -> String {
    let mut header = vec!["true \\ predicted"];
    header.extend(CLASS_NAMES);
    csv(
        &header,
        (0..CLASSES).map(|t| {
            std::iter::once(CLASS_NAMES[t].to_string())
                .chain((0..CLASSES).map(|p| e.confusion[t * CLASSES + p].to_string()))
                .collect::<Vec<_>>()
        }),
    )
}

/// The measured points of a compression sweep, from the largest file.
pub fn sweep_csv(points: &SweepPoints) -> String {
    let header = [
        "plan",
        "file_bytes",
        "ratio",
        "test_images",
        "accuracy",
        "original_accuracy",
        "label_bits",
        "two_part_bits",
        "on_pareto_frontier",
    ];
    let frontier = points.frontier();
    csv(
        &header,
        points.by_size().into_iter().map(|i| {
            let r = &points.0[i];
            [
                r.plan.label(),
                r.size.file.to_string(),
                r.ratio().to_string(),
                r.images.to_string(),
                r.accuracy().to_string(),
                r.base_accuracy().to_string(),
                r.label_bits.to_string(),
                r.total_bits().to_string(),
                frontier.contains(&i).to_string(),
            ]
        }),
    )
}

/// A JSON number; `null` where JSON has none (NaN, ±∞).
fn json_num(v: f64) -> String {
    if v.is_finite() {
        v.to_string()
    } else {
        "null".into()
    }
}

fn json_list<T: Copy + Into<f64>>(v: &[T]) -> String {
    let items: Vec<String> = v.iter().map(|x| json_num((*x).into())).collect();
    format!("[{}]", items.join(","))
}

/// A training run as JSON: `settings` (already JSON), every batch, every
/// epoch and every look at the test set part-way through an epoch. Written
/// by hand: the app has no JSON serializer of its own, and serde's for these
/// types would cost the landing page a kilobyte.
pub fn run_json(
    settings: &str,
    batches: &[BatchStats],
    epochs: &[EpochStats],
    looks: &[TestLook],
) -> String {
    let batches: Vec<String> = batches
        .iter()
        .map(|b| {
            format!(
                "{{\"step\":{},\"epoch\":{},\"batch\":{},\"loss\":{},\"accuracy\":{},\"lr\":{},\
                 \"images_per_second\":{},\"prequential_bits\":{},\"labels_sent\":{}}}",
                b.step,
                b.epoch,
                b.batch,
                json_num(b.loss),
                json_num(b.accuracy),
                json_num(b.lr),
                json_num(b.images_per_second),
                json_num(b.meter.bits),
                b.meter.labels
            )
        })
        .collect();
    let epochs: Vec<String> = epochs
        .iter()
        .map(|e| {
            format!(
                "{{\"epoch\":{},\"step\":{},\"seconds\":{},\"train_loss\":{},\"train_accuracy\":{},\
                 \"test_loss\":{},\"test_accuracy\":{},\"per_class\":{},\"confusion\":{}}}",
                e.epoch,
                e.step,
                json_num(e.seconds),
                json_num(e.train_loss),
                json_num(e.train_accuracy),
                json_num(e.test_loss),
                json_num(e.test_accuracy),
                json_list(&e.per_class),
                json_list(&e.confusion)
            )
        })
        .collect();
    let looks: Vec<String> = looks
        .iter()
        .map(|l| {
            format!(
                "{{\"epoch\":{},\"batch\":{},\"batches\":{},\"step\":{},\"seconds\":{},\"test_loss\":{},\
                 \"test_accuracy\":{},\"test_images\":{}}}",
                l.epoch,
                l.batch,
                l.batches,
                l.step,
                json_num(l.seconds),
                json_num(l.test_loss),
                json_num(l.accuracy()),
                l.n
            )
        })
        .collect();
    format!(
        "{{\"settings\":{settings},\"batches\":[\n{}\n],\"epochs\":[\n{}\n],\"looks\":[\n{}\n]}}\n",
        batches.join(",\n"),
        epochs.join(",\n"),
        looks.join(",\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CodeMeter;

    /// A CSV reader for the tests (quoted fields, doubled quotes).
    fn parse(text: &str) -> Vec<Vec<String>> {
        let mut rows = vec![];
        let (mut row, mut cell, mut quoted) = (vec![], String::new(), false);
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    cell.push('"');
                    chars.next();
                }
                ('"', _) => quoted = !quoted,
                (',', false) => row.push(std::mem::take(&mut cell)),
                ('\r', false) => {}
                ('\n', false) => {
                    row.push(std::mem::take(&mut cell));
                    rows.push(std::mem::take(&mut row));
                }
                (c, _) => cell.push(c),
            }
        }
        rows
    }

    #[test]
    fn fields_are_quoted_only_when_needed() {
        let text = csv(
            &["a", "b"],
            [vec!["1".to_string(), "x, \"y\"\nz".to_string()]],
        );
        assert_eq!(text, "a,b\r\n1,\"x, \"\"y\"\"\nz\"\r\n");
        assert_eq!(parse(&text), vec![vec!["a", "b"], vec!["1", "x, \"y\"\nz"]]);
    }

    fn batch(step: usize, loss: f64) -> BatchStats {
        BatchStats {
            epoch: 1,
            epochs: 1,
            batch: step,
            batches: 63,
            step,
            total_steps: 63,
            loss,
            accuracy: 0.25,
            lr: 0.01,
            meter: CodeMeter::new(1000),
            images_per_second: 20.5,
            eta_seconds: 3.0,
            cores: 1,
        }
    }

    #[test]
    fn curves_have_a_row_per_batch_with_exact_numbers() {
        let rows = parse(&curves_csv(&[
            batch(1, 1.234_567_890_123_456_7),
            batch(2, 2.1),
        ]));
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0][0], "step");
        assert_eq!(rows[1][3].parse::<f64>().unwrap(), 1.234_567_890_123_456_7);
        assert_eq!(rows[2][0], "2");
        assert!(rows.iter().all(|r| r.len() == rows[0].len()));
    }

    #[test]
    fn the_run_is_valid_json_with_every_batch() {
        let mut b = batch(2, f64::NAN);
        b.meter.labels = 32;
        let look = TestLook {
            epoch: 1,
            batch: 1,
            batches: 2,
            step: 1,
            test_loss: 2.2,
            correct: 3,
            n: 12,
            seconds: 4.5,
        };
        let text = run_json("{\"arch\":\"doc-cnn\"}", &[batch(1, 2.5), b], &[], &[look]);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["settings"]["arch"], "doc-cnn");
        assert_eq!(v["batches"].as_array().unwrap().len(), 2);
        assert_eq!(v["batches"][0]["loss"], 2.5);
        assert!(v["batches"][1]["loss"].is_null(), "NaN is null");
        assert_eq!(v["batches"][1]["labels_sent"], 32);
        assert_eq!(v["looks"][0]["test_accuracy"], 0.25);
        assert_eq!(v["looks"][0]["seconds"], 4.5);
        assert_eq!(v["epochs"].as_array().unwrap().len(), 0);
    }

    #[test]
    fn the_confusion_matrix_has_a_row_per_true_class() {
        let mut confusion = vec![0u32; 100];
        confusion[3 * 10 + 5] = 7; // seven cats taken for dogs
        let e = EpochStats {
            epoch: 1,
            step: 40,
            train_loss: 2.0,
            train_accuracy: 0.3,
            test_loss: 1.9,
            test_accuracy: 0.31,
            per_class: vec![0.31; 10],
            confusion,
            grid: vec![],
            seconds: 75.25,
        };
        let rows = parse(&confusion_csv(&e));
        assert_eq!(rows.len(), 11);
        assert_eq!(rows[0][0], "true \\ predicted");
        assert_eq!(rows[4][0], "cat");
        assert_eq!(rows[0][6], "dog");
        assert_eq!(rows[4][6], "7");
        let epochs = parse(&epochs_csv(&[e]));
        assert_eq!(epochs[0].len(), 16);
        assert_eq!(epochs[0][15], "accuracy_truck");
        assert_eq!(epochs[1][1], "75.2");
        assert_eq!(epochs[1][5], "0.31");
    }
}

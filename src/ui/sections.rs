//! The site's sections, in one list: the header and the home page read it.
//! A section is listed only once it exists.

pub struct Section {
    /// Route, relative to the base path.
    pub path: &'static str,
    /// Short name for the navigation bar.
    pub nav: &'static str,
    /// Title on the home page.
    pub title: &'static str,
    /// What the visitor can do there.
    pub summary: &'static str,
}

pub const SECTIONS: &[Section] = &[
Section {
    path: "/losses",
    nav: "Losses",
    title: "Loss calculators: MSE and cross-entropy",
    summary:
        "Type labels and predictions, see every term of the loss, switch between nats and bits, \
              and see where the article's worked examples go wrong.",
},
Section {
    path: "/optimizers",
    nav: "Optimizers",
    title: "Optimizers, step by step: GD, SGD, momentum, Adam",
    summary: "Watch gradient descent, SGD, momentum, RMSProp and Adam walk down real loss surfaces, \
              one inspectable step at a time, race them, and see the article's Adam example corrected.",
},
Section {
    path: "/train",
    nav: "Train",
    title: "Train a CNN in your browser",
    summary: "Train the article's CNN or a better one on real CIFAR-10 images, live, on WebGPU or the CPU: \
              loss and accuracy charts, a confusion matrix, and a compression meter that shows learning \
              as a shrinking code length.",
},
Section {
    path: "/compress",
    nav: "Compress",
    title: "Compress the trained model",
    summary: "Prune, quantize and cluster the real trained CNN, measure each setting on test images, count \
              its size bit by bit, draw accuracy against size, and find the shortest two-part description \
              of the labels: L(model) + L(labels | model).",
},
Section {
    path: "/classify",
    nav: "Classify",
    title: "Classify your own images",
    summary: "Drop in any picture and see what the trained CNN makes of it: the 32\u{d7}32 image it sees, \
              its five best guesses, and how fast it answers on WebGPU or the CPU. Nothing is uploaded.",
}];

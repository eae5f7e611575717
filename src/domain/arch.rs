//! The architectures this site knows, by name. The name is what weights files
//! store (`arch` metadata), what menus send and what `lab --arch` accepts; this
//! enum is the one place it is spelled. Their tensors are in `codec::arch`,
//! their Burn models in `engine::model`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Arch {
    /// The article's Keras CNN (122,570 parameters).
    #[serde(rename = "doc-cnn")]
    DocCnn,
    /// This site's default: six conv + batch-norm blocks (308,842 parameters).
    #[serde(rename = "lab-cnn")]
    LabCnn,
    /// `lab-cnn` at half width, the distillation student (83,002 parameters).
    #[serde(rename = "lab-cnn-s")]
    LabCnnS,
}

impl Arch {
    /// Every architecture, in the order menus list them.
    pub const ALL: [Arch; 3] = [Arch::DocCnn, Arch::LabCnn, Arch::LabCnnS];

    /// The name stored in weights files.
    pub fn name(self) -> &'static str {
        match self {
            Arch::DocCnn => "doc-cnn",
            Arch::LabCnn => "lab-cnn",
            Arch::LabCnnS => "lab-cnn-s",
        }
    }
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not one of [`Arch::ALL`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownArch(pub String);

impl fmt::Display for UnknownArch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Unknown architecture {:?}: this site knows doc-cnn, lab-cnn and lab-cnn-s.",
            self.0
        )
    }
}

impl std::error::Error for UnknownArch {}

impl FromStr for Arch {
    type Err = UnknownArch;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Arch::ALL
            .into_iter()
            .find(|a| a.name() == s)
            .ok_or_else(|| UnknownArch(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_text_and_json() {
        for a in Arch::ALL {
            assert_eq!(a.to_string().parse::<Arch>(), Ok(a));
            let json = serde_json::to_string(&a).unwrap();
            assert_eq!(json, format!("\"{a}\""));
            assert_eq!(serde_json::from_str::<Arch>(&json).unwrap(), a);
        }
        let e = "resnet".parse::<Arch>().unwrap_err();
        assert!(e.to_string().contains("Unknown architecture \"resnet\""));
    }
}

/// What is wrong with a model file, in the visitor's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FileProblem {
    /// Neither safetensors nor a `.clz` this site wrote.
    NotAModel,
    /// The right kind of file, but damaged or truncated.
    Damaged,
    /// Weights for a network this site does not have.
    OtherArchitecture,
    /// Larger than any model file this site writes (`bytes`), so not read.
    TooLarge { bytes: u64 },
}

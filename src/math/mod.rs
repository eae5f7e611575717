//! Pure math for the course: losses, code lengths and the parsing of numbers a
//! person types. No UI and no ML framework in here, so everything is tested
//! natively and reused by every page.

pub mod arith;
pub mod doc_check;
pub mod format;
pub mod loss;
pub mod optim;
pub mod parse;
pub mod rng;
pub mod surface;
pub mod theorem;

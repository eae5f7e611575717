//! The pages' state and logic as plain types — what a page holds, how a form
//! becomes settings, the figures and sentences it derives — with no UI
//! framework, so native tests reach them. The Leptos components in `ui::pages`
//! only bind these to the DOM (the split of Leptos' `todomvc`: `impl Todos`
//! beside the views).

pub mod classify;
pub mod compress;
pub mod export;
pub mod inside;
pub mod losses;
pub mod optimizers;
pub mod rich;
pub mod storage;
pub mod text;
pub mod theorem;
pub mod train;
pub mod url;

pub mod classify;
pub mod compress;
pub mod home;
pub mod losses;
pub mod not_found;
pub mod optimizers;
pub mod train;

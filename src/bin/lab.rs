//! `lab`: the native command line of Compression Lab (`lab --help`). All of it
//! is library code in `compression_lab::lab`.

use clap::Parser;
use compression_lab::lab::{run, Cli};
use std::process::ExitCode;

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lab: {e}");
            ExitCode::FAILURE
        }
    }
}

//! Shared helpers of the CLI contract tests: they run the built `tagungsbuero-cli` as a user's
//! script would (never with `TAGUNGSBUERO_DB` from the environment).

#![allow(dead_code)] // Each test file uses the helpers it needs.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// The CLI on `db`, ready for arguments.
pub fn cli(db: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tagungsbuero-cli"));
    command.arg("--db").arg(db).env_remove("TAGUNGSBUERO_DB");
    command
}

/// Runs the CLI on `db` with `args` and returns what it printed and its exit status.
pub fn run(db: &Path, args: &[&str]) -> Output {
    cli(db).args(args).output().expect("the CLI starts")
}

/// Runs the CLI, expects success, and parses its stdout as JSON.
pub fn json(db: &Path, args: &[&str]) -> Value {
    let out = run(db, args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// The CLI's stderr as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
pub mod smtp;

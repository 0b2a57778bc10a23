//! Helpers shared by the integration tests that drive the binary (`mod common;`).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs `preflight <args>` in `dir` with `stdin` piped in and colour off.
pub fn run_in(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_preflight"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    if let Some(mut pipe) = child.stdin.take() {
        let _ = pipe.write_all(stdin);
    }
    child.wait_with_output().expect("binary finishes")
}

//! A run's files read without the size lookup `std::fs::read` makes; what a run knows of
//! them once is [`RunFiles`] (in the shell front end, which asks it).

pub use crate::shell::env::RunFiles;
use std::path::Path;

/// Bytes read for one file per reused buffer of a thread (most scripts and SQL files fit).
const HEAD: usize = 64 * 1024;

thread_local! {
    static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `std::fs::read` without its `statx` for the size: a file that fits [`HEAD`] is read into
/// a buffer the thread keeps and copied out at its length; a larger one goes on as
/// `read_to_end` does. Same bytes, same errors.
pub fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    BUF.with_borrow_mut(|buf| {
        if buf.len() < HEAD {
            buf.resize(HEAD, 0);
        }
        let mut n = 0;
        while n < HEAD {
            match file.read(&mut buf[n..HEAD]) {
                Ok(0) => return Ok(buf[..n].to_vec()),
                Ok(k) => n += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        let mut bytes = buf[..HEAD].to_vec();
        file.read_to_end(&mut bytes)?;
        Ok(bytes)
    })
}

#[cfg(test)]
#[path = "files_tests.rs"]
mod tests;

//! Whether the database file the server opened is still the one at its path.
//!
//! SQLite keeps writing to a file it has open even after the file is deleted or replaced: every
//! save is acknowledged, and none of it will be there after a restart. So the server remembers
//! the file's identity (device and inode) when it opens it, and before every state-changing
//! request and every health check it looks again. Once the file is gone or another one, health
//! fails and every write is refused with 503 until an operator restores the file and restarts;
//! the first time, an error is logged saying what happened.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::AppError;

#[derive(Clone, Default)]
pub struct FileGuard {
    inner: Option<Arc<Watched>>,
}

struct Watched {
    path: PathBuf,
    identity: (u64, u64),
    lost: AtomicBool,
}

fn identity(path: &Path) -> std::io::Result<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path)?;
    Ok((meta.dev(), meta.ino()))
}

impl FileGuard {
    /// Watches the database file at `path` (call it once the database is open); `None` for an
    /// in-memory database, which has no file to lose.
    pub fn new(path: Option<&Path>) -> std::io::Result<FileGuard> {
        let Some(path) = path else { return Ok(FileGuard::default()) };
        let identity = identity(path)?;
        Ok(FileGuard { inner: Some(Arc::new(Watched { path: path.to_path_buf(), identity, lost: AtomicBool::new(false) })) })
    }

    /// `Err` with the reason when the file at the path is no longer the one opened. Once lost,
    /// always lost: a file put back by hand is a copy the open connections do not write to.
    pub fn check(&self) -> Result<(), AppError> {
        let Some(w) = &self.inner else { return Ok(()) };
        if !w.lost.load(Ordering::Acquire) {
            let problem = match identity(&w.path) {
                Ok(now) if now == w.identity => return Ok(()),
                Ok(_) => "was replaced by another file",
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => "was deleted",
                Err(_) => "cannot be read any more",
            };
            if !w.lost.swap(true, Ordering::AcqRel) {
                tracing::error!(
                    path = %w.path.display(),
                    "the database file {problem} while the server was running: refusing every write from now on, \
                     since nothing saved now would survive a restart; put the file back (from a backup) and restart the server"
                );
            }
        }
        Err(AppError::StorageLost(format!(
            "the database file {} was deleted or replaced while the server was running; nothing can be saved",
            w.path.display()
        )))
    }
}

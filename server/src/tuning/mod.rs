//! The sysctl config generator and linter over HTTP. The rules are the shared crate's
//! (`tcplab_core::tuning`), so `curl` gets exactly what the page computes in the browser; what
//! the server adds is the knowledge file, loaded and checked once at start-up.

mod routes;

use std::path::Path;

use tcplab_core::tuning::Knowledge;

use crate::content::{ContentError, read_checked_toml};

pub use routes::router;

/// Loads `<content_dir>/tuning/params.toml`. A parameter without its explanation in both
/// languages, or a message the rules need that is missing, stops the server: a generator that
/// prints a line it cannot justify is worse than none.
pub fn load(content_dir: &Path) -> Result<Knowledge, ContentError> {
    read_checked_toml(&content_dir.join("tuning").join("params.toml"), "the tuning knowledge", Knowledge::check)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_knowledge_loads() {
        let k = load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")).unwrap();
        assert!(k.param("net.core.somaxconn").is_some());
    }

    /// Loads a content folder whose knowledge file is `text`; the error it gives, as text.
    fn load_error(text: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("tuning")).unwrap();
        std::fs::write(dir.path().join("tuning/params.toml"), text).unwrap();
        load(dir.path()).unwrap_err().to_string()
    }

    #[test]
    fn a_broken_knowledge_file_names_the_file_and_line() {
        let e = load_error("[params\nx = 1\n");
        assert!(e.contains("params.toml:1"), "{e}");
    }

    #[test]
    fn missing_texts_stop_the_server() {
        let e = load_error("version = 1\n");
        assert!(e.contains("somaxconn"), "{e}");
    }
}

//! The tuning question bank, `content/quiz/tuning.toml`, loaded and checked once at start-up.

use std::path::Path;

use tcplab_core::quiz::bank::Bank;

use crate::content::{ContentError, read_checked_toml};

/// A question that cannot be asked or graded (a formula without its params, two right choices,
/// a text missing in one language) stops the server with the question named.
pub fn load(content_dir: &Path) -> Result<Bank, ContentError> {
    read_checked_toml(&content_dir.join("quiz").join("tuning.toml"), "the quiz bank", Bank::check)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_bank_loads() {
        let bank = load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")).unwrap();
        assert!(bank.get("keepalive-detect").is_some());
    }

    #[test]
    fn a_broken_question_stops_the_server_and_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("quiz")).unwrap();
        std::fs::write(
            dir.path().join("quiz/tuning.toml"),
            "[[question]]\nid = \"x\"\ntext = { en = \"a\", zh-CN = \"b\" }\nexplain = { en = \"a\", zh-CN = \"b\" }\nchoice = [{ text = { en = \"a\", zh-CN = \"b\" } }, { text = { en = \"c\", zh-CN = \"d\" } }]\n",
        )
        .unwrap();
        let e = load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("tuning.toml") && e.contains(r#"question "x": 0 choices are marked correct"#), "{e}");
        std::fs::write(dir.path().join("quiz/tuning.toml"), "[[question]]\nid = 1\n").unwrap();
        let e = load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("tuning.toml:2"), "{e}");
    }
}

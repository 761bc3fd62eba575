//! Turns the interface strings in `content/ui/<lang>.toml` into Rust.
//!
//! The strings stay text files that translators edit, but the app gets a `Key` enum: a typo in a
//! key is a compile error, and a key missing from one language stops the build with the file and
//! the key named, instead of showing an empty label to a learner.
//!
//! Strings only the class pages use (found by reading `src/`: every `Key::...` outside
//! `src/pages/classes/` stays in the app) are left out of the app and fetched with those pages
//! from `GET /api/ui`, which serves the same files: the first visit does not download the texts
//! of pages most learners never open.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const LANGS: [&str; 2] = ["en", "zh-CN"];

fn main() {
    let ui_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/ui");
    println!("cargo::rerun-if-changed={}", ui_dir.display());
    let tables: Vec<(PathBuf, BTreeMap<String, String>)> = LANGS
        .iter()
        .map(|lang| {
            let path = ui_dir.join(format!("{lang}.toml"));
            println!("cargo::rerun-if-changed={}", path.display());
            let flat = load(&path).unwrap_or_else(|e| fail(&e));
            (path, flat)
        })
        .collect();

    let (first_path, first) = &tables[0];
    for (path, table) in &tables[1..] {
        if let Some(key) = first.keys().find(|k| !table.contains_key(*k)) {
            fail(&format!("{}: missing key `{key}` (present in {})", path.display(), first_path.display()));
        }
        if let Some(key) = table.keys().find(|k| !first.contains_key(*k)) {
            fail(&format!("{}: key `{key}` is not in {}", path.display(), first_path.display()));
        }
    }

    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    println!("cargo::rerun-if-changed={}", src.display());
    let (mut inside, mut outside) = (std::collections::BTreeSet::new(), std::collections::BTreeSet::new());
    used_keys(&src, &src.join("pages").join("classes"), &mut inside, &mut outside);
    let lazy = |key: &str| {
        let v = variant(key);
        inside.contains(&v) && !outside.contains(&v)
    };

    let mut out = String::new();
    out.push_str("/// A string of the interface; its text in each language comes from `content/ui/`.\n");
    out.push_str("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\npub enum Key {\n");
    for key in first.keys() {
        writeln!(out, "    /// `{key}`\n    {},", variant(key)).unwrap();
    }
    out.push_str("}\n\n");
    out.push_str("#[cfg(test)]\n");
    writeln!(out, "pub const ALL_KEYS: [Key; {}] = [", first.len()).unwrap();
    for key in first.keys() {
        writeln!(out, "    Key::{},", variant(key)).unwrap();
    }
    out.push_str("];\n\n");
    writeln!(out, "/// How many keys there are: `GET /api/ui` must send as many texts.\npub const KEY_COUNT: usize = {};\n", first.len())
        .unwrap();
    for (lang, (_, table)) in LANGS.iter().zip(&tables) {
        // An empty text is one the class pages fetch (no text in the files is empty).
        writeln!(out, "const {}: [&str; {}] = [", const_name(lang), table.len()).unwrap();
        for (key, value) in table {
            let value = if lazy(key) { "" } else { value.as_str() };
            writeln!(out, "    {value:?},").unwrap();
        }
        out.push_str("];\n\n");
        // The whole table, for the test that every key has a text.
        writeln!(out, "#[cfg(test)]\nconst FULL_{}: [&str; {}] = [", const_name(lang), table.len()).unwrap();
        for value in table.values() {
            writeln!(out, "    {value:?},").unwrap();
        }
        out.push_str("];\n\n");
    }
    out.push_str("#[cfg(test)]\npub fn full_text(lang: tcplab_core::lang::Lang, key: Key) -> &'static str {\n    match lang {\n");
    out.push_str("        tcplab_core::lang::Lang::En => FULL_EN[key as usize],\n        tcplab_core::lang::Lang::ZhCn => FULL_ZH_CN[key as usize],\n    }\n}\n\n");
    out.push_str("/// The text of `key` in `lang` built into the app; empty for one the class pages fetch.\npub fn text(lang: tcplab_core::lang::Lang, key: Key) -> &'static str {\n");
    out.push_str("    match lang {\n");
    out.push_str("        tcplab_core::lang::Lang::En => EN[key as usize],\n");
    out.push_str("        tcplab_core::lang::Lang::ZhCn => ZH_CN[key as usize],\n");
    out.push_str("    }\n}\n");

    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("ui_strings.rs");
    std::fs::write(dest, out).unwrap();
    error_texts();
}

/// Every `Key::Name` in the Rust files under `dir`: those under `lazy_dir` into `inside`, the
/// others into `outside`.
fn used_keys(
    dir: &Path,
    lazy_dir: &Path,
    inside: &mut std::collections::BTreeSet<String>,
    outside: &mut std::collections::BTreeSet<String>,
) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| fail(&format!("{}: {e}", dir.display())));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            used_keys(&path, lazy_dir, inside, outside);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
            // A file's tests (at its end, after `#[cfg(test)]`) name keys without showing them.
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            let set = if path.starts_with(lazy_dir) { &mut *inside } else { &mut *outside };
            for (i, _) in code.match_indices("Key::") {
                let name: String = code[i + 5..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
                set.insert(name);
            }
        }
    }
}

/// `content/errors/<lang>.toml` must give a text for every error code the server sends, in
/// every language. The texts are fetched from the server when needed (`GET /api/errors`), not
/// built into the app, so they cost the first visit nothing; the check is still here.
fn error_texts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/errors");
    println!("cargo::rerun-if-changed={}", dir.display());
    for lang in LANGS {
        let path = dir.join(format!("{lang}.toml"));
        println!("cargo::rerun-if-changed={}", path.display());
        let flat = load(&path).unwrap_or_else(|e| fail(&e));
        if let Some(key) = flat.keys().find(|k| !k.starts_with("codes.") && !k.starts_with("fields.")) {
            fail(&format!("{}: `{key}` is neither under [codes] nor under [fields.<code>]", path.display()));
        }
        for code in tcplab_core::api::ErrorCode::ALL {
            if !flat.contains_key(&format!("codes.{}", code.as_str())) {
                fail(&format!("{}: no text for the error code `{}` under [codes]", path.display(), code.as_str()));
            }
        }
    }
}

/// Reads one language file into `section.key -> text`, sorted so every language lists its keys
/// in the same order.
fn load(path: &Path) -> Result<BTreeMap<String, String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let value: toml::Table = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut flat = BTreeMap::new();
    flatten(path, "", &toml::Value::Table(value), &mut flat)?;
    Ok(flat)
}

fn flatten(path: &Path, prefix: &str, value: &toml::Value, out: &mut BTreeMap<String, String>) -> Result<(), String> {
    match value {
        toml::Value::Table(table) => {
            for (k, v) in table {
                let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                flatten(path, &key, v, out)?;
            }
            Ok(())
        }
        toml::Value::String(s) if !s.trim().is_empty() => {
            out.insert(prefix.to_owned(), s.clone());
            Ok(())
        }
        toml::Value::String(_) => Err(format!("{}: key `{prefix}` is empty", path.display())),
        other => Err(format!("{}: key `{prefix}` must be a string, found {}", path.display(), other.type_str())),
    }
}

/// `not_found.title` -> `NotFoundTitle`
fn variant(key: &str) -> String {
    key.split(['.', '_'])
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect()
}

fn const_name(lang: &str) -> String {
    lang.replace('-', "_").to_ascii_uppercase()
}

fn fail(message: &str) -> ! {
    eprintln!("error: interface strings: {message}");
    std::process::exit(1);
}

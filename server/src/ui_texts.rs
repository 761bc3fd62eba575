//! `GET /api/ui?lang=`: the interface strings of `content/ui/<lang>.toml`, every key's text in
//! the order of its sorted key names, which is the order of the browser app's `Key` enum (its
//! `build.rs` flattens the same files the same way). The app leaves the strings only the class
//! pages use out of its first download and fetches them from here when one of those pages
//! opens; the response carries all of them, so the app needs no list of names.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use axum::extract::State;
use tcplab_core::lang::Lang;

use crate::content::ContentError;
use crate::error::Result;
use crate::json::{AppJson, AppQuery};
use crate::lang::LangQuery;
use crate::routes::Routes;
use crate::state::AppState;

/// Each language's texts in key order.
#[derive(Debug, Default)]
pub struct UiTexts {
    by_lang: BTreeMap<Lang, Arc<Vec<String>>>,
}

impl UiTexts {
    /// Loads `<content_dir>/ui/<lang>.toml` for every language; the languages must have the
    /// same keys (the app's build checks this too, so a mismatch is caught on either side).
    pub fn load(content_dir: &Path) -> Result<UiTexts, ContentError> {
        let mut by_lang = BTreeMap::new();
        let mut keys: Option<Vec<String>> = None;
        for lang in Lang::ALL {
            let file = content_dir.join("ui").join(format!("{}.toml", lang.tag()));
            let err = |message: String| ContentError { file: file.clone(), line: None, message };
            let text = std::fs::read_to_string(&file).map_err(|e| err(format!("cannot read the interface strings: {e}")))?;
            let table: toml::Table = toml::from_str(&text).map_err(|e| err(e.message().to_owned()))?;
            let mut flat = BTreeMap::new();
            flatten("", &toml::Value::Table(table), &mut flat).map_err(err)?;
            let names: Vec<String> = flat.keys().cloned().collect();
            match &keys {
                Some(first) if *first != names => return Err(err("the keys differ from the English file's".into())),
                _ => keys = Some(names),
            }
            by_lang.insert(lang, Arc::new(flat.into_values().collect()));
        }
        Ok(UiTexts { by_lang })
    }

    pub fn texts(&self, lang: Lang) -> Arc<Vec<String>> {
        self.by_lang.get(&lang).cloned().unwrap_or_default()
    }
}

fn flatten(prefix: &str, value: &toml::Value, out: &mut BTreeMap<String, String>) -> Result<(), String> {
    match value {
        toml::Value::Table(table) => {
            for (k, v) in table {
                let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                flatten(&key, v, out)?;
            }
            Ok(())
        }
        toml::Value::String(s) if !s.trim().is_empty() => {
            out.insert(prefix.to_owned(), s.clone());
            Ok(())
        }
        _ => Err(format!("`{prefix}` must be a text that is not empty")),
    }
}

pub fn router() -> Routes {
    Routes::new().get("/ui", texts)
}

async fn texts(State(state): State<AppState>, AppQuery(q): AppQuery<LangQuery>) -> Result<AppJson<Vec<String>>> {
    Ok(AppJson(state.ui.texts(q.lang()?).as_ref().clone()))
}

//! `content/steps/<lang>.toml`: one sentence per step key of the TCP model and a title per
//! scenario. Every key the model can produce must have a sentence in every language, so a
//! learner never sees a step without its explanation; the server refuses to start otherwise.

use std::collections::BTreeMap;
use std::path::Path;

use tcplab_core::api::StepTexts;
use tcplab_core::lang::Lang;
use tcplab_core::tcp::{PLACEHOLDERS, ScenarioId, StepKey, placeholders};

use crate::content::ContentError;

/// Loads and checks the step texts of every language.
pub fn load(content_dir: &Path) -> Result<BTreeMap<Lang, StepTexts>, ContentError> {
    let mut all = BTreeMap::new();
    for lang in Lang::ALL {
        let file = content_dir.join("steps").join(format!("{}.toml", lang.tag()));
        let err = |line: Option<usize>, message: String| ContentError { file: file.clone(), line, message };
        let text = std::fs::read_to_string(&file).map_err(|e| err(None, format!("cannot read the step texts: {e}")))?;
        let mut table: toml::Table = toml::from_str(&text).map_err(|e| {
            let line = e.span().map(|span| text[..span.start].lines().count().max(1));
            err(line, e.message().to_owned())
        })?;
        let mut scenarios = BTreeMap::new();
        if let Some(value) = table.remove("scenario") {
            let toml::Value::Table(titles) = value else { return Err(err(None, "`scenario` must be a table of titles".into())) };
            for (id, title) in titles {
                if id.parse::<ScenarioId>().is_err() {
                    return Err(err(None, format!("[scenario] names an unknown scenario `{id}`")));
                }
                let toml::Value::String(title) = title else { return Err(err(None, format!("the title of `{id}` must be a string"))) };
                scenarios.insert(id, title);
            }
        }
        let mut steps = BTreeMap::new();
        for (key, value) in table {
            if StepKey::parse(&key).is_none() {
                return Err(err(None, format!("`{key}` is not a step key of the TCP model")));
            }
            let toml::Value::String(sentence) = value else { return Err(err(None, format!("`{key}` must be a string"))) };
            if let Some(bad) = placeholders(&sentence).into_iter().find(|p| !PLACEHOLDERS.contains(p)) {
                return Err(err(None, format!("`{key}` uses the unknown placeholder {{{bad}}}; known: {}", PLACEHOLDERS.join(", "))));
            }
            steps.insert(key, sentence);
        }
        if let Some(missing) = StepKey::ALL.iter().find(|k| !steps.contains_key(k.as_str())) {
            return Err(err(None, format!("no sentence for the step key `{}`", missing.as_str())));
        }
        for id in ScenarioId::all() {
            scenarios.entry(id.as_str().to_owned()).or_insert_with(|| id.title().to_owned());
        }
        all.insert(lang, StepTexts { lang, steps, scenarios });
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, lang: &str, text: &str) {
        std::fs::create_dir_all(dir.join("steps")).unwrap();
        std::fs::write(dir.join("steps").join(format!("{lang}.toml")), text).unwrap();
    }

    fn complete() -> String {
        StepKey::ALL.iter().map(|k| format!("{} = \"seq {{seq}}\"\n", k.as_str())).collect()
    }

    #[test]
    fn the_real_content_is_complete() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        let texts = load(&dir).unwrap();
        assert_eq!(texts.len(), Lang::ALL.len());
    }

    #[test]
    fn missing_keys_and_unknown_placeholders_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "en", &complete());
        write(dir.path(), "zh-CN", "syn = \"x\"\n");
        let err = load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("zh-CN.toml") && err.contains("no sentence for the step key"), "{err}");

        write(dir.path(), "zh-CN", &complete().replace("seq {seq}", "{sequence}"));
        let err = load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("unknown placeholder {sequence}"), "{err}");

        write(dir.path(), "zh-CN", &format!("{}\n[scenario]\nhandshake = \"三次握手\"\n", complete()));
        let texts = load(dir.path()).unwrap();
        assert_eq!(texts[&Lang::ZhCn].scenarios["handshake"], "三次握手");
        assert_eq!(texts[&Lang::ZhCn].scenarios["refused"], "Connection refused");
    }
}

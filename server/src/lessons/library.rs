//! The lessons under `content/lessons/<lang>/<id>.md`, loaded and checked once at start-up.
//!
//! English is the reference: every lesson exists in English, and a translation of a lesson that
//! does not exist is an error. A lesson missing in another language is allowed and served in
//! English with `translated: false`, so the page can say so instead of showing nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use tcplab_core::api::{LessonPage, LessonSummary, StepTexts};
use tcplab_core::lang::Lang;
use tcplab_core::tcp::ScenarioId;

use super::markdown;
use crate::content::ContentError;

/// A lesson's front matter, the TOML between the `+++` lines.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    id: String,
    order: u32,
    title: String,
    summary: String,
    #[serde(default)]
    scenarios: Vec<String>,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    settings: Vec<String>,
}

#[derive(Debug, Clone)]
struct Lesson {
    meta: FrontMatter,
    html: String,
}

/// All lessons in all languages, ready to serve.
#[derive(Debug, Default)]
pub struct Library {
    lessons: BTreeMap<Lang, BTreeMap<String, Lesson>>,
    steps: BTreeMap<Lang, StepTexts>,
}

impl Library {
    /// Loads `<content_dir>/lessons/<lang>/*.md` for every language.
    pub fn load(content_dir: &Path) -> Result<Library, ContentError> {
        let mut library = Library::default();
        for lang in Lang::ALL {
            let dir = content_dir.join("lessons").join(lang.tag());
            let entries = std::fs::read_dir(&dir).map_err(|e| ContentError {
                file: dir.clone(),
                line: None,
                message: format!("cannot read the lessons folder: {e}"),
            })?;
            let mut files: Vec<PathBuf> =
                entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "md")).collect();
            files.sort();
            let lessons = library.lessons.entry(lang).or_default();
            for file in files {
                let text =
                    std::fs::read_to_string(&file).map_err(|e| ContentError { file: file.clone(), line: None, message: e.to_string() })?;
                let lesson = parse(&file, &text)?;
                lessons.insert(lesson.meta.id.clone(), lesson);
            }
        }
        library.check_translations(content_dir)?;
        library.check_scenarios(content_dir)?;
        library.steps = super::steps::load(content_dir)?;
        Ok(library)
    }

    fn check_translations(&self, content_dir: &Path) -> Result<(), ContentError> {
        let english = self.lessons.get(&Lang::En).filter(|l| !l.is_empty()).ok_or_else(|| ContentError {
            file: content_dir.join("lessons/en"),
            line: None,
            message: "no English lessons: English is the reference language and must have every lesson".into(),
        })?;
        for (lang, lessons) in &self.lessons {
            for (id, lesson) in lessons {
                let file = content_dir.join("lessons").join(lang.tag()).join(format!("{id}.md"));
                let Some(reference) = english.get(id) else {
                    return Err(ContentError {
                        file,
                        line: None,
                        message: format!("lesson `{id}` has no English original in lessons/en/"),
                    });
                };
                if reference.meta.order != lesson.meta.order || reference.meta.scenarios != lesson.meta.scenarios {
                    return Err(ContentError {
                        file,
                        line: None,
                        message: "`order` and `scenarios` must be the same as in the English lesson".into(),
                    });
                }
            }
        }
        Ok(())
    }

    /// Every scenario a lesson names must exist in the model.
    fn check_scenarios(&self, content_dir: &Path) -> Result<(), ContentError> {
        for (lesson, scenario) in self.scenario_refs() {
            if scenario.parse::<ScenarioId>().is_err() {
                let known: Vec<&str> = ScenarioId::all().iter().map(|s| s.as_str()).collect();
                return Err(ContentError {
                    file: content_dir.join("lessons/en").join(format!("{lesson}.md")),
                    line: None,
                    message: format!("unknown scenario `{scenario}`; known: {}", known.join(", ")),
                });
            }
        }
        Ok(())
    }

    /// The step sentences and scenario titles in `lang`.
    pub fn steps(&self, lang: Lang) -> Option<&StepTexts> {
        self.steps.get(&lang)
    }

    /// Every lesson, in teaching order, in `lang` where translated and in English otherwise.
    pub fn list(&self, lang: Lang) -> Vec<LessonSummary> {
        let mut list: Vec<LessonSummary> =
            self.english().keys().filter_map(|id| self.pick(id, lang).map(|(lesson, shown)| summary(lesson, shown))).collect();
        list.sort_by_key(|l| (l.order, l.id.clone()));
        list
    }

    /// One lesson with its HTML, or `None` for an unknown id.
    pub fn page(&self, id: &str, lang: Lang) -> Option<LessonPage> {
        let (lesson, shown) = self.pick(id, lang)?;
        Some(LessonPage { summary: summary(lesson, shown), requested: lang, html: lesson.html.clone() })
    }

    /// The ids of the lessons, for checks that other content refers to real lessons.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.english().keys().map(String::as_str)
    }

    /// The scenario ids every lesson refers to, with the lesson file, for validation.
    pub fn scenario_refs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.english().values().flat_map(|l| l.meta.scenarios.iter().map(move |s| (l.meta.id.as_str(), s.as_str())))
    }

    fn english(&self) -> &BTreeMap<String, Lesson> {
        static EMPTY: BTreeMap<String, Lesson> = BTreeMap::new();
        self.lessons.get(&Lang::En).unwrap_or(&EMPTY)
    }

    fn pick(&self, id: &str, lang: Lang) -> Option<(&Lesson, Lang)> {
        if let Some(lesson) = self.lessons.get(&lang).and_then(|l| l.get(id)) {
            return Some((lesson, lang));
        }
        self.english().get(id).map(|l| (l, Lang::En))
    }
}

fn summary(lesson: &Lesson, shown: Lang) -> LessonSummary {
    let m = &lesson.meta;
    LessonSummary {
        id: m.id.clone(),
        order: m.order,
        title: m.title.clone(),
        summary: m.summary.clone(),
        scenarios: m.scenarios.clone(),
        topics: m.topics.clone(),
        settings: m.settings.clone(),
        lang: shown,
    }
}

/// Splits the `+++` front matter from the Markdown body and checks both.
fn parse(file: &Path, text: &str) -> Result<Lesson, ContentError> {
    let err = |line: Option<usize>, message: String| ContentError { file: file.to_path_buf(), line, message };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    if lines.next().map(str::trim_end) != Some("+++") {
        return Err(err(Some(1), "a lesson must start with a `+++` line opening its front matter".into()));
    }
    let mut front = String::new();
    let mut closed_at = None;
    for (i, line) in lines.by_ref().enumerate() {
        if line.trim_end() == "+++" {
            closed_at = Some(i + 2);
            break;
        }
        front.push_str(line);
    }
    let Some(body_starts_after) = closed_at else {
        return Err(err(None, "the front matter is not closed by a `+++` line".into()));
    };
    let body: String = lines.collect();
    let meta: FrontMatter = toml::from_str(&front).map_err(|e| {
        // Lines in the TOML error count from the line after the opening `+++`.
        let line = e.span().map(|span| front[..span.start].lines().count().max(1) + 1);
        err(line, format!("front matter: {}", e.message()))
    })?;
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    if meta.id != stem {
        return Err(err(Some(2), format!("id `{}` must match the file name `{stem}.md`", meta.id)));
    }
    if meta.title.trim().is_empty() || meta.summary.trim().is_empty() {
        return Err(err(None, "title and summary must not be empty".into()));
    }
    if body.trim().is_empty() {
        return Err(err(Some(body_starts_after + 1), "the lesson has no text after its front matter".into()));
    }
    Ok(Lesson { html: markdown::to_html(&body), meta })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, lang: &str, id: &str, text: &str) {
        let steps = dir.join("steps");
        if !steps.exists() {
            std::fs::create_dir_all(&steps).unwrap();
            for lang in ["en", "zh-CN"] {
                let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/steps").join(format!("{lang}.toml"));
                std::fs::copy(real, steps.join(format!("{lang}.toml"))).unwrap();
            }
        }
        let folder = dir.join("lessons").join(lang);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join(format!("{id}.md")), text).unwrap();
    }

    fn lesson(id: &str, order: u32, title: &str) -> String {
        format!(
            "+++\nid = \"{id}\"\norder = {order}\ntitle = \"{title}\"\nsummary = \"s\"\nscenarios = [\"handshake\"]\n+++\n\n# {title}\n\nText.\n"
        )
    }

    #[test]
    fn a_missing_translation_falls_back_to_english_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "en", "handshake", &lesson("handshake", 1, "Handshake"));
        write(dir.path(), "en", "close", &lesson("close", 2, "Close"));
        write(dir.path(), "zh-CN", "handshake", &lesson("handshake", 1, "三次握手"));
        let library = Library::load(dir.path()).unwrap();
        let list = library.list(Lang::ZhCn);
        assert_eq!(list.iter().map(|l| (l.id.as_str(), l.lang)).collect::<Vec<_>>(), [("handshake", Lang::ZhCn), ("close", Lang::En)]);
        let page = library.page("close", Lang::ZhCn).unwrap();
        assert_eq!((page.summary.lang, page.requested), (Lang::En, Lang::ZhCn));
        assert!(page.html.contains("<h1>Close</h1>"));
        assert!(library.page("nope", Lang::En).is_none());
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "en", "handshake", "+++\nid = \"handshake\"\norder = \"first\"\n+++\nbody\n");
        std::fs::create_dir_all(dir.path().join("lessons/zh-CN")).unwrap();
        let err = Library::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("lessons/en/handshake.md:3:"), "{err}");

        write(dir.path(), "en", "handshake", &lesson("other", 1, "x"));
        let err = Library::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("must match the file name"), "{err}");

        write(dir.path(), "en", "handshake", "no front matter\n");
        let err = Library::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("handshake.md:1:"), "{err}");
    }

    #[test]
    fn a_translation_without_an_original_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "en", "handshake", &lesson("handshake", 1, "Handshake"));
        write(dir.path(), "zh-CN", "orphan", &lesson("orphan", 9, "孤儿"));
        let err = Library::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("zh-CN/orphan.md") && err.contains("no English original"), "{err}");
    }
}

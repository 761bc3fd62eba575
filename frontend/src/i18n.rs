//! The interface language: which one is chosen, remembered across visits, and the strings in it.
//!
//! The strings themselves live in `content/ui/*.toml`; `build.rs` turns them into [`Key`] and
//! [`text`], so a missing translation is a build error rather than a blank on screen.

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;
use tcplab_core::lang::Lang;

include!(concat!(env!("OUT_DIR"), "/ui_strings.rs"));
/// The interface language right now, for code outside the views (the API client's
/// `Accept-Language`): `<html lang>`, which [`provide`] keeps in step.
pub fn current() -> Lang {
    document().document_element().and_then(|root| root.get_attribute("lang")).as_deref().and_then(Lang::from_tag).unwrap_or_default()
}

/// Where the choice is remembered. localStorage outlives the tab and needs no server round trip.
const STORAGE_KEY: &str = "tcplab.lang";

/// The chosen language, shared through context by every component.
#[derive(Clone, Copy)]
pub struct I18n {
    pub lang: RwSignal<Lang>,
    /// The error texts of each language fetched so far (`content/errors/`, from the server).
    errors: RwSignal<BTreeMap<Lang, Arc<BTreeMap<String, String>>>>,
    /// Each language's interface strings from the server (`GET /api/ui`), for the keys built
    /// into the app empty: those only the class pages use. Kept for the app's life.
    fetched: RwSignal<BTreeMap<Lang, &'static [String]>>,
    /// The last fetch of those strings failed.
    fetch_failed: RwSignal<bool>,
}

impl I18n {
    /// A reactive string: re-renders wherever it is used when the language changes.
    pub fn t(self, key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || {
            let lang = self.lang.get();
            let built = text(lang, key);
            if !built.is_empty() {
                return built;
            }
            // Until the chosen language's texts arrive (just after a switch), another's stand in:
            // the class pages stay on screen, with what was typed in them.
            self.fetched
                .with(|f| f.get(&lang).or_else(|| f.values().next()).and_then(|texts| texts.get(key as usize)).map(String::as_str))
                .unwrap_or_default()
        }
    }

    /// Whether the strings the class pages fetch are here (reactive): in the chosen language,
    /// or, while it is being fetched after a switch, in the one before. They are asked for the
    /// first time the chosen language's are missing.
    pub fn page_texts_ready(self) -> bool {
        let lang = self.lang.get();
        let (this, any) = self.fetched.with(|f| (f.contains_key(&lang), !f.is_empty()));
        if !this {
            self.fetch_page_texts(lang);
        }
        any
    }

    /// The last fetch of the class pages' strings failed (reactive); [`Self::retry_page_texts`]
    /// asks again.
    pub fn page_texts_failed(self) -> bool {
        self.fetch_failed.get()
    }

    pub fn retry_page_texts(self) {
        self.fetch_failed.set(false);
        self.fetch_page_texts(self.lang.get_untracked());
    }

    fn fetch_page_texts(self, lang: Lang) {
        thread_local!(static ASKED: std::cell::RefCell<Vec<Lang>> = const { std::cell::RefCell::new(Vec::new()) });
        if ASKED.with(|asked| asked.borrow().contains(&lang)) {
            return;
        }
        ASKED.with(|asked| asked.borrow_mut().push(lang));
        leptos::task::spawn_local(async move {
            match crate::api::ui_texts(lang).await {
                // A server of another version would number the keys differently: refused.
                Ok(texts) if texts.len() == KEY_COUNT => {
                    let texts: &'static [String] = Box::leak(texts.into_boxed_slice());
                    self.fetched.update(|f| {
                        f.insert(lang, texts);
                    });
                }
                _ => {
                    ASKED.with(|asked| asked.borrow_mut().retain(|l| *l != lang));
                    self.fetch_failed.set(true);
                }
            }
        });
    }

    /// The text for an error of `code` naming `field` in the chosen language, by the shared rule
    /// (the whole field, its last part, the code). The language's texts are fetched the first
    /// time one is needed; until they come, `None`, and whoever asked is asked again.
    pub fn error_text(self, code: tcplab_core::api::ErrorCode, field: Option<&str>) -> Option<String> {
        let lang = self.lang.get();
        let table = self.errors.with(|tables| tables.get(&lang).cloned());
        let Some(table) = table else {
            self.fetch_errors(lang);
            return None;
        };
        tcplab_core::api::error_text(code, field, |key| table.get(key).map(String::as_str)).map(str::to_owned)
    }

    fn fetch_errors(self, lang: Lang) {
        thread_local!(static ASKED: std::cell::RefCell<Vec<Lang>> = const { std::cell::RefCell::new(Vec::new()) });
        if ASKED.with(|asked| asked.borrow().contains(&lang)) {
            return;
        }
        ASKED.with(|asked| asked.borrow_mut().push(lang));
        leptos::task::spawn_local(async move {
            match crate::api::error_texts(lang).await {
                Ok(table) => self.errors.update(|tables| drop(tables.insert(lang, Arc::new(table)))),
                // Asked again next time: the server's own message shows meanwhile.
                Err(_) => ASKED.with(|asked| asked.borrow_mut().retain(|l| *l != lang)),
            }
        });
    }

    /// A content text (from the server, in both languages) in the chosen language; reactive
    /// when called inside a closure of the view.
    /// A text an instructor has not translated yet is the English, marked as such.
    pub fn pick(self, text: &tcplab_core::lang::Text) -> String {
        let lang = self.lang.get();
        match text.get(lang) {
            t if t.trim().is_empty() && lang != Lang::En && !text.en.trim().is_empty() => {
                format!("{} {}", text.en, self.t(Key::LangUntranslated)())
            }
            t => t.to_owned(),
        }
    }
}

/// Picks the starting language (remembered choice, else the browser's, else English), keeps
/// `<html lang>` and localStorage in step with it, and provides it to the app.
pub fn provide() -> I18n {
    let lang = RwSignal::new(stored().or_else(browser).unwrap_or_default());
    Effect::new(move |_| {
        let lang = lang.get();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.tag());
        }
        if let Some(storage) = storage() {
            // Private browsing can refuse storage; the app still works, it just forgets.
            let _ = storage.set_item(STORAGE_KEY, lang.tag());
        }
    });
    let i18n =
        I18n { lang, errors: RwSignal::new(BTreeMap::new()), fetched: RwSignal::new(BTreeMap::new()), fetch_failed: RwSignal::new(false) };
    provide_context(i18n);
    i18n
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn stored() -> Option<Lang> {
    storage()?.get_item(STORAGE_KEY).ok().flatten().as_deref().and_then(Lang::from_tag)
}

fn browser() -> Option<Lang> {
    window().navigator().language().as_deref().and_then(Lang::from_tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_text_in_every_language() {
        for lang in Lang::ALL {
            for key in ALL_KEYS {
                assert!(!full_text(lang, key).trim().is_empty(), "{key:?} is empty in {}", lang.tag());
            }
        }
    }

    /// What the app leaves out, the class pages fetch; what every page needs is built in.
    #[test]
    fn only_the_class_pages_strings_are_left_out() {
        let left_out = ALL_KEYS.iter().filter(|k| text(Lang::En, **k).is_empty()).count();
        assert!(left_out > 100, "{left_out} strings left out");
        for key in [Key::NavClasses, Key::ClassesNetwork, Key::NotFoundTitle, Key::QuizSubmitting] {
            assert!(!text(Lang::ZhCn, key).is_empty(), "{key:?} is used outside the class pages");
        }
        assert!(text(Lang::ZhCn, Key::AttemptTimeLeft).is_empty() && !full_text(Lang::ZhCn, Key::AttemptTimeLeft).is_empty());
    }

    #[test]
    fn the_languages_really_differ() {
        // Guards against a translation file that is a copy of the English one.
        assert_ne!(text(Lang::En, Key::NavTutorial), text(Lang::ZhCn, Key::NavTutorial));
        assert_eq!(text(Lang::ZhCn, Key::NavQuiz), "测验");
    }
}

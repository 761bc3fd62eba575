//! The interface languages.

use serde::{Deserialize, Serialize};

/// A language the interface and the lessons are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-CN")]
    ZhCn,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// The BCP 47 tag, as used in `<html lang>`, file names under `content/` and the API.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// Reads a tag leniently: browsers report `zh`, `zh-cn`, `zh-Hans-CN` or `en-GB` and all of
    /// those should land on a language we have.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let lower = tag.trim().to_ascii_lowercase();
        if lower == "en" || lower.starts_with("en-") {
            Some(Lang::En)
        } else if lower == "zh" || lower.starts_with("zh-") {
            Some(Lang::ZhCn)
        } else {
            None
        }
    }

    /// The language's own name, shown in the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhCn => "简体中文",
        }
    }
}

/// A text in every interface language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Text {
    pub en: String,
    #[serde(rename = "zh-CN")]
    pub zh_cn: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::ZhCn => &self.zh_cn,
        }
    }
}

impl Text {
    /// A text from its English and Chinese wording.
    pub fn new(en: impl Into<String>, zh_cn: impl Into<String>) -> Text {
        Text { en: en.into(), zh_cn: zh_cn.into() }
    }
}

/// A text in every interface language, fixed at compile time (units and names in tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    pub en: &'static str,
    pub zh_cn: &'static str,
}

impl Words {
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::ZhCn => self.zh_cn,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
    }

    #[test]
    fn browser_variants_map_to_a_language_we_have() {
        assert_eq!(Lang::from_tag("zh-Hans-CN"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_tag("ZH"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::from_tag(""), None);
    }

    #[test]
    fn serde_uses_the_tags() {
        assert_eq!(serde_json::to_string(&Lang::ZhCn).unwrap(), "\"zh-CN\"");
        assert_eq!(serde_json::from_str::<Lang>("\"en\"").unwrap(), Lang::En);
    }
}

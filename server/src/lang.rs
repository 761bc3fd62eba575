//! The `?lang=` query parameter every text-returning endpoint takes.

use serde::Deserialize;
use tcplab_core::lang::Lang;

use crate::error::{AppError, Result};

#[derive(Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

impl LangQuery {
    /// No `lang` means English; an unknown one is an error rather than a silent fallback, so a
    /// broken link is noticed.
    pub fn lang(&self) -> Result<Lang> {
        parse(self.lang.as_deref())
    }
}

pub fn parse(tag: Option<&str>) -> Result<Lang> {
    match tag {
        None => Ok(Lang::En),
        Some(tag) => Lang::from_tag(tag).ok_or_else(|| AppError::Invalid {
            field: "lang".into(),
            message: format!("unknown language {tag:?}; use \"en\" or \"zh-CN\""),
        }),
    }
}

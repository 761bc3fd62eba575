//! The error texts of `content/errors/<lang>.toml`, and the one place that puts an error
//! answer into the request's language: English answers keep the server's own, more precise
//! message; in another language the message is that language's text for the code and field.

use std::collections::BTreeMap;
use std::path::Path;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::response::Response;
use tcplab_core::api::{ErrorBody, ErrorCode, error_text};
use tcplab_core::lang::{Lang, Text};

use crate::content::{ContentError, read_checked_toml};
use crate::json::{AppJson, AppQuery};
use crate::lang::LangQuery;
use crate::routes::Routes;
use crate::state::AppState;

/// Error bodies are small; a larger one is passed on as it is.
const MAX_BODY: usize = 64 * 1024;

/// An error's message as the check that made it wrote it, in every language: preferred to the
/// table's text for its code and field, which can only say what that field takes in general.
#[derive(Debug, Clone)]
pub struct Written(pub Text);

/// One language's texts, keyed `code` and `code.field`.
#[derive(Debug, Default)]
pub struct ErrorTexts {
    by_lang: BTreeMap<Lang, BTreeMap<String, String>>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    codes: BTreeMap<String, String>,
    #[serde(default)]
    fields: BTreeMap<String, BTreeMap<String, String>>,
}

impl File {
    /// Every code has a text, every field table belongs to a code, no text is empty.
    fn check(&self) -> Vec<String> {
        let mut problems: Vec<String> = ErrorCode::ALL
            .iter()
            .filter(|c| self.codes.get(c.as_str()).is_none_or(|t| t.trim().is_empty()))
            .map(|c| format!("[codes] has no text for `{}`", c.as_str()))
            .collect();
        let known = |name: &str| ErrorCode::ALL.iter().any(|c| c.as_str() == name) || name == ErrorCode::Unknown.as_str();
        problems.extend(self.codes.keys().filter(|k| !known(k)).map(|k| format!("[codes] `{k}` is no error code")));
        problems.extend(self.fields.keys().filter(|k| !known(k)).map(|k| format!("[fields.{k}] is no error code")));
        for (code, fields) in &self.fields {
            problems.extend(fields.iter().filter(|(_, t)| t.trim().is_empty()).map(|(f, _)| format!("[fields.{code}] `{f}` is empty")));
        }
        problems
    }
}

impl ErrorTexts {
    /// Loads and checks `<content_dir>/errors/<lang>.toml` for every language.
    pub fn load(content_dir: &Path) -> Result<ErrorTexts, ContentError> {
        let mut by_lang = BTreeMap::new();
        for lang in Lang::ALL {
            let file: File =
                read_checked_toml(&content_dir.join("errors").join(format!("{}.toml", lang.tag())), "the error texts", File::check)?;
            let mut flat: BTreeMap<String, String> = file.codes;
            for (code, fields) in file.fields {
                flat.extend(fields.into_iter().map(|(field, text)| (format!("{code}.{field}"), text)));
            }
            by_lang.insert(lang, flat);
        }
        Ok(ErrorTexts { by_lang })
    }

    /// Every text of `lang`, keyed `code` and `code.field`.
    pub fn table(&self, lang: Lang) -> BTreeMap<String, String> {
        self.by_lang.get(&lang).cloned().unwrap_or_default()
    }

    /// The text for an error in `lang`.
    pub fn text(&self, lang: Lang, code: ErrorCode, field: Option<&str>) -> Option<&str> {
        let table = self.by_lang.get(&lang)?;
        error_text(code, field, |key| table.get(key).map(String::as_str))
    }

    /// `response` in `lang`: an error envelope's message replaced by the language's text (with
    /// `lang` set), anything else unchanged. English answers are never touched.
    pub async fn localize(&self, response: Response, lang: Lang) -> Response {
        let is_json = response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
        if lang == Lang::En || response.status().as_u16() < 400 || !is_json || response.headers().contains_key(header::CONTENT_ENCODING) {
            return response;
        }
        // A body that may be larger than an envelope of ours is passed on unread: reading it
        // and then giving up would lose it.
        let fits = http_body::Body::size_hint(response.body()).upper().is_some_and(|n| n <= MAX_BODY as u64);
        if !fits {
            return response;
        }
        let (mut parts, body) = response.into_parts();
        let written = parts.extensions.remove::<Written>().map(|Written(text)| text.get(lang).to_owned());
        let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else { return Response::from_parts(parts, Body::empty()) };
        let Ok(mut envelope) = serde_json::from_slice::<ErrorBody>(&bytes) else { return Response::from_parts(parts, Body::from(bytes)) };
        if let Some(text) = written.or_else(|| self.text(lang, envelope.error.code, envelope.error.field.as_deref()).map(str::to_owned)) {
            envelope.error.message = text;
            envelope.error.lang = lang;
        }
        parts.headers.remove(header::CONTENT_LENGTH);
        parts.headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang.tag()));
        Response::from_parts(parts, Body::from(serde_json::to_vec(&envelope).unwrap_or_else(|_| bytes.to_vec())))
    }
}

/// `GET /api/errors?lang=`: the texts of one language, for the browser, which chooses the text
/// by code and field itself (after a language switch, say) without carrying them in its code.
pub fn router() -> Routes {
    Routes::new().get("/errors", texts)
}

async fn texts(State(state): State<AppState>, AppQuery(q): AppQuery<LangQuery>) -> crate::error::Result<AppJson<BTreeMap<String, String>>> {
    Ok(AppJson(state.errors.table(q.lang()?)))
}

/// The language a request asks for: a valid `lang` in the query, else the first language of
/// `Accept-Language` the platform has, else English.
pub fn request_lang(uri: &Uri, headers: &HeaderMap) -> Lang {
    let from_query = uri.query().and_then(|q| {
        q.split('&').filter_map(|pair| pair.split_once('=')).find(|(k, _)| *k == "lang").and_then(|(_, v)| Lang::from_tag(v))
    });
    from_query
        .or_else(|| {
            let accept = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
            accept.split(',').filter_map(|part| Lang::from_tag(part.split(';').next().unwrap_or(""))).next()
        })
        .unwrap_or(Lang::En)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_comes_from_the_query_then_accept_language() {
        let uri = |s: &str| s.parse::<Uri>().unwrap();
        let mut headers = HeaderMap::new();
        assert_eq!(request_lang(&uri("/api/x"), &headers), Lang::En);
        headers.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("fr-FR, zh-Hans-CN;q=0.8, en;q=0.5"));
        assert_eq!(request_lang(&uri("/api/x"), &headers), Lang::ZhCn, "French is skipped, Chinese is next");
        assert_eq!(request_lang(&uri("/api/x?lang=en"), &headers), Lang::En);
        assert_eq!(request_lang(&uri("/api/x?lang=klingon"), &headers), Lang::ZhCn, "an unknown ?lang= is the route's to refuse");
    }

    #[test]
    fn the_shipped_texts_cover_every_code_in_both_languages() {
        let texts = ErrorTexts::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")).unwrap();
        for lang in Lang::ALL {
            for &code in ErrorCode::ALL {
                assert!(texts.text(lang, code, None).is_some(), "{lang:?} {code:?}");
            }
        }
        assert_eq!(texts.text(Lang::ZhCn, ErrorCode::Unauthorized, Some("credentials")), Some("用户名或密码错误。"));
    }
}

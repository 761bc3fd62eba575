//! The few browser services pages need beyond the DOM: the clipboard, a file download and the
//! address bar. Each returns what went wrong as text instead of throwing.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Copies `text` to the clipboard. Browsers refuse outside secure contexts or without a user
/// gesture; the caller shows a message then.
pub async fn copy(text: &str) -> Result<(), String> {
    let promise = window().navigator().clipboard().write_text(text);
    JsFuture::from(promise).await.map(|_| ()).map_err(|e| format!("{e:?}"))
}

/// Offers `text` as a file named `name`, without a round trip to the server.
pub fn download(name: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|e| format!("{e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    let anchor: web_sys::HtmlAnchorElement = document().create_element("a").map_err(|e| format!("{e:?}"))?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    // The download starts after this task; revoking at once can cancel it in some browsers.
    set_timeout(move || drop(web_sys::Url::revoke_object_url(&url)), std::time::Duration::from_secs(10));
    Ok(())
}

/// The query string of the current address, without the `?`.
pub fn query() -> String {
    window().location().search().unwrap_or_default().trim_start_matches('?').to_owned()
}

/// The origin (`http://127.0.0.1:8080`), for absolute links.
pub fn origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// Replaces the address bar's query without a navigation or a history entry, so the address is
/// always a permalink to what is on screen.
pub fn replace_query(path: &str, query: &str) {
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}?{query}")));
    }
}

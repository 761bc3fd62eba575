//! Cross-site request forgery protection for every state-changing request.
//!
//! The session cookie is SameSite=Lax, which already keeps it off cross-site POSTs in current
//! browsers; this guard does not rely on that alone. Browsers label every request with
//! `Sec-Fetch-Site` (and `Origin` on POST, PUT, DELETE), which a page on another site cannot
//! forge, so a state-changing request from another site is refused outright. The same check
//! Go's `http.CrossOriginProtection` makes; no token to plumb through every form. Requests
//! without either header come from programs (curl, scripts), which carry no ambient cookies a
//! forger could borrow.

use axum::extract::Request;
use axum::http::{HeaderMap, Method, header};

use crate::error::AppError;

/// The refusal of a state-changing request (one that is not [`is_safe`]) from another site;
/// `None` when it comes from TCP Lab's own pages or from a program.
pub fn refusal(request: &Request) -> Option<AppError> {
    if same_origin(request.headers(), request.uri().authority().map(|a| a.as_str())) {
        None
    } else {
        Some(AppError::Forbidden("cross-site request refused: state-changing requests must come from TCP Lab's own pages".into()))
    }
}

pub fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// `authority`: the request's own, which HTTP/2 sends instead of a Host header.
fn same_origin(headers: &HeaderMap, authority: Option<&str>) -> bool {
    let text = |name| headers.get(name).and_then(|v: &axum::http::HeaderValue| v.to_str().ok());
    match text("sec-fetch-site") {
        // "none": typed into the address bar or a bookmark, which no other site can cause.
        Some(site) => site == "same-origin" || site == "none",
        None => match (text(header::ORIGIN.as_str()), text(header::HOST.as_str()).or(authority)) {
            (Some(origin), Some(host)) => origin.split_once("://").is_some_and(|(_, rest)| rest == host),
            (Some(_), None) => false,
            (None, _) => true,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs.iter().map(|(k, v)| (axum::http::HeaderName::from_static(k), v.parse().unwrap())).collect()
    }

    #[test]
    fn only_same_origin_browser_requests_and_programs_pass() {
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")]), None));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")]), None));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "same-site")]), None), "a sibling subdomain is another origin");
        assert!(same_origin(&headers(&[("origin", "http://127.0.0.1:8080"), ("host", "127.0.0.1:8080")]), None));
        assert!(!same_origin(&headers(&[("origin", "https://evil.example"), ("host", "127.0.0.1:8080")]), None));
        assert!(!same_origin(&headers(&[("origin", "null"), ("host", "127.0.0.1:8080")]), None));
        assert!(same_origin(&headers(&[]), None), "curl and scripts send neither header");
        assert!(same_origin(&headers(&[("origin", "https://tcplab.example")]), Some("tcplab.example")), "HTTP/2: no Host header");
        assert!(is_safe(&Method::GET) && !is_safe(&Method::POST) && !is_safe(&Method::PUT) && !is_safe(&Method::DELETE));
    }
}

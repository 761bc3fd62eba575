//! Security headers on every response.

use axum::http::{HeaderMap, HeaderName, HeaderValue, header};

/// The page may run its own scripts and compile its own WebAssembly (`wasm-unsafe-eval` allows
/// `WebAssembly.instantiate`, not JavaScript `eval`), talk to its own origin, and nothing else:
/// no inline scripts, no third-party hosts, no plugins, no framing, no `<base>` rewriting.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// TCP Lab uses none of the browser's powerful features: a page (or an injected script) may not
/// ask for them either.
pub const PERMISSIONS_POLICY: &str =
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), interest-cohort=()";

/// Only sent with `--secure-cookies`, which says the server is reached over HTTPS: over plain
/// HTTP the header would be ignored, and on a test address it would pin HTTPS on for a year.
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000; includeSubDomains";

const ALWAYS: [(HeaderName, &str); 6] = [
    (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    // For browsers that predate CSP's frame-ancestors.
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::REFERRER_POLICY, "no-referrer"),
    (HeaderName::from_static("permissions-policy"), PERMISSIONS_POLICY),
    // A window another site opens cannot reach back into ours (and ours into it).
    (HeaderName::from_static("cross-origin-opener-policy"), "same-origin"),
];

/// `https`: whether the server is reached over HTTPS (`--secure-cookies`).
pub fn add(headers: &mut HeaderMap, https: bool) {
    for (name, value) in ALWAYS {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    }
    if https {
        headers.entry(header::STRICT_TRANSPORT_SECURITY).or_insert(HeaderValue::from_static(STRICT_TRANSPORT_SECURITY));
    }
}

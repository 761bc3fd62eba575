//! Security headers on every response.

use axum::http::{HeaderName, HeaderValue, header};
use tower::ServiceBuilder;
use tower::layer::util::{Identity, Stack};
use tower_http::set_header::SetResponseHeaderLayer;

/// The page may run its own scripts and compile its own WebAssembly (`wasm-unsafe-eval` allows
/// `WebAssembly.instantiate`, not JavaScript `eval`), talk to its own origin, and nothing else:
/// no inline scripts, no third-party hosts, no plugins, no framing, no `<base>` rewriting.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

type Header = SetResponseHeaderLayer<HeaderValue>;
/// Four header layers stacked; spelled out because `impl Layer` cannot name the service type axum needs.
type Layers = ServiceBuilder<Stack<Header, Stack<Header, Stack<Header, Stack<Header, Identity>>>>>;

pub fn layer() -> Layers {
    ServiceBuilder::new()
        .layer(set(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        // For browsers that predate CSP's frame-ancestors.
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
        .layer(set(header::REFERRER_POLICY, "no-referrer"))
}

fn set(name: HeaderName, value: &'static str) -> Header {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

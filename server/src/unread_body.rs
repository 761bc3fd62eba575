//! `Connection: close` on every response to a request whose body was not read to its end.
//!
//! When a handler answers without reading the body (a 403 from the cross-site guard, a 405, a
//! 401 before the JSON is parsed), hyper cannot tell where the next request on the connection
//! starts, so it closes the connection after the response. Without saying so, a client reusing
//! the connection sends its next request into a closed socket and sees it fail; with the header
//! it opens a new connection instead.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use http_body::{Frame, SizeHint};

/// Wraps the request's body to notice when it has been read to its end; `None` when there is
/// no body to read.
pub fn watch(request: Request) -> (Request, Option<Arc<AtomicBool>>) {
    if has_no_body(request.body()) {
        return (request, None);
    }
    let read = Arc::new(AtomicBool::new(false));
    let request = request.map(|inner| Body::new(Watched { inner, read: read.clone() }));
    (request, Some(read))
}

/// Adds `Connection: close` when the watched body was not read to its end.
pub fn mark(response: &mut Response, read: Option<&AtomicBool>) {
    if read.is_some_and(|r| !r.load(Ordering::Acquire)) {
        response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
}

/// No body at all: `Content-Length: 0` or none, and not chunked.
fn has_no_body(body: &Body) -> bool {
    http_body::Body::is_end_stream(body) || http_body::Body::size_hint(body).upper() == Some(0)
}

/// The request body, noting when its end has been reached.
struct Watched {
    inner: Body,
    read: Arc<AtomicBool>,
}

impl http_body::Body for Watched {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_frame(cx);
        let ended = match &polled {
            Poll::Ready(None) => true,
            Poll::Ready(Some(Ok(_))) => http_body::Body::is_end_stream(&this.inner),
            _ => false,
        };
        if ended {
            this.read.store(true, Ordering::Release);
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

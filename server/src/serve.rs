//! The accept loop: axum's `serve` has no header timeout, no connection cap and no shutdown
//! deadline, and each of those is what keeps a server up when clients misbehave, so the server
//! drives hyper itself.
//!
//! - **Header timeout.** hyper starts its header timer whenever it waits for a request's head:
//!   on a new connection and after every response. A connection that sends no complete request
//!   head within [`Limits::header_timeout`], silent or dribbling or idle between requests, is closed.
//! - **Connection cap.** At most [`Limits::max_connections`] are served in full. A few more
//!   ([`Limits::overflow`]) are still accepted and may ask `/healthz` (so a load balancer sees a
//!   live server at its busiest) while everything else gets a 503 with `Retry-After`; past those,
//!   new connections are closed as soon as they are accepted. Both stay below the open-files
//!   limit, so the listener never stalls on `EMFILE`.
//! - **Per address.** One address (an IPv6 /64) gets at most a quarter of the served connections;
//!   past that it is treated as past the cap, so one client cannot take every slot.
//! - **Stalled writes.** A write that makes no progress for [`WRITE_STALL`] (a client that stopped
//!   reading a response) ends the connection; the request timeout does not cover a response body
//!   being sent.
//! - **Shutdown.** On the signal the listener closes, idle connections close, requests in flight
//!   get [`Limits::shutdown_grace`] to finish, and then whatever is left is dropped.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, Request, Response, header};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;

use crate::error::AppError;

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_connections: usize,
    pub overflow: usize,
    pub header_timeout: Duration,
    pub shutdown_grace: Duration,
}

/// File descriptors kept for everything that is not a client connection: the database and its
/// WAL files for each pooled connection, the listener, logs, the static files being sent.
const RESERVED_FILES: u64 = 64;
/// Upper bound of the default cap: beyond this, memory per connection matters more than fds.
const DEFAULT_CAP: u64 = 16_384;

impl Limits {
    /// The cap for an open-files limit: what the limit leaves after [`RESERVED_FILES`], seven
    /// eighths served, one eighth overflow; `requested` (the flag) may lower it but not raise it
    /// past what the limit allows.
    pub fn for_open_files(open_files: u64, requested: Option<usize>, header_timeout: Duration) -> Limits {
        let usable = open_files.saturating_sub(RESERVED_FILES).max(16);
        let fits = (usable / 8 * 7).max(8);
        let max_connections = requested.map_or(fits.min(DEFAULT_CAP), |r| (r as u64).min(fits)).max(1) as usize;
        let overflow = (usable - max_connections as u64).clamp(4, 1024) as usize;
        Limits { max_connections, overflow, header_timeout, shutdown_grace: SHUTDOWN_GRACE }
    }
}

/// How long requests in flight may take to finish after the signal to stop.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// How long a write to a client may wait for the client to read.
pub const WRITE_STALL: Duration = Duration::from_secs(30);

/// Open connections per address, each counted by a [`Counted`] that gives its place back.
#[derive(Clone, Default)]
struct PerAddress(Arc<Mutex<HashMap<IpAddr, usize>>>);

struct Counted {
    table: PerAddress,
    key: IpAddr,
}

impl PerAddress {
    /// A place for one more connection from `addr`, unless it has `limit` already.
    fn enter(&self, addr: IpAddr, limit: usize) -> Option<Counted> {
        let key = crate::learners::client_key(addr);
        let mut table = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let open = table.entry(key).or_insert(0);
        if *open >= limit {
            return None;
        }
        *open += 1;
        Some(Counted { table: self.clone(), key })
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        let mut table = self.table.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(open) = table.get_mut(&self.key) {
            *open -= 1;
            if *open == 0 {
                table.remove(&self.key);
            }
        }
    }
}

/// Serves until `stop`, then shuts down as described above; returns when the signal came.
pub async fn run(listener: TcpListener, app: Router, limits: Limits, stop: impl Future<Output = ()>) -> tokio::time::Instant {
    let graceful = GracefulShutdown::new();
    let full = Arc::new(Semaphore::new(limits.max_connections));
    let per_address = PerAddress::default();
    let address_limit = (limits.max_connections / 4).max(64);
    let spare = Arc::new(Semaphore::new(limits.overflow));
    let mut served = http1::Builder::new();
    served.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
    let mut overflowing = http1::Builder::new();
    overflowing.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout.min(Duration::from_secs(2))).keep_alive(false);
    let mut refused_logged = tokio::time::Instant::now() - Duration::from_secs(60);
    tokio::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // EMFILE and friends: the cap should prevent them; wait a moment rather
                    // than spin on a listener that cannot accept.
                    if refused_logged.elapsed() > Duration::from_secs(10) {
                        refused_logged = tokio::time::Instant::now();
                        tracing::warn!(error = %e, "cannot accept a connection");
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let in_full = per_address
            .enter(peer.ip(), address_limit)
            .and_then(|place| Some(Held { _slot: full.clone().try_acquire_owned().ok()?, place: Some(place) }));
        let Some(held) = in_full.or_else(|| Some(Held { _slot: spare.clone().try_acquire_owned().ok()?, place: None })) else {
            drop(stream);
            if refused_logged.elapsed() > Duration::from_secs(10) {
                refused_logged = tokio::time::Instant::now();
                tracing::warn!(max = limits.max_connections + limits.overflow, "connection limit reached; closing new connections");
            }
            continue;
        };
        let _ = stream.set_nodelay(true);
        let mut stream = tokio_io_timeout::TimeoutStream::new(stream);
        stream.set_write_timeout(Some(WRITE_STALL));
        let io = TokioIo::new(Box::pin(stream));
        let app = app.clone();
        let past_cap = held.place.is_none();
        let builder = if past_cap { &overflowing } else { &served };
        let service = hyper::service::service_fn(move |request: Request<Incoming>| answer(app.clone(), peer, past_cap, request));
        let connection = graceful.watch(builder.serve_connection(io, service));
        tokio::spawn(async move {
            let _ = connection.await;
            drop(held);
        });
    }
    let stopped = tokio::time::Instant::now();
    drop(listener);
    let open = graceful.count();
    if tokio::time::timeout(limits.shutdown_grace, graceful.shutdown()).await.is_err() {
        tracing::warn!(open, grace = ?limits.shutdown_grace, "connections still open after the grace period; closing them");
    }
    stopped
}

/// What a connection holds while it is open, given back when it closes: a slot, served in full
/// with its address's place, or past the cap without one.
struct Held {
    _slot: OwnedSemaphorePermit,
    place: Option<Counted>,
}

/// One request. On a connection past the cap only `/healthz` is served; anything else is 503.
async fn answer(app: Router, peer: SocketAddr, past_cap: bool, mut request: Request<Incoming>) -> Result<Response<Body>, Infallible> {
    if past_cap && request.uri().path() != "/healthz" {
        let mut response = axum::response::IntoResponse::into_response(AppError::Busy { retry_after: 1 });
        response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
        return Ok(response);
    }
    request.extensions_mut().insert(ConnectInfo(peer));
    app.oneshot(request.map(Body::new)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_address_gets_its_share_and_gives_it_back() {
        let table = PerAddress::default();
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let two: Vec<Counted> = (0..2).map(|_| table.enter(a, 2).unwrap()).collect();
        assert!(table.enter(a, 2).is_none());
        assert!(table.enter("10.0.0.2".parse().unwrap(), 2).is_some());
        drop(two);
        assert!(table.enter(a, 2).is_some());
        assert!(!table.0.lock().unwrap().contains_key(&"10.0.0.2".parse::<IpAddr>().unwrap()), "empty entries go");
    }

    #[test]
    fn the_cap_stays_below_the_open_files_limit() {
        let t = Duration::from_secs(10);
        let small = Limits::for_open_files(256, None, t);
        assert!(small.max_connections + small.overflow + RESERVED_FILES as usize <= 256, "{small:?}");
        assert!(small.max_connections >= 100, "{small:?}");
        let big = Limits::for_open_files(1 << 20, None, t);
        assert_eq!(big.max_connections, DEFAULT_CAP as usize);
        assert_eq!(Limits::for_open_files(1 << 20, Some(50), t).max_connections, 50);
        assert_eq!(
            Limits::for_open_files(256, Some(100_000), t).max_connections,
            small.max_connections,
            "the flag cannot pass the fd limit"
        );
    }
}

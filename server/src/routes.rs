//! A router that remembers its routes. axum's `Router` cannot list what it holds, and the
//! authorization test must check every route: features build their routes with [`Routes`], so a
//! route cannot exist without being listed, and a new one without a row in the test fails it.

use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodRouter, delete, get, post, put};
use axum::{Extension, Router};

use crate::json::BodyLimit;
use crate::state::AppState;

#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    list: Vec<(Method, &'static str)>,
}

impl Routes {
    pub fn new() -> Routes {
        Routes::default()
    }

    fn add(mut self, method: Method, path: &'static str, route: MethodRouter<AppState>) -> Routes {
        self.router = self.router.route(path, route);
        self.list.push((method, path));
        self
    }

    pub fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Routes {
        self.add(Method::GET, path, get(handler))
    }

    pub fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Routes {
        self.add(Method::POST, path, post(handler))
    }

    pub fn put<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Routes {
        self.add(Method::PUT, path, put(handler))
    }

    pub fn delete<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Routes {
        self.add(Method::DELETE, path, delete(handler))
    }

    /// A POST taking a larger body than the server's general limit.
    pub fn post_up_to<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H, limit: usize) -> Routes {
        self.add(Method::POST, path, post(handler).layer((DefaultBodyLimit::max(limit), Extension(BodyLimit(limit)))))
    }

    /// A PUT taking a larger body than the server's general limit.
    pub fn put_up_to<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H, limit: usize) -> Routes {
        self.add(Method::PUT, path, put(handler).layer((DefaultBodyLimit::max(limit), Extension(BodyLimit(limit)))))
    }

    pub fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.list.extend(other.list);
        self
    }

    pub fn into_parts(self) -> (Router<AppState>, Vec<(Method, &'static str)>) {
        (self.router, self.list)
    }
}

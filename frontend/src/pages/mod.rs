//! One module per page of the app.

/// A page that is a wasm chunk of its own, fetched the first time its address opens:
/// `lazy_page!(QuizRoute => QuizPage)` gives the router `QuizRoute`, which shows `<QuizPage />`.
macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident => $page:ident) => {
        $(#[$doc])*
        pub struct $route;

        #[leptos_router::lazy_route]
        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page /> }.into_any()
            }
        }
    };
}

mod classes;
mod config;
mod progress;
mod quiz;
mod replay;
mod tutorial;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{Key, use_i18n};
pub use classes::CourseRoute;
pub use config::ConfigRoute;
pub use progress::ProgressRoute;
pub use quiz::QuizRoute;
pub use replay::ReplayRoute;
pub use tutorial::{LessonPage, TutorialPage};

/// Keeps the tab's title on the page's name in the current language.
fn set_title(title: impl Fn() -> &'static str + Send + Sync + 'static) {
    Effect::new(move |_| document().set_title(&format!("{} · TCP Lab", title())));
}

/// Shown by a page whose strings the app fetches (the class pages) when they could not be
/// fetched. Its own strings are built in: it lives outside those pages.
#[component]
pub fn TextsFailedPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page" data-testid="page-texts-failed">
            <p class="error" role="alert">{i18n.t(Key::ClassesNetwork)}</p>
            <button type="button" on:click=move |_| i18n.retry_page_texts()>{i18n.t(Key::StatusRetry)}</button>
        </section>
    }
}

/// Shown for any path the app does not know.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page" data-testid="page-not-found">
            <h1>{i18n.t(Key::NotFoundTitle)}</h1>
            <p>{i18n.t(Key::NotFoundBody)}</p>
            <p><A href="/">{i18n.t(Key::NotFoundHome)}</A></p>
        </section>
    }
}

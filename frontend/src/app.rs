//! The app's root: language, router and the page for each path.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, path};

use crate::components::layout::Layout;
use crate::i18n;
use crate::pages::{ConfigRoute, CourseRoute, LessonPage, NotFoundPage, ProgressRoute, QuizRoute, ReplayRoute, TutorialPage};

/// Every client-side route is listed here; the server answers any non-API path with the app, so a
/// reload or a shared link lands on the right page.
#[component]
pub fn App() -> impl IntoView {
    i18n::provide();
    view! {
        <Router>
            <Layout>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=TutorialPage />
                    <Route path=path!("/lessons/:id") view=LessonPage />
                    <Route path=path!("/quiz") view={Lazy::<QuizRoute>::new()} />
                    <Route path=path!("/progress") view={Lazy::<ProgressRoute>::new()} />
                    <Route path=path!("/replay") view={Lazy::<ReplayRoute>::new()} />
                    <Route path=path!("/config") view={Lazy::<ConfigRoute>::new()} />
                    // Last: the class pages, which pick their page from the address (see
                    // `pages/classes`), and any address not above.
                    <Route path=path!("/*any") view={Lazy::<CourseRoute>::new()} />
                </Routes>
            </Layout>
        </Router>
    }
}

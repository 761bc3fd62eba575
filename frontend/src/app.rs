//! The app's root: language, router and the page for each path.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, path};

use crate::components::layout::Layout;
use crate::i18n;
use crate::pages::{
    AttemptRoute, ClassRoute, ClassesRoute, ConfigRoute, InviteRoute, JoinRoute, LessonPage, NotFoundPage, ProgressRoute, QuizEditorRoute,
    QuizRoute, ReplayRoute, ResultsRoute, TutorialPage,
};

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
                    <Route path=path!("/classes") view={Lazy::<ClassesRoute>::new()} />
                    <Route path=path!("/classes/:id") view={Lazy::<ClassRoute>::new()} />
                    <Route path=path!("/join/:code") view={Lazy::<JoinRoute>::new()} />
                    <Route path=path!("/quizzes/:id/edit") view={Lazy::<QuizEditorRoute>::new()} />
                    <Route path=path!("/quizzes/:id/results") view={Lazy::<ResultsRoute>::new()} />
                    <Route path=path!("/attempts/:id") view={Lazy::<AttemptRoute>::new()} />
                    <Route path=path!("/invite/:token") view={Lazy::<InviteRoute>::new()} />
                    <Route path=path!("/replay") view={Lazy::<ReplayRoute>::new()} />
                    <Route path=path!("/config") view={Lazy::<ConfigRoute>::new()} />
                </Routes>
            </Layout>
        </Router>
    }
}

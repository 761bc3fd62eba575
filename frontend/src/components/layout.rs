//! The frame around every page: header with navigation and language switch, main area, footer.

use leptos::prelude::*;
use leptos_router::components::A;
use tcplab_core::lang::Lang;

use crate::components::server_status::ServerStatus;
use crate::i18n::{Key, use_i18n};

/// Header, navigation and footer around the current page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key| i18n.t(key);
    view! {
        <a class="skip-link" href="#main">{t(Key::AppSkipToContent)}</a>
        <header class="site-header">
            <A href="/" exact=true attr:class="brand" attr:data-testid="brand">
                <span class="brand-mark" aria-hidden="true">"⇄"</span>
                {t(Key::AppName)}
            </A>
            <nav aria-label=t(Key::NavLabel) data-testid="nav">
                <ul>
                    <li><A href="/" exact=true attr:data-testid="nav-tutorial">{t(Key::NavTutorial)}</A></li>
                    <li><A href="/quiz" attr:data-testid="nav-quiz">{t(Key::NavQuiz)}</A></li>
                    <li><A href="/progress" attr:data-testid="nav-progress">{t(Key::NavProgress)}</A></li>
                    <li><A href="/classes" attr:data-testid="nav-classes">{t(Key::NavClasses)}</A></li>
                    <li><A href="/replay" attr:data-testid="nav-replay">{t(Key::NavReplay)}</A></li>
                    <li><A href="/config" attr:data-testid="nav-config">{t(Key::NavConfig)}</A></li>
                </ul>
            </nav>
            <LanguageSwitch />
        </header>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <p>{t(Key::AppTagline)}</p>
            <ServerStatus />
        </footer>
    }
}

/// One button per language; the pressed one is the current language.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="lang-switch" role="group" aria-label=i18n.t(Key::LangLabel) data-testid="lang-switch">
            {Lang::ALL
                .into_iter()
                .map(|lang| {
                    view! {
                        <button
                            type="button"
                            lang=lang.tag()
                            data-testid=format!("lang-{}", lang.tag())
                            aria-pressed=move || (i18n.lang.get() == lang).to_string()
                            on:click=move |_| i18n.lang.set(lang)
                        >
                            {lang.native_name()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

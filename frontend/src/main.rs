//! The TCP Lab browser app. Client-side rendered: the server sends `index.html` and this wasm,
//! which draws every page.

mod api;
mod app;
mod browser;
mod components;
mod i18n;
mod pages;

fn main() {
    // A panic in the app should say why in the browser console, not "unreachable executed".
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}

//! Lesson Markdown to HTML, safely.
//!
//! Lessons are text files anyone on the team may edit, and the browser inserts the HTML as is, so
//! the rendering must not let markup through: raw HTML in the Markdown is shown as text, and links
//! and images may only point at our own pages or at http(s) addresses.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};

pub fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        // Shown, not interpreted: `<script>` in a lesson appears as the text "<script>".
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Link { link_type, dest_url: safe_url(dest_url), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Image { link_type, dest_url: safe_url(dest_url), title, id })
        }
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// Keeps links to our own pages (`/lessons/...`, `#anchor`) and to the web; anything else
/// (`javascript:`, `data:`, `vbscript:` ...) becomes a dead `#` link.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lower = url.trim().to_ascii_lowercase();
    let allowed = (lower.starts_with('/') && !lower.starts_with("//"))
        || lower.starts_with('#')
        || lower.starts_with("https://")
        || lower.starts_with("http://");
    if allowed { url } else { CowStr::Borrowed("#") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_markdown_renders() {
        let html = to_html("## Why\n\nThe SYN **consumes** one number: `ack = 1001`.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(html.contains("<h2>Why</h2>"), "{html}");
        assert!(html.contains("<strong>consumes</strong>"), "{html}");
        assert!(html.contains("<code>ack = 1001</code>"), "{html}");
        assert!(html.contains("<table>"), "{html}");
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = to_html("Hello <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<div onclick=\"x()\">block</div>\n");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn dangerous_link_targets_are_neutralised() {
        for url in ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "vbscript:x", "//evil.example/x"] {
            let html = to_html(&format!("[click]({url}) ![img]({url})"));
            assert!(!html.to_ascii_lowercase().contains("script:"), "{url}: {html}");
            assert!(html.contains("href=\"#\""), "{url}: {html}");
            assert!(html.contains("src=\"#\""), "{url}: {html}");
        }
        let html = to_html("[next](/lessons/close) [rfc](https://www.rfc-editor.org/rfc/rfc9293)");
        assert!(html.contains("href=\"/lessons/close\""), "{html}");
        assert!(html.contains("href=\"https://www.rfc-editor.org/rfc/rfc9293\""), "{html}");
    }
}

//! Markdown to sanitized HTML. The app shows this HTML directly, so everything goes through
//! ammonia: no scripts, no event handlers, no remote-loading tags beyond plain links.

use pulldown_cmark::{html, Options, Parser};

/// The Markdown Debrief reads everywhere (the app's preview, the PDFs): CommonMark plus
/// tables, strikethrough and task lists.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Renders Markdown (see [`options`]) to safe HTML.
pub fn render(markdown: &str) -> String {
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options()));
    ammonia::Builder::default()
        // Images would fetch from the network; nothing leaves the machine.
        .rm_tags(&["img"])
        .link_rel(Some("noopener noreferrer"))
        .clean(&raw)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn renders_lists_tables_and_emphasis() {
        let html = render("**bold**\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(html.contains("<strong>bold</strong>"));
        assert!(html.contains("<li>one</li>"));
        assert!(html.contains("<table>"));
    }

    #[test]
    fn strips_scripts_handlers_and_images() {
        let html = render("<script>alert(1)</script><a href=\"x\" onclick=\"evil()\">x</a> ![i](http://e/x.png)");
        assert!(!html.contains("<script"));
        assert!(!html.contains("onclick"));
        assert!(!html.contains("<img"));
    }
}

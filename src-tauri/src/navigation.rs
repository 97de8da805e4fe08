//! The window never leaves the app. Every navigation of a webview goes through [`guard`]: the
//! app's own pages load; an http(s) address is handed to the system browser instead (a link in
//! rendered Markdown, a tracker ticket); anything else (`file:`, `javascript:`, a local page)
//! is refused. The front end already opens links itself; this is the backstop that holds when
//! a click slips past it.

use tauri::plugin::{Builder, TauriPlugin};
use tauri::{Runtime, Url};
use tauri_plugin_opener::OpenerExt;

/// What to do with a navigation to `url`.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// One of the app's own pages.
    Load,
    /// A web page: open it in the system browser, keep the window where it is.
    OpenInBrowser,
    /// Anything else: stay where we are.
    Refuse,
}

/// The rule, kept apart from Tauri so it can be tested. The app is one page: only its entry
/// document loads, so a relative link in a postmortem ("runbook.html") cannot replace the app
/// with another page of the app's origin either.
pub fn verdict(url: &Url) -> Verdict {
    let host = url.host_str().unwrap_or("");
    let entry = matches!(url.path(), "" | "/" | "/index.html");
    match url.scheme() {
        // Linux and macOS serve the app from tauri://localhost.
        "tauri" if entry => Verdict::Load,
        // Windows serves it from http(s)://tauri.localhost.
        "http" | "https" if host == "tauri.localhost" && entry => Verdict::Load,
        "http" | "https" if host == "tauri.localhost" => Verdict::Refuse,
        // A development build may serve it from the Vite dev server.
        "http" if cfg!(debug_assertions) && matches!(host, "localhost" | "127.0.0.1") && entry => Verdict::Load,
        "http" | "https" => Verdict::OpenInBrowser,
        "about" if url.as_str() == "about:blank" => Verdict::Load,
        _ => Verdict::Refuse,
    }
}

/// The plugin that applies [`verdict`] to every navigation of every webview.
pub fn guard<R: Runtime>() -> TauriPlugin<R> {
    Builder::new("navigation-guard")
        .on_navigation(|webview, url| match verdict(url) {
            Verdict::Load => true,
            Verdict::OpenInBrowser => {
                if let Err(e) = webview.opener().open_url(url.as_str(), None::<&str>) {
                    eprintln!("debrief-app: could not open {url} in the browser: {e}");
                }
                false
            }
            Verdict::Refuse => {
                eprintln!("debrief-app: refused to leave the app for {url}");
                false
            }
        })
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Verdict {
        verdict(&Url::parse(s).unwrap())
    }

    #[test]
    fn the_apps_own_pages_load_on_every_platform() {
        assert_eq!(v("tauri://localhost"), Verdict::Load);
        assert_eq!(v("tauri://localhost/index.html"), Verdict::Load);
        assert_eq!(v("http://tauri.localhost/"), Verdict::Load);
        assert_eq!(v("https://tauri.localhost/index.html#top"), Verdict::Load);
    }

    #[test]
    fn other_pages_of_the_apps_origin_are_refused() {
        // A relative link in rendered Markdown resolves against the app's own origin.
        assert_eq!(v("tauri://localhost/runbook.html"), Verdict::Refuse);
        assert_eq!(v("http://tauri.localhost/etc/passwd"), Verdict::Refuse);
    }

    #[test]
    fn web_pages_go_to_the_browser() {
        assert_eq!(v("https://example.com/runbook"), Verdict::OpenInBrowser);
        assert_eq!(v("http://jira.internal/browse/OPS-12"), Verdict::OpenInBrowser);
    }

    #[test]
    fn local_files_and_scripts_are_refused() {
        assert_eq!(v("file:///etc/passwd"), Verdict::Refuse);
        assert_eq!(v("javascript:alert(1)"), Verdict::Refuse);
        assert_eq!(v("data:text/html,<h1>hi</h1>"), Verdict::Refuse);
        assert_eq!(v("ftp://example.com/x"), Verdict::Refuse);
        assert_eq!(v("about:config"), Verdict::Refuse);
    }
}

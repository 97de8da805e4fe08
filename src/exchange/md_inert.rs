//! Markdown that renders inert: in text that Debrief writes into a Markdown file as Markdown
//! (a section's body), raw HTML and links to anything but the web, mail or a relative path are
//! escaped, so every CommonMark renderer (a git host, an editor's preview, a wiki) shows them
//! as text. Reading the file undoes exactly that, so the round trip stays byte-exact.
//!
//! Three characters can start something active:
//! - `<` followed by a letter, `/`, `!` or `?`: raw HTML, a comment, an autolink;
//! - `(` right after `]` (an inline link or image) when the destination is not a safe one;
//! - `:` right after `]` (a link reference definition) when the destination is not safe.
//!
//! Such a character preceded by k backslashes is written with 2k+1 before it: a renderer shows
//! the k backslashes and the character itself, never the tag or the link. Reading turns an
//! odd run of n backslashes before such a character back into (n-1)/2 and leaves an even run
//! (which a person wrote, and which is inert already) alone. Whether a character counts never
//! depends on the backslashes themselves, so reading finds exactly the places writing escaped.

/// The characters of `rest` with every run of backslashes before `<`, `(` or `:` left out.
/// Those runs are the only ones [`escape`] changes, so a decision made on this view is the
/// same before and after escaping: reading finds exactly what writing escaped. A renderer
/// drops such a backslash too (all three are punctuation), so the view is also what it sees.
#[derive(Clone)]
struct WithoutEscapes<'a> {
    rest: &'a [char],
    at: usize,
}

impl Iterator for WithoutEscapes<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        if self.rest.get(self.at) == Some(&'\\') {
            let run_end = self.rest[self.at..].iter().position(|c| *c != '\\').map_or(self.rest.len(), |n| self.at + n);
            if self.rest.get(run_end).is_some_and(|c| matches!(c, '<' | '(' | ':')) {
                self.at = run_end;
            }
        }
        let c = *self.rest.get(self.at)?;
        self.at += 1;
        Some(c)
    }
}

/// Whether a link's destination (the text after `(` or `]:`) is one a reader can follow
/// safely: a web or mail address, an anchor, or a relative path. Everything else (schemes like
/// `javascript:`, `data:` and `vbscript:`, and anything disguised with entities or escapes) is
/// not. Leading whitespace, as a renderer skips it, is skipped.
fn safe_destination(rest: &[char]) -> bool {
    let mut chars = WithoutEscapes { rest, at: 0 }.skip_while(|c| matches!(c, ' ' | '\t' | '\r' | '\n')).peekable();
    let head: Vec<char> = chars.clone().take(8).collect();
    let starts_with = |prefix: &str| {
        head.len() >= prefix.len() && head.iter().zip(prefix.chars()).all(|(a, b)| a.to_ascii_lowercase() == b)
    };
    if starts_with("https://") || starts_with("http://") || starts_with("mailto:") {
        return true;
    }
    match chars.peek().copied() {
        None => true,
        // An anchor, a path, or text that starts with a digit: no scheme starts so.
        Some(c) if c.is_ascii_digit() || matches!(c, '#' | '/' | '.' | '?') => true,
        // A word: a scheme if a `:` ends it, or perhaps one hidden by an entity, an escape, a
        // percent sign or a tag; otherwise a relative path.
        Some(c) if c.is_ascii_alphabetic() => chars
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-')))
            .is_none_or(|end| !matches!(end, ':' | '&' | '\\' | '%' | '<')),
        // Anything else (`<`, `&`, `\`, `%`, other scripts, controls) could disguise a scheme.
        Some(_) => false,
    }
}

/// Whether the text after a `<` is a web or mail autolink, which renders as a link to there.
fn safe_autolink(rest: &[char]) -> bool {
    ["https://", "http://", "mailto:"].iter().any(|prefix| {
        rest.len() > prefix.len() && rest.iter().zip(prefix.chars()).all(|(a, b)| a.to_ascii_lowercase() == b)
    })
}

/// Whether the character at `at` would start something active. `run_start` is where the
/// backslashes before it begin (`at` when there are none).
fn active(chars: &[char], run_start: usize, at: usize) -> bool {
    match chars[at] {
        // An autolink to the web or mail (`<https://…>`) stays one; any other tag does not.
        '<' => {
            chars.get(at + 1).is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'))
                && !safe_autolink(&chars[at + 1..])
        }
        '(' | ':' => run_start > 0 && chars[run_start - 1] == ']' && !safe_destination(&chars[at + 1..]),
        _ => false,
    }
}

/// Rewrites every run of backslashes in `text`: `change(n, is_active)` says how many to write.
fn rewrite(text: &str, change: impl Fn(usize, bool) -> usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut i = 0;
    while i < chars.len() {
        let run_start = i;
        while i < chars.len() && chars[i] == '\\' {
            i += 1;
        }
        let run = i - run_start;
        let is_active = i < chars.len() && active(&chars, run_start, i);
        out.extend(std::iter::repeat_n('\\', change(run, is_active)));
        if let Some(&c) = chars.get(i) {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// `text` with everything active escaped (see the module's notes).
pub fn escape(text: &str) -> String {
    rewrite(text, |run, is_active| if is_active { 2 * run + 1 } else { run })
}

/// The inverse of [`escape`]: `unescape(&escape(t)) == t` for every text.
pub fn unescape(text: &str) -> String {
    // Without a backslash there is nothing to undo (most sections): `rewrite` would copy it.
    if !text.contains('\\') {
        return text.to_string();
    }
    rewrite(text, |run, is_active| if is_active && run % 2 == 1 { (run - 1) / 2 } else { run })
}

/// One line of text (a heading, a title) in a Markdown file, where `\` starts an escape of the
/// next character and `\n`, `\r` stand for line breaks: escaped so it is one line and inert.
/// [`unescape_line`] reads it back.
pub fn escape_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    let mut previous = None;
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '<' => out.push_str("\\<"),
            '(' | ':' if previous == Some(']') => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        previous = Some(c);
    }
    out
}

/// Reads a line written by [`escape_line`] (or by hand): `\n` and `\r` are line breaks, `\`
/// before any other character stands for that character.
pub fn unescape_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use pulldown_cmark::{Event, Options, Parser, Tag};

    use super::*;

    /// What a renderer would make active in `markdown`: raw HTML, or a link or image whose
    /// destination (as the renderer decodes it) is not a web, mail or relative address.
    fn active_parts(markdown: &str) -> Vec<String> {
        let options = Options::ENABLE_TABLES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_GFM;
        let unsafe_url = |url: &str| {
            let url: String = url.chars().filter(|c| !c.is_ascii_whitespace() && !c.is_control()).collect();
            let scheme_end = url.find(':');
            let path_start = url.find(['/', '?', '#']);
            match (scheme_end, path_start) {
                (Some(colon), Some(path)) if path < colon => false,
                (Some(colon), _) => !matches!(url[..colon].to_ascii_lowercase().as_str(), "http" | "https" | "mailto"),
                (None, _) => false,
            }
        };
        Parser::new_ext(markdown, options)
            .filter_map(|event| match event {
                Event::Html(h) | Event::InlineHtml(h) => Some(format!("html {h}")),
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) if unsafe_url(&dest_url) => {
                    Some(format!("link {dest_url}"))
                }
                _ => None,
            })
            .collect()
    }

    const HOSTILE: &[&str] = &[
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        "[click]( JavaScript:alert(1) )",
        "[click](java&#115;cript:alert(1))",
        "![x](data:image/svg+xml;base64,PHN2Zz4=)",
        "<svg><script>alert(1)</script></svg>",
        "<javascript:alert(1)>",
        "[x]\n\n[x]: javascript:alert(1)",
        "[x][y]\n\n[y]:\n  vbscript:msgbox(1)",
        "<!-- debrief:section id=\"a\" key=\"b\" -->",
        "\\<b>bold</b>",
        "\\\\<b>bold</b>",
        "text\n<div onclick=alert(1)>\nmore\n</div>",
        "> <iframe src=\"https://evil\"></iframe>",
        "- item <a href=\"javascript:alert(1)\">x</a>",
        "[ok](https://example.com) and [rel](docs/runbook.md) and [anchor](#timeline)",
        "<https://example.com/x> and <mailto:oncall@example.com> and <javascript:alert(1)>",
        "[x](javascript&#58;alert(1)) [y](JAVASCRIPT:alert(1)) [z](java%73cript:x)",
        // Found by the property test: the `\\` that escaping puts before `<` once changed
        // whether the `(` before it counted, so reading lost a backslash.
        "]\\(a<a",
        "[x](h<t:/)",
        "[x](javascript\\:alert(1))",
    ];

    #[test]
    fn hostile_markdown_is_written_inert_and_read_back_exactly() {
        for text in HOSTILE {
            let written = escape(text);
            assert_eq!(active_parts(&written), Vec::<String>::new(), "{text:?} written as {written:?}");
            assert_eq!(unescape(&written), *text);
        }
        // The originals are what the check is for: each (but the safe links) is active.
        assert!(HOSTILE.iter().filter(|t| !active_parts(t).is_empty()).count() >= 15);
    }

    #[test]
    fn ordinary_text_and_safe_links_are_written_as_they_are() {
        for text in [
            "Checkout returned 502s for 14 minutes; p99 > 2 s and x < 3.",
            "See [the runbook](https://wiki.example.com/runbooks/checkout) and [notes](notes.md#why).",
            "a \\ b, C:\\temp, `code`, **bold**, [SEV1]: root cause",
        ] {
            assert_eq!(escape(text), text);
        }
        assert_eq!(escape("<b>"), "\\<b>");
        assert_eq!(escape("\\<b>"), "\\\\\\<b>");
        assert_eq!(escape("[x](javascript:y)"), "[x]\\(javascript:y)");
        // Web autolinks stay links; footnotes and notes that start with a number stay as written.
        for text in ["See <https://status.example.com/incidents/42>.", "[^1]: 50% of requests failed", "[^a]: The pool"]
        {
            assert_eq!(escape(text), text);
        }
    }

    #[test]
    fn lines_are_inert_and_read_back() {
        for text in HOSTILE.iter().copied().chain(["", "a\\b", "line\nnext\r", "x]:y", "\\"]) {
            let line = escape_line(text);
            assert!(!line.contains('\n') && !line.contains('\r'));
            assert_eq!(active_parts(&format!("## {line}")), Vec::<String>::new(), "{text:?}");
            assert_eq!(unescape_line(&line), text);
        }
    }

    /// Text made of the characters that matter here, so the cases meet often.
    fn markdownish() -> impl Strategy<Value = String> {
        prop_oneof![any::<String>(), "[\\\\<>\\[\\]():!/?a-zA-Z &#;`\\n]{0,60}"]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Never panics, and reads back exactly, on any Unicode.
        #[test]
        fn any_text_round_trips(text in markdownish()) {
            prop_assert_eq!(unescape(&escape(&text)), text.clone());
            prop_assert_eq!(unescape_line(&escape_line(&text)), text);
        }

        /// Whatever the text, what is written renders nothing active.
        #[test]
        fn anything_written_is_inert(text in markdownish()) {
            let written = escape(&text);
            prop_assert_eq!(active_parts(&written), Vec::<String>::new(), "{:?} written as {:?}", text, written);
        }

        /// Reading text nobody escaped (a hand-written file) never panics.
        #[test]
        fn unescape_never_panics(text in any::<String>()) {
            let _ = unescape(&text);
            let _ = unescape_line(&text);
        }
    }
}

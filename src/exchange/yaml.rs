//! Reading YAML: front matter, Debrief's fenced blocks and the team library's settings file,
//! with errors on the file's lines.
//!
//! Read with serde_yaml_ng (libyaml): on Debrief's own Markdown it reads about half again as
//! fast as serde-saphyr, which was most of the time a Markdown import spent reading. Writing
//! stays with serde-saphyr, so files already written keep their bytes. libyaml reads YAML 1.2's
//! core schema: `true`/`false` only are booleans (`yes` is text), and a tab cannot indent.

use serde::de::DeserializeOwned;

/// Why a YAML text could not be read: the file's line when known, and the message, its
/// positions counted in the file's lines too.
#[derive(Debug)]
pub struct YamlError {
    /// The line of the file it is on, counted from 1, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// Reads `text` as a `T`; the text starts after line `lines_before` of its file, and an error
/// names the file's lines.
pub fn from_str<T: DeserializeOwned>(text: &str, lines_before: usize) -> Result<T, YamlError> {
    serde_yaml_ng::from_str(text).map_err(|e| YamlError {
        line: e.location().map(|l| l.line() + lines_before),
        message: in_file_lines(&e.to_string(), lines_before),
    })
}

/// libyaml's `message` with its positions in the file's lines: the first position (the line
/// the error is on, which the caller names before the message) dropped, any other ("..., while
/// parsing a flow sequence at line 2 column 11", which says where the unclosed part began) as
/// "at line N" of the file.
fn in_file_lines(message: &str, lines_before: usize) -> String {
    const AT: &str = " at line ";
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    let mut first = true;
    while let Some(at) = rest.find(AT) {
        out.push_str(&rest[..at]);
        let after = &rest[at + AT.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let line: Option<usize> = after[..digits].parse().ok();
        match (line, after[digits..].strip_prefix(" column ")) {
            (Some(line), Some(column)) => {
                if !first {
                    out.push_str(&format!("{AT}{}", line + lines_before));
                }
                first = false;
                rest = &column[column.bytes().take_while(u8::is_ascii_digit).count()..];
            }
            // Not a position after all: keep the words.
            _ => {
                out.push_str(AT);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_taken_out_of_messages_and_the_line_is_kept() {
        // An unclosed flow sequence on the text's line 2, the file's line 12.
        let e = from_str::<serde_json::Value>("title: ok\nseverity: [SEV2\n", 10).unwrap_err();
        assert_eq!(e.line, Some(13), "where libyaml found the end without a `]`");
        assert!(e.message.ends_with("while parsing a flow sequence at line 12"), "{}", e.message);
        assert_eq!(in_file_lines("x at line 3 column 1, while y at line 2 column 11", 1), "x, while y at line 3");
        assert_eq!(in_file_lines("ends at line", 0), "ends at line");
        assert_eq!(in_file_lines("at line 4 of the text at line x", 0), "at line 4 of the text at line x");
    }

    #[test]
    fn an_alias_bomb_is_refused_not_expanded() {
        // Nine levels of ten aliases each: a billion strings if expanded.
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..9 {
            let p = level - 1;
            text.push_str(&format!(
                "a{level}: &a{level} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n"
            ));
        }
        let started = std::time::Instant::now();
        assert!(from_str::<serde_json::Value>(&text, 0).is_err());
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }
}

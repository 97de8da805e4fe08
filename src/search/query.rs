//! The search query language, parsed into a plain structure before any index is touched.
//!
//! ```text
//! free words          disk full            every word must match (typo-tolerant)
//! "quoted phrase"     "connection pool"    the words in this order
//! field:value         severity:SEV1  status:final  service:payments  owner:alice  tag:x
//! field:"two words"   category:"config change"
//! date range          after:2025-01-01  before:2025-06-30   (inclusive)
//! exclusion           -word  -"a phrase"  -service:cdn
//! ```
//!
//! A word that looks like `name:value` but whose name is not a filter is plain text, so
//! `error:500` searches for those words. Parsing never panics; a query it cannot use gets an
//! [`Error::Parse`] whose message says what to write instead.

use chrono::NaiveDate;

use crate::model::{ReviewStatus, Severity};
use crate::{Error, Result};

/// A field filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// `severity:`, parsed from any spelling (`sev1`, `SEV-1`, `1`).
    Severity(Severity),
    /// `status:`, parsed from any spelling (`in_review`, `review`, ...).
    Status(ReviewStatus),
    /// `service:` as written; each of its words must be in the postmortem's service names.
    Service(String),
    /// `category:` as written; each of its words must be in the postmortem's category names.
    Category(String),
    /// `tag:` as written; each of its words must be in the postmortem's tags.
    Tag(String),
    /// `owner:` as written; each of its words must be in the names of its action items' owners.
    Owner(String),
}

/// One clause of a query; `negated` clauses exclude.
#[derive(Debug, Clone, PartialEq)]
pub enum Clause {
    /// A free word: it must occur in some prose field, by stem, or with one typo if long and rare.
    Word {
        /// The word as written, without leading or trailing punctuation.
        text: String,
        /// Written `-word`: postmortems containing it are left out.
        negated: bool,
    },
    /// A quoted phrase: its words must occur in this order in one prose field.
    Phrase {
        /// The text between the quotes, trimmed.
        text: String,
        /// Written `-"a phrase"`: postmortems containing it are left out.
        negated: bool,
    },
    /// A `name:value` field filter.
    Filter {
        /// The field and the value it must have.
        filter: Filter,
        /// Written `-name:value`: postmortems it matches are left out.
        negated: bool,
    },
}

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedQuery {
    /// Words, phrases and filters, in the order written; all must hold (negated ones must not).
    pub clauses: Vec<Clause>,
    /// Incident date on or after this day.
    pub after: Option<NaiveDate>,
    /// Incident date on or before this day.
    pub before: Option<NaiveDate>,
}

impl ParsedQuery {
    /// The positive free words and phrases: what the user is looking for, for snippets and
    /// ranking.
    pub fn positive_text(&self) -> Vec<&str> {
        self.clauses
            .iter()
            .filter_map(|c| match c {
                Clause::Word { text, negated: false } | Clause::Phrase { text, negated: false } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// Names accepted before a colon.
pub const FILTER_NAMES: [&str; 8] = ["severity", "status", "service", "category", "tag", "owner", "after", "before"];

fn err(query: &str, message: String) -> Error {
    let shown: String = query.chars().take(80).collect();
    Error::Parse { location: format!("search query {shown:?}"), message }
}

/// Parses a query string.
pub fn parse(query: &str) -> Result<ParsedQuery> {
    let mut out = ParsedQuery::default();
    let chars: Vec<char> = query.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let negated = chars[i] == '-' && i + 1 < chars.len() && !chars[i + 1].is_whitespace();
        if negated {
            i += 1;
        }
        if chars[i] == '"' {
            let (text, next) = quoted(&chars, i, query)?;
            i = next;
            if !text.trim().is_empty() {
                out.clauses.push(Clause::Phrase { text: text.trim().to_string(), negated });
            }
            continue;
        }
        // A bare token up to whitespace; it may be name:value or name:"quoted value".
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != ':' && chars[i] != '"' {
            i += 1;
        }
        let name: String = chars[start..i].iter().collect();
        let lname = name.to_lowercase();
        if i < chars.len() && chars[i] == ':' && FILTER_NAMES.contains(&lname.as_str()) {
            i += 1;
            let value = if i < chars.len() && chars[i] == '"' {
                let (v, next) = quoted(&chars, i, query)?;
                i = next;
                v
            } else {
                let vs = i;
                while i < chars.len() && !chars[i].is_whitespace() {
                    i += 1;
                }
                chars[vs..i].iter().collect()
            };
            let value = value.trim().to_string();
            if value.is_empty() {
                return Err(err(query, format!("{lname}: needs a value, e.g. {}", example(&lname))));
            }
            apply_filter(&mut out, &lname, &value, negated, query)?;
            continue;
        }
        // Plain word (with anything up to the next whitespace, colons included).
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '"' {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        let word = word.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
        if !word.is_empty() {
            out.clauses.push(Clause::Word { text: word, negated });
        }
    }
    if let (Some(a), Some(b)) = (out.after, out.before) {
        if a > b {
            return Err(err(query, format!("after:{a} is later than before:{b}, so nothing can match")));
        }
    }
    Ok(out)
}

fn example(name: &str) -> &'static str {
    match name {
        "severity" => "severity:SEV1",
        "status" => "status:final",
        "service" => "service:payments",
        "category" => "category:\"config change\"",
        "tag" => "tag:database",
        "owner" => "owner:alice",
        "after" => "after:2025-01-01",
        _ => "before:2025-06-30",
    }
}

/// Reads a quoted string starting at `chars[at] == '"'`; returns it and the index after it.
fn quoted(chars: &[char], at: usize, query: &str) -> Result<(String, usize)> {
    let mut j = at + 1;
    while j < chars.len() && chars[j] != '"' {
        j += 1;
    }
    if j >= chars.len() {
        return Err(err(query, format!("the quote at column {} is never closed; add a closing \"", at + 1)));
    }
    Ok((chars[at + 1..j].iter().collect(), j + 1))
}

fn apply_filter(out: &mut ParsedQuery, name: &str, value: &str, negated: bool, query: &str) -> Result<()> {
    let filter = match name {
        "severity" => {
            Filter::Severity(Severity::parse(value).ok_or_else(|| {
                err(query, format!("severity:{value} is not a severity; use SEV1, SEV2, SEV3 or SEV4"))
            })?)
        }
        "status" => Filter::Status(
            ReviewStatus::parse(value)
                .ok_or_else(|| err(query, format!("status:{value} is not a status; use draft, in_review or final")))?,
        ),
        "service" => Filter::Service(value.to_string()),
        "category" => Filter::Category(value.to_string()),
        "tag" => Filter::Tag(value.to_string()),
        "owner" => Filter::Owner(value.to_string()),
        "after" | "before" => {
            if negated {
                return Err(err(query, format!("-{name}: cannot be negated; use the other bound instead")));
            }
            let day = NaiveDate::parse_from_str(value, "%Y-%m-%d")
                .map_err(|_| err(query, format!("{name}:{value} is not a date; write it as {}", example(name))))?;
            if name == "after" {
                out.after = Some(day);
            } else {
                out.before = Some(day);
            }
            return Ok(());
        }
        _ => unreachable!("only FILTER_NAMES reach here"),
    };
    out.clauses.push(Clause::Filter { filter, negated });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn words(q: &ParsedQuery) -> Vec<(&str, bool)> {
        q.clauses
            .iter()
            .filter_map(|c| match c {
                Clause::Word { text, negated } => Some((text.as_str(), *negated)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn free_words_phrases_and_exclusions() {
        let q = parse(r#"disk "connection pool" -cdn -"read replica""#).unwrap();
        assert_eq!(words(&q), vec![("disk", false), ("cdn", true)]);
        assert!(q.clauses.contains(&Clause::Phrase { text: "connection pool".into(), negated: false }));
        assert!(q.clauses.contains(&Clause::Phrase { text: "read replica".into(), negated: true }));
        assert_eq!(q.positive_text(), vec!["disk", "connection pool"]);
    }

    #[test]
    fn filters_and_dates() {
        let q = parse(r#"severity:sev1 status:final service:payments category:"config change" owner:alice tag:db after:2025-01-01 before:2025-06-30"#).unwrap();
        assert!(q.clauses.contains(&Clause::Filter { filter: Filter::Severity(Severity::Sev1), negated: false }));
        assert!(q.clauses.contains(&Clause::Filter { filter: Filter::Status(ReviewStatus::Final), negated: false }));
        assert!(q
            .clauses
            .contains(&Clause::Filter { filter: Filter::Category("config change".into()), negated: false }));
        assert!(q.clauses.contains(&Clause::Filter { filter: Filter::Owner("alice".into()), negated: false }));
        assert_eq!(q.after, NaiveDate::from_ymd_opt(2025, 1, 1));
        assert_eq!(q.before, NaiveDate::from_ymd_opt(2025, 6, 30));
        let q = parse("-service:cdn").unwrap();
        assert_eq!(q.clauses, vec![Clause::Filter { filter: Filter::Service("cdn".into()), negated: true }]);
    }

    #[test]
    fn unknown_names_before_a_colon_are_plain_text() {
        let q = parse("error:500 http://x").unwrap();
        assert_eq!(words(&q), vec![("error:500", false), ("http://x", false)]);
    }

    #[test]
    fn helpful_errors() {
        let e = parse(r#"disk "full"#).unwrap_err().to_string();
        assert!(e.contains("never closed"), "{e}");
        let e = parse("severity:SEV9").unwrap_err().to_string();
        assert!(e.contains("SEV1, SEV2, SEV3 or SEV4"), "{e}");
        let e = parse("after:yesterday").unwrap_err().to_string();
        assert!(e.contains("after:2025-01-01"), "{e}");
        let e = parse("after:2025-06-01 before:2025-01-01").unwrap_err().to_string();
        assert!(e.contains("nothing can match"), "{e}");
        let e = parse("owner:").unwrap_err().to_string();
        assert!(e.contains("needs a value"), "{e}");
    }

    #[test]
    fn a_lone_dash_and_punctuation_are_ignored() {
        assert_eq!(parse(" - ... ").unwrap(), ParsedQuery::default());
        assert_eq!(parse("").unwrap(), ParsedQuery::default());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Any input either parses or gets a parse error: never a panic.
        #[test]
        fn parsing_never_panics(q in "\\PC{0,60}") {
            if let Err(e) = parse(&q) {
                prop_assert_eq!(e.code(), "parse");
            }
        }

        /// Queries built from the grammar's own pieces always parse.
        #[test]
        fn grammatical_queries_parse(parts in proptest::collection::vec(prop_oneof![
            "[a-z]{1,10}",
            "\"[a-z ]{1,20}\"",
            "-[a-z]{2,8}",
            Just("severity:SEV2".to_string()),
            Just("status:draft".to_string()),
            "service:[a-z-]{1,12}",
            "owner:\"[a-z]{1,8} [a-z]{1,8}\"",
            Just("after:2025-02-03".to_string()),
        ], 0..8)) {
            let q = parts.join(" ");
            prop_assert!(parse(&q).is_ok(), "{}", q);
        }
    }
}

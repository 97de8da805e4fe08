//! Anonymized exports: every person in a postmortem replaced by a label, so a review can be
//! shared outside the team without naming anyone.
//!
//! One [`Anonymizer`] lives for one export and keeps its labels consistent across it.
//!
//! - **Labels.** Inside a postmortem a person is named by their role in it: "incident
//!   commander" (the commander field), else the role they played as a participant, lower case
//!   ("scribe", "responder"), else "author", "reviewer", "owner" (an action-item owner with no
//!   other role). A role several people share is numbered in the order the postmortem lists
//!   them ("responder 1", "responder 2"); a role only one person has is not. A participant's
//!   role that itself names someone, or is longer than a short label, becomes "participant".
//!   Anyone else (named in the text but with no role in the postmortem, and every name in
//!   lists that span postmortems, see [`Anonymizer::person`]) gets an export-wide label:
//!   "Person A", "Person B", ... "Person Z", "Person AA", in the order they are first met.
//!   Letters, not initials: real initials would re-identify people in a small team.
//! - **Sameness.** Names are the same person when they are equal trimmed and in lower case.
//! - **Free text.** Replaced are: e-mail addresses; `@handles` (except `@here`, `@channel`,
//!   `@everyone`, `@all`); known people's full names, as whole words in any case; each
//!   capitalised part of three or more letters of a known name ("Dana", "Okafor"), as a whole
//!   word in that case; and the names the blameless coach recognises
//!   ([`crate::review::language::name_spans`]), which catches given names nobody listed
//!   ("Kenji restarted the pod"). A handle or an address is that known person's when its
//!   pieces are their name's parts (`@dana`, `dana.okafor@…`, `dokafor@…`). A possessive
//!   keeps its "'s". The label is capitalised at the start of a sentence, and inside a web or
//!   `mailto:` address it is written as one word ("responder-1") so the link stays a link.
//!   Replacing is over-eager on purpose: a capitalised word that is also a name part is
//!   replaced even where it means something else.
//! - **Untouched.** Ids, dates, times, numbers, services, categories, cause types, templates,
//!   tracker links and the document's taxonomy. The result is still a valid postmortem.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use crate::model::validate::MAX_TITLE;
use crate::model::{FishboneCause, Postmortem};
use crate::review::language::{name_spans, people_of};

/// Handles that address a channel, not a person.
const BROADCAST_HANDLES: [&str; 4] = ["@here", "@channel", "@everyone", "@all"];

/// Words the coach's gazetteer also knows as given names ("On 16 September a partner
/// launched..."), never a person in a postmortem.
const CALENDAR_WORDS: &str = "january february march april may june july august september october november \
                              december monday tuesday wednesday thursday friday saturday sunday";

/// A participant role longer than this (in characters) is a description, not a label.
const MAX_ROLE_LABEL: usize = 40;

/// Replaces people by labels across one export. See the module documentation for the rules.
#[derive(Debug, Default)]
pub struct Anonymizer {
    /// Known people's names as first given, trimmed.
    people: Vec<String>,
    /// Index into `people` by [`key`].
    by_key: HashMap<String, usize>,
    /// Names of two or more words, by their first word in lower case: the words in lower
    /// case and the person; longest first.
    full_names: HashMap<String, Vec<(Vec<String>, usize)>>,
    /// Single words that name people, case-sensitive: capitalised name parts of three or more
    /// letters, and names of one word.
    words: HashMap<String, Vec<usize>>,
    /// Every name part in lower case, for reading handles and e-mail addresses.
    lower_parts: HashMap<String, Vec<usize>>,
    /// Name parts run together, for handles and addresses: "danaokafor", "dokafor", "danao".
    joined: HashMap<String, Vec<usize>>,
    /// Export-wide labels by [`key`].
    labels: HashMap<String, String>,
}

/// Who a mention in free text is.
#[derive(Debug, Clone)]
enum Who {
    /// One of these known people: the first that has a role in the postmortem, else the
    /// first.
    Known(Vec<usize>),
    /// Someone nobody listed, by the key of their export-wide label.
    Other(String),
}

/// A person mentioned in free text, by byte range.
#[derive(Debug)]
struct Mention {
    range: Range<usize>,
    who: Who,
}

/// The labels of one postmortem.
#[derive(Debug, Default)]
struct Scope {
    /// Role labels by [`key`].
    roles: HashMap<String, String>,
    /// The postmortem's people, for the coach's name detection.
    people: Vec<String>,
}

/// The key that makes two spellings of a name the same person.
fn key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Letters, digits and combining accents: what a word of a name is made of.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c)
}

/// The byte ranges of the words of `text`.
fn word_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (b, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(b),
            (false, Some(s)) => {
                out.push(s..b);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

/// A part of a name that is matched on its own: capitalised, three letters or more, and not
/// an acronym ("SRE").
fn is_name_part(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 3
        && word.chars().next().is_some_and(char::is_uppercase)
        && !word.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase)
}

/// What may stand between the words of a full name in free text: "Dana Okafor",
/// "Jean-Luc", "O'Brien", "J. Smith".
fn is_name_gap(gap: &str) -> bool {
    !gap.is_empty()
        && gap.chars().count() <= 3
        && gap.chars().all(|c| matches!(c, ' ' | '\t' | '\u{a0}' | '-' | '\'' | '’' | '.'))
}

fn email_regex() -> &'static Regex {
    static EMAIL: OnceLock<Regex> = OnceLock::new();
    EMAIL.get_or_init(|| {
        Regex::new(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}").expect("the e-mail pattern compiles")
    })
}

/// The `@handles` of `text`: `@` after no word character, then word characters, dots and
/// dashes, not ending on a dot or a dash.
fn handles(text: &str) -> Vec<Range<usize>> {
    let handle_char = |c: char| is_word_char(c) || matches!(c, '_' | '.' | '-');
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        let after_word = text[..at].chars().next_back().is_some_and(|c| handle_char(c) || c == '+' || c == '%');
        let rest = &text[at + 1..];
        if after_word || !rest.chars().next().is_some_and(|c| is_word_char(c) || c == '_') {
            continue;
        }
        let len = rest.find(|c: char| !handle_char(c)).unwrap_or(rest.len());
        let body = rest[..len].trim_end_matches(['.', '-']);
        out.push(at..at + 1 + body.len());
    }
    out
}

/// "Person A" ... "Person Z", "Person AA", "Person AB" ...: the `n`th export-wide label,
/// from 0.
fn person_label(n: usize) -> String {
    let mut letters = Vec::new();
    let mut n = n + 1;
    while n > 0 {
        n -= 1;
        letters.push(char::from(b'A' + (n % 26) as u8));
        n /= 26;
    }
    letters.reverse();
    format!("Person {}", letters.into_iter().collect::<String>())
}

/// How far back from a mention its context is read, in bytes: enough for any line opener
/// or address, and it keeps a long text with many names linear.
const CONTEXT: usize = 512;

/// The up to [`CONTEXT`] bytes of `text` before byte `at`, from a character boundary.
fn context_before(text: &str, at: usize) -> &str {
    let mut from = at.saturating_sub(CONTEXT);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    &text[from..at]
}

/// Whether byte `at` of `text` starts a sentence: the start of a line (after any list,
/// quote or heading marks) or of the text, or after a full stop, question or exclamation
/// mark and a space.
fn starts_sentence(text: &str, at: usize) -> bool {
    let context = context_before(text, at);
    let line = context.rsplit('\n').next().unwrap_or("");
    let markup = |c: char| c.is_whitespace() || "*_\"“‘'([>#-+|`".contains(c);
    let before = line.trim_end_matches(markup);
    if before.is_empty()
        || (before.ends_with(['.', ')']) && before[..before.len() - 1].bytes().all(|b| b.is_ascii_digit()))
    {
        return true;
    }
    before.ends_with(['.', '!', '?']) && line[before.len()..].starts_with(char::is_whitespace)
}

/// Whether byte range `r` of `text` is inside a web or mail address, where a label with a
/// space would break the link.
fn in_address(text: &str, r: &Range<usize>) -> bool {
    let context = context_before(text, r.start);
    let word = context.rsplit(char::is_whitespace).next().unwrap_or("");
    ["](", "://", "mailto:", "www."].iter().any(|s| word.contains(s))
}

fn capitalised(label: &str) -> String {
    let mut chars = label.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

/// The mentions found so far, by where they start; they do not overlap.
#[derive(Debug, Default)]
struct Claims(BTreeMap<usize, Mention>);

impl Claims {
    /// The mentions that overlap `range`, in order.
    fn overlapping(&self, range: &Range<usize>) -> impl Iterator<Item = &Mention> {
        let before = self.0.range(..range.start).next_back().map(|(_, m)| m).filter(|m| m.range.end > range.start);
        before.into_iter().chain(self.0.range(range.clone()).map(|(_, m)| m))
    }

    /// Adds `range` unless it overlaps a mention already found; says whether it did.
    fn claim(&mut self, range: Range<usize>, who: Who) -> bool {
        if range.is_empty() || self.overlapping(&range).next().is_some() {
            return false;
        }
        self.0.insert(range.start, Mention { range, who });
        true
    }

    /// The parts of `range` no mention covers.
    fn uncovered(&self, range: Range<usize>) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut at = range.start;
        for m in self.overlapping(&range) {
            if m.range.start > at {
                out.push(at..m.range.start);
            }
            at = at.max(m.range.end);
        }
        if at < range.end {
            out.push(at..range.end);
        }
        out
    }
}

fn add(map: &mut HashMap<String, Vec<usize>>, word: String, person: usize) {
    let people = map.entry(word).or_default();
    if !people.contains(&person) {
        people.push(person);
    }
}

impl Anonymizer {
    /// An anonymizer for one export that knows `known_people` (the library's people: authors,
    /// commanders, reviewers, participants, owners). The people of each postmortem it is
    /// given are learned as it goes, but only a person known before a text is read is found
    /// by their name parts in it, so give everyone up front.
    pub fn new(known_people: impl IntoIterator<Item = String>) -> Anonymizer {
        let mut a = Anonymizer::default();
        for name in known_people {
            a.learn(&name);
        }
        a
    }

    /// Whether `word`, in lower case, is a known person's name part or the stem of one
    /// ("okafor", "jone" of "Jones"): for word lists such as a family's shared words, which
    /// are lower-cased and stemmed, so the name detection of [`Anonymizer::text`] misses them.
    pub fn is_name_word(&self, word: &str) -> bool {
        let word = word.trim().to_lowercase();
        word.chars().count() >= 3
            && (self.lower_parts.contains_key(&word)
                || (word.chars().count() >= 4 && self.lower_parts.keys().any(|p| p.starts_with(&word))))
    }

    /// The export-wide label of `name` ("Person A"): the same for the same name (trimmed, in
    /// any case) throughout the export. For lists that span postmortems, such as overdue
    /// action items by owner.
    pub fn person(&mut self, name: &str) -> String {
        let n = self.labels.len();
        self.labels.entry(key(name)).or_insert_with(|| person_label(n)).clone()
    }

    /// `text` with every person in it replaced by their export-wide label: for free text that
    /// belongs to no one postmortem.
    pub fn text(&mut self, text: &str) -> String {
        self.rewrite(text, &Scope::default())
    }

    /// A copy of `pm` with every person replaced by their label: in the people fields, the
    /// status history, and all free text (title, sections, timeline, 5 whys, fishbones,
    /// contributing factors, action items, data impact, tags).
    pub fn postmortem(&mut self, pm: &Postmortem) -> Postmortem {
        let scope = self.scope(pm);
        let mut out = pm.clone();
        out.title = self.rewrite(&pm.title, &scope);
        if out.title.chars().count() > MAX_TITLE {
            // A label can be longer than the name it replaces; the copy must still be valid.
            out.title = out.title.chars().take(MAX_TITLE - 1).chain(['…']).collect();
        }
        out.authors = pm.authors.iter().map(|n| self.named(n, &scope)).collect();
        out.incident_commander = pm.incident_commander.as_deref().map(|n| self.named(n, &scope));
        out.reviewers = pm.reviewers.iter().map(|n| self.named(n, &scope)).collect();
        for p in &mut out.participants {
            p.name = self.named(&p.name, &scope);
            p.role = self.rewrite(&p.role, &scope);
        }
        for c in &mut out.status_history {
            c.by = self.named(&c.by, &scope);
        }
        // A team library's conflicts hold whole versions of fields, and their authors: an
        // anonymized copy leaves them out (the fields keep the version they hold).
        out.conflicts.clear();
        // Two tags can become one label ("Dana", "Okafor"); tags must stay distinct.
        let mut tags = HashSet::new();
        out.tags = pm.tags.iter().map(|t| self.rewrite(t, &scope)).filter(|t| tags.insert(key(t))).collect();
        out.data_impact = pm.data_impact.as_deref().map(|t| self.rewrite(t, &scope));
        for s in &mut out.sections {
            s.heading = self.rewrite(&s.heading, &scope);
            s.body = self.rewrite(&s.body, &scope);
        }
        for e in &mut out.timeline {
            e.text = self.rewrite(&e.text, &scope);
        }
        for chain in &mut out.whys {
            chain.problem = self.rewrite(&chain.problem, &scope);
            for s in &mut chain.steps {
                s.question = self.rewrite(&s.question, &scope);
                s.answer = self.rewrite(&s.answer, &scope);
            }
        }
        for f in &mut out.fishbones {
            f.effect = self.rewrite(&f.effect, &scope);
            for c in &mut f.categories {
                c.name = self.rewrite(&c.name, &scope);
                self.causes(&mut c.causes, &scope);
            }
        }
        for f in &mut out.contributing_factors {
            f.text = self.rewrite(&f.text, &scope);
        }
        for a in &mut out.action_items {
            a.owner = a.owner.as_deref().map(|n| self.named(n, &scope));
            a.title = self.rewrite(&a.title, &scope);
            a.description = self.rewrite(&a.description, &scope);
            a.wont_do_reason = a.wont_do_reason.as_deref().map(|t| self.rewrite(t, &scope));
        }
        out
    }

    fn causes(&mut self, causes: &mut [FishboneCause], scope: &Scope) {
        for c in causes {
            c.text = self.rewrite(&c.text, scope);
            self.causes(&mut c.children, scope);
        }
    }

    /// Adds `name` to the known people (once); returns its index.
    fn learn(&mut self, name: &str) -> Option<usize> {
        let k = key(name);
        if k.is_empty() {
            return None;
        }
        if let Some(&i) = self.by_key.get(&k) {
            return Some(i);
        }
        let i = self.people.len();
        let name = name.trim();
        self.people.push(name.to_string());
        self.by_key.insert(k, i);
        let words: Vec<&str> = word_ranges(name).into_iter().map(|r| &name[r]).collect();
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        if words.len() >= 2 {
            let same_first = self.full_names.entry(lower[0].clone()).or_default();
            same_first.push((lower.clone(), i));
            same_first.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
            for w in words.iter().filter(|w| is_name_part(w)) {
                add(&mut self.words, w.to_string(), i);
            }
            let initial = |w: &str| w.chars().next().map(String::from).unwrap_or_default();
            let (first, last) = (&lower[0], &lower[lower.len() - 1]);
            for alias in [lower.concat(), initial(first) + last, first.clone() + &initial(last)] {
                add(&mut self.joined, alias, i);
            }
        } else if words.len() == 1 && words[0] == name && name.chars().count() >= 2 {
            add(&mut self.words, name.to_string(), i);
        }
        for w in lower.into_iter().filter(|w| w.chars().count() >= 2) {
            add(&mut self.lower_parts, w, i);
        }
        Some(i)
    }

    /// The labels of `pm`'s people; learns them first.
    fn scope(&mut self, pm: &Postmortem) -> Scope {
        let people = people_of(pm);
        for name in people.iter().chain(pm.status_history.iter().map(|c| &c.by)) {
            self.learn(name);
        }
        // Each person's first role in this order is theirs.
        let mut held: Vec<(String, String)> = Vec::new();
        let mut hold = |name: &str, role: String| {
            let k = key(name);
            if !k.is_empty() && !held.iter().any(|(h, _)| *h == k) {
                held.push((k, role));
            }
        };
        if let Some(ic) = &pm.incident_commander {
            hold(ic, "incident commander".into());
        }
        for p in &pm.participants {
            hold(&p.name, self.role_label(&p.role));
        }
        for a in &pm.authors {
            hold(a, "author".into());
        }
        for r in &pm.reviewers {
            hold(r, "reviewer".into());
        }
        for o in pm.action_items.iter().filter_map(|a| a.owner.as_deref()) {
            hold(o, "owner".into());
        }
        let mut sharing: HashMap<&str, usize> = HashMap::new();
        for (_, role) in &held {
            *sharing.entry(role.as_str()).or_default() += 1;
        }
        let mut used: HashSet<String> = HashSet::new();
        let mut numbered: HashMap<&str, usize> = HashMap::new();
        let mut roles = HashMap::new();
        for (k, role) in &held {
            let mut label = role.clone();
            if sharing[role.as_str()] > 1 || used.contains(&label) {
                let n = numbered.entry(role.as_str()).or_default();
                loop {
                    *n += 1;
                    label = format!("{role} {n}");
                    if !used.contains(&label) {
                        break;
                    }
                }
            }
            used.insert(label.clone());
            roles.insert(k.clone(), label);
        }
        Scope { roles, people }
    }

    /// A participant's role as a label: lower case, letters, digits, dashes and apostrophes;
    /// "participant" when it is empty, long, or names someone.
    fn role_label(&self, role: &str) -> String {
        let lower: String = role
            .to_lowercase()
            .chars()
            .map(|c| if is_word_char(c) || matches!(c, '-' | '\'') { c } else { ' ' })
            .collect();
        let label = lower.split_whitespace().collect::<Vec<_>>().join(" ");
        let names_someone = !self.mentions(role, &[]).is_empty()
            || label.split([' ', '-', '\'']).any(|w| w.chars().count() >= 3 && self.lower_parts.contains_key(w));
        if label.is_empty() || label.chars().count() > MAX_ROLE_LABEL || names_someone {
            "participant".into()
        } else {
            label
        }
    }

    /// The label of a name in a people field of the postmortem `scope` describes.
    fn named(&mut self, name: &str, scope: &Scope) -> String {
        match scope.roles.get(&key(name)) {
            Some(label) => label.clone(),
            None => self.person(name),
        }
    }

    fn label(&mut self, who: &Who, scope: &Scope) -> String {
        match who {
            Who::Known(candidates) => {
                let in_scope = candidates.iter().find_map(|&i| scope.roles.get(&key(&self.people[i])));
                match (in_scope, candidates.first()) {
                    (Some(label), _) => label.clone(),
                    (None, Some(&i)) => self.person(&self.people[i].clone()),
                    (None, None) => self.person(""),
                }
            }
            Who::Other(k) => self.person(k),
        }
    }

    /// `text` with its mentions replaced by their labels.
    fn rewrite(&mut self, text: &str, scope: &Scope) -> String {
        let mentions = self.mentions(text, &scope.people);
        if mentions.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len() + 16 * mentions.len());
        let mut at = 0;
        for m in mentions {
            out.push_str(&text[at..m.range.start]);
            let label = self.label(&m.who, scope);
            // In an address a label is one word, so the link stays a link; at the start of a
            // sentence it is capitalised, unless the text is only the name (a tag, a bone).
            if in_address(text, &m.range) {
                out.push_str(&label.to_lowercase().replace(' ', "-"));
            } else if starts_sentence(text, m.range.start) && text.trim() != &text[m.range.clone()] {
                out.push_str(&capitalised(&label));
            } else {
                out.push_str(&label);
            }
            at = m.range.end;
        }
        out.push_str(&text[at..]);
        out
    }

    /// Every person mentioned in `text`, in order: e-mail addresses first, then handles, full
    /// names, the names the coach sees, and lone name parts.
    fn mentions(&self, text: &str, people: &[String]) -> Vec<Mention> {
        let mut claims = Claims::default();
        for m in email_regex().find_iter(text) {
            let local = m.as_str().split('@').next().unwrap_or("");
            let local = local.split('+').next().unwrap_or(local);
            let mut range = m.range();
            // "<dana@example.com>" is a Markdown autolink; "<responder 1>" would read as an
            // HTML tag, so the brackets go with the address.
            if text[..range.start].ends_with('<') && text[range.end..].starts_with('>') {
                range = range.start - 1..range.end + 1;
            }
            claims.claim(range, self.identify(local, m.as_str()));
        }
        for range in handles(text) {
            let handle = &text[range.clone()];
            if !BROADCAST_HANDLES.iter().any(|b| b.eq_ignore_ascii_case(handle)) {
                let who = self.identify(&handle[1..], handle);
                claims.claim(range, who);
            }
        }
        let words = word_ranges(text);
        self.full_names(text, &words, &mut claims);
        let calendar =
            |span: &Range<usize>| CALENDAR_WORDS.split_whitespace().any(|w| text[span.clone()].eq_ignore_ascii_case(w));
        for span in name_spans(text, people).into_iter().filter(|s| !calendar(s)) {
            // A name run on from a known one ("Kenji Dana Okafor"): its other words still go.
            for piece in claims.uncovered(span) {
                let inner = &text[piece.clone()];
                let Some(first) = inner.find(is_word_char) else { continue };
                let last = inner
                    .rfind(is_word_char)
                    .map_or(inner.len(), |b| b + inner[b..].chars().next().map_or(0, char::len_utf8));
                let piece = piece.start + first..piece.start + last;
                let who = self.who_is(&text[piece.clone()]);
                claims.claim(piece, who);
            }
        }
        for w in words {
            if let Some(people) = self.words.get(&text[w.clone()]) {
                claims.claim(w, Who::Known(people.clone()));
            } else if text[w.end..].starts_with(':') && text[w.clone()].chars().count() >= 3 {
                // A speaker in a pasted chat log, in lower case: "dana: rolling back". Only
                // before a colon, where a lower-case name part is a name, not a word.
                if let Some(people) = self.lower_parts.get(&text[w.clone()].to_lowercase()) {
                    claims.claim(w, Who::Known(people.clone()));
                }
            }
        }
        claims.0.into_values().collect()
    }

    /// Claims the known full names among `words` of `text`, longest first.
    fn full_names(&self, text: &str, words: &[Range<usize>], claims: &mut Claims) {
        if self.full_names.is_empty() {
            return;
        }
        let lower: Vec<String> = words.iter().map(|r| text[r.clone()].to_lowercase()).collect();
        let mut w = 0;
        while w < words.len() {
            let mut next = w + 1;
            for (name, person) in self.full_names.get(&lower[w]).into_iter().flatten() {
                let end = w + name.len();
                let matches = end <= words.len()
                    && name.iter().zip(&lower[w..end]).all(|(a, b)| a == b)
                    && (w + 1..end).all(|j| is_name_gap(&text[words[j - 1].end..words[j].start]));
                if matches && claims.claim(words[w].start..words[end - 1].end, Who::Known(vec![*person])) {
                    next = end;
                    break;
                }
            }
            w = next;
        }
    }

    /// Who a name the coach found is: the known person every word of it names, else someone
    /// nobody listed.
    fn who_is(&self, name: &str) -> Who {
        let mut candidates: Option<Vec<usize>> = None;
        for w in word_ranges(name) {
            let people = self.words.get(&name[w]).cloned().unwrap_or_default();
            candidates = Some(match candidates {
                None => people,
                Some(c) => c.into_iter().filter(|p| people.contains(p)).collect(),
            });
        }
        match candidates {
            Some(c) if !c.is_empty() => Who::Known(c),
            _ => Who::Other(key(name)),
        }
    }

    /// Who a handle or e-mail address is, from `id` (the handle without its `@`, or the
    /// address's local part): a known person whose name or name parts it spells, else someone
    /// nobody listed, by the whole of it (`whole`).
    fn identify(&self, id: &str, whole: &str) -> Who {
        if let Some(&i) = self.by_key.get(&key(whole)) {
            return Who::Known(vec![i]);
        }
        let lower = id.to_lowercase();
        let pieces: Vec<&str> = lower.split(|c: char| !is_word_char(c)).filter(|p| !p.is_empty()).collect();
        let mut candidates: Vec<usize> = Vec::new();
        if let Some(first) = pieces.first() {
            for &i in self.lower_parts.get(*first).into_iter().flatten() {
                if pieces.iter().all(|p| self.lower_parts.get(*p).is_some_and(|l| l.contains(&i))) {
                    candidates.push(i);
                }
            }
        }
        for &i in self.joined.get(&pieces.concat()).into_iter().flatten() {
            if !candidates.contains(&i) {
                candidates.push(i);
            }
        }
        if candidates.is_empty() {
            Who::Other(key(whole))
        } else {
            Who::Known(candidates)
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_lower_case_speaker_in_a_chat_log_is_a_person() {
        let mut a = Anonymizer::new(["Dana Okafor".to_string()]);
        let out = a.text("dana: rolling back now\nokafor: ack, the pool will drain");
        assert!(!out.to_lowercase().contains("dana") && !out.to_lowercase().contains("okafor"), "{out}");
        assert!(out.contains("rolling back now") && out.contains("the pool will drain"), "{out}");
    }

    #[test]
    fn lower_case_stems_of_names_are_recognised_in_word_lists() {
        let a = Anonymizer::new(["Dana Okafor".to_string(), "Priya Jones".to_string()]);
        assert!(a.is_name_word("okafor") && a.is_name_word("dana") && a.is_name_word("jone"));
        assert!(!a.is_name_word("pool") && !a.is_name_word("da") && !a.is_name_word("timeout"));
    }
    use crate::clock::{new_id, now, today};
    use crate::model::*;
    use crate::review::templates;

    fn item(title: &str, owner: Option<&str>) -> ActionItem {
        ActionItem {
            id: new_id(),
            title: title.into(),
            description: String::new(),
            owner: owner.map(String::from),
            due_date: None,
            priority: Priority::P2,
            kind: ActionKind::Prevent,
            status: ActionStatus::Open,
            wont_do_reason: None,
            tracker_url: None,
            created_at: now(),
            completed_at: None,
            source_step_id: None,
            source_factor_id: None,
        }
    }

    fn participant(name: &str, role: &str) -> Participant {
        Participant { name: name.into(), role: role.into() }
    }

    /// A postmortem with people in every role: Elena Petrova commands, Dana Okafor and Marcus
    /// Chen respond (Dana also wrote it), Grace Kim is the scribe, Priya Raman reviews, and
    /// Hugo Martin only owns an action item.
    fn incident() -> Postmortem {
        let at = now();
        let mut pm = Postmortem::from_template(
            "Checkout 502s while Dana Okafor was on call",
            Severity::Sev2,
            at.date_naive(),
            &templates::standard(),
            at,
        );
        pm.incident_commander = Some("Elena Petrova".into());
        pm.participants = vec![
            participant("Elena Petrova", "Incident Commander"),
            participant("Dana Okafor", "Responder"),
            participant("Marcus Chen", "responder"),
            participant("Grace Kim", "scribe"),
        ];
        pm.authors = vec!["dana okafor ".into()];
        pm.reviewers = vec!["Priya Raman".into()];
        pm.services = vec!["payments-api".into()];
        pm.categories = vec!["config change".into()];
        pm.action_items = vec![
            item("Add a pool-wait alert", Some("Hugo Martin")),
            item("Document the rollback", Some("Marcus Chen")),
        ];
        pm.status_history =
            vec![StatusChange { from: ReviewStatus::Draft, to: ReviewStatus::InReview, by: "Priya Raman".into(), at }];
        pm
    }

    fn known() -> Vec<String> {
        ["Elena Petrova", "Dana Okafor", "Marcus Chen", "Grace Kim", "Priya Raman", "Hugo Martin", "Lukas Novak"]
            .map(String::from)
            .to_vec()
    }

    /// `pm` with its summary set to `text`, anonymized; the summary as it comes out.
    fn summary(a: &mut Anonymizer, pm: &Postmortem, text: &str) -> String {
        let mut pm = pm.clone();
        pm.sections[0].body = text.into();
        a.postmortem(&pm).sections[0].body.clone()
    }

    #[test]
    fn people_get_their_role_in_the_postmortem_numbered_when_shared() {
        let mut a = Anonymizer::new(known());
        let out = a.postmortem(&incident());
        assert_eq!(out.incident_commander.as_deref(), Some("incident commander"));
        let names: Vec<(&str, &str)> = out.participants.iter().map(|p| (p.name.as_str(), p.role.as_str())).collect();
        assert_eq!(
            names,
            [
                ("incident commander", "Incident Commander"),
                ("responder 1", "Responder"),
                ("responder 2", "responder"),
                ("scribe", "scribe")
            ]
        );
        // The author is responder 1 too: one person, one label, whatever the spelling.
        assert_eq!(out.authors, ["responder 1"]);
        assert_eq!(out.reviewers, ["reviewer"]);
        assert_eq!(
            out.action_items.iter().map(|i| i.owner.as_deref().unwrap()).collect::<Vec<_>>(),
            ["owner", "responder 2"]
        );
        assert_eq!(out.status_history[0].by, "reviewer");
        assert_eq!(out.title, "Checkout 502s while responder 1 was on call");
        out.validate(today()).unwrap();
    }

    #[test]
    fn several_owners_are_numbered_and_roles_never_collide() {
        let mut pm = incident();
        pm.participants.push(participant("Lukas Novak", "responder 1"));
        pm.action_items.push(item("Alert on it", Some("Sam Ortiz")));
        let out = Anonymizer::new(known()).postmortem(&pm);
        let labels: Vec<&str> = out.participants.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(labels, ["incident commander", "responder 1", "responder 2", "scribe", "responder 1 1"]);
        assert_eq!(out.action_items[0].owner.as_deref(), Some("owner 1"));
        assert_eq!(out.action_items[2].owner.as_deref(), Some("owner 2"));
    }

    #[test]
    fn a_role_that_names_someone_becomes_participant() {
        let mut pm = incident();
        pm.participants[3].role = "shadowing Dana".into();
        pm.participants.push(participant("Lukas Novak", "  "));
        let out = Anonymizer::new(known()).postmortem(&pm);
        assert_eq!(out.participants[3].name, "participant 1");
        assert_eq!(out.participants[3].role, "shadowing responder 1");
        assert_eq!(out.participants[4].name, "participant 2");
    }

    #[test]
    fn labels_hold_across_the_postmortems_of_one_export() {
        let mut a = Anonymizer::new(known());
        let first = summary(&mut a, &incident(), "Lukas Novak and Kenji joined later.");
        assert_eq!(first, "Person A and Person B joined later.");
        // In another postmortem Dana has no role: she gets her export-wide label, and the
        // people already labelled keep theirs.
        let mut other = incident();
        other.incident_commander = None;
        other.participants.clear();
        other.authors = vec!["Grace Kim".into()];
        let second = summary(&mut a, &other, "Dana paged Lukas, then KENJI? No: Kenji.");
        assert_eq!(second, "Person C paged Person A, then KENJI? No: Person B.");
        assert_eq!(a.person(" lukas novak"), "Person A");
        assert_eq!(a.person("Dana Okafor"), "Person C");
        assert_eq!(a.person("Someone New"), "Person D");
        // Text outside any postmortem gets only export-wide labels.
        assert_eq!(a.text("Marcus paged dana okafor"), "Person E paged Person C");
    }

    #[test]
    fn export_wide_labels_run_through_the_alphabet_and_on() {
        let labels: Vec<String> = [0, 1, 25, 26, 27, 701, 702].into_iter().map(person_label).collect();
        assert_eq!(labels, ["Person A", "Person B", "Person Z", "Person AA", "Person AB", "Person ZZ", "Person AAA"]);
    }

    #[test]
    fn e_mail_addresses_and_handles_are_people_too() {
        let mut a = Anonymizer::new(known());
        let pm = incident();
        let out = summary(
            &mut a,
            &pm,
            "Asked @dana.okafor, @dokafor and dana.okafor+alerts@example.com; cc @oncall-bot, \
             ops@example.co.uk and ops@example.co.uk. @here: v1.2@beta stays, so does @ alone.",
        );
        assert_eq!(
            out,
            "Asked responder 1, responder 1 and responder 1; cc Person A, Person B and Person B. \
             @here: v1.2@beta stays, so does @ alone."
        );
        // A handle that names two known people is the one with a role here.
        assert_eq!(summary(&mut a, &pm, "Thanks @grace."), "Thanks scribe.");
    }

    #[test]
    fn names_in_free_text_known_or_found_by_the_coach() {
        let mut a = Anonymizer::new(known());
        let pm = incident();
        assert_eq!(
            summary(&mut a, &pm, "Dana restarted the pod; Okafor paged Chen. elena petrova took over."),
            "Responder 1 restarted the pod; responder 1 paged responder 2. Incident commander took over."
        );
        // Nobody listed Kenji or Ana Souza: the coach's gazetteer finds them.
        assert_eq!(summary(&mut a, &pm, "Kenji restarted the pod"), "Person A restarted the pod");
        assert_eq!(summary(&mut a, &pm, "Then Ana Souza and Kenji"), "Then Person B and Person A");
        // Ordinary words stay: a lower-case name part, a month, a product.
        assert_eq!(
            summary(&mut a, &pm, "The grace period ended on 16 September; the Ruby client retried."),
            "The grace period ended on 16 September; the Ruby client retried."
        );
    }

    #[test]
    fn possessives_keep_their_s() {
        let mut a = Anonymizer::new(known());
        assert_eq!(
            summary(&mut a, &incident(), "It was Dana's change and Marcus Chen’s review; Kenji's pager."),
            "It was responder 1's change and responder 2’s review; Person A's pager."
        );
    }

    #[test]
    fn markdown_stays_markdown() {
        let mut a = Anonymizer::new(known());
        let text = "## Notes from Dana\n\n- **Dana Okafor** paged [Kenji](mailto:kenji@example.com)\n\
                    - Mail <dana.okafor@example.com> or see [her page](https://wiki.example.com/Dana_Okafor).\n\
                    1. Marcus Chen rolled back\n";
        let out = summary(&mut a, &incident(), text);
        assert_eq!(
            out,
            "## Notes from responder 1\n\n- **Responder 1** paged [Person A](mailto:person-b)\n\
             - Mail responder 1 or see [her page](https://wiki.example.com/responder-1_responder-1).\n\
             1. Responder 2 rolled back\n"
        );
        let html = |md: &str| {
            let mut html = String::new();
            pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(md));
            html
        };
        let (before, after) = (html(text), html(&out));
        for tag in ["<h2>", "<li>", "<strong>", "<ol>", "<ul>"] {
            assert_eq!(before.matches(tag).count(), after.matches(tag).count(), "{tag}: {after}");
        }
        // The mail autolink is plain text now; the other links are still links.
        assert_eq!(before.matches("<a href").count() - 1, after.matches("<a href").count(), "{after}");
        assert!(after.contains(r#"<a href="mailto:person-b">Person A</a>"#), "{after}");
    }

    #[test]
    fn ids_dates_services_and_categories_are_untouched() {
        let mut pm = incident();
        pm.tags = vec!["Dana".into(), "Okafor".into(), "helm".into()];
        pm.title = format!("{} Dana", "x".repeat(MAX_TITLE - 5));
        let out = Anonymizer::new(known()).postmortem(&pm);
        assert_eq!(
            (&out.id, out.incident_date, &out.services, &out.categories),
            (&pm.id, pm.incident_date, &pm.services, &pm.categories)
        );
        assert_eq!(out.created_at, pm.created_at);
        assert!(out
            .action_items
            .iter()
            .zip(&pm.action_items)
            .all(|(a, b)| a.id == b.id && a.created_at == b.created_at));
        // Two tags that become one label stay one tag; a longer title is cut to fit.
        assert_eq!(out.tags, ["responder 1", "helm"]);
        assert_eq!(out.title.chars().count(), MAX_TITLE);
        out.validate(today()).unwrap();
    }

    #[test]
    fn odd_names_and_wide_spaces_do_not_break_it() {
        // Found by the property test: a mention after a wide space ("\u{2000}" is 3 bytes).
        let odd = ["\u{2000}", "¹ꬠ", "", "@", "x@y.co", "Dana Okafor"].map(String::from);
        let mut a = Anonymizer::new(odd.clone());
        let mut pm = incident();
        pm.participants = odd.iter().map(|n| participant(n, "\u{2009}")).collect();
        let out = summary(&mut a, &pm, "\u{2000}Dana\u{2009}@dana\u{2009}¹ꬠ x@y.co");
        // A blank role is "participant"; blank names hold none.
        assert_eq!(out, "\u{2000}Participant 4\u{2009}participant 4\u{2009}participant 1 participant 3");
    }

    /// Whether `needle` occurs in `haystack` as whole words (no letter or digit on either side).
    fn has_word(haystack: &str, needle: &str) -> bool {
        haystack.match_indices(needle).any(|(at, _)| {
            let before = haystack[..at].chars().next_back();
            let after = haystack[at + needle.len()..].chars().next();
            !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        /// Any text, with a known name in it anywhere, comes out without the name (or any part
        /// of it that is matched alone) and without a panic; so do arbitrary people's names.
        #[test]
        fn free_text_never_keeps_a_known_name(
            before in "\\PC{0,40}",
            after in "\\PC{0,40}",
            which in 0..7usize,
            any_text in any::<String>(),
            odd_names in proptest::collection::vec(any::<String>(), 0..4),
        ) {
            let names = known();
            let name = &names[which];
            let mut a = Anonymizer::new(names.iter().cloned().chain(odd_names.clone()));
            let mut pm = incident();
            pm.participants.extend(odd_names.iter().map(|n| participant(n, &any_text)));
            pm.sections[0].body = format!("{before} {name} {after}");
            pm.sections[1].body = format!("{before} {name}'s {after} {}", name.to_uppercase());
            pm.title = any_text.clone();
            pm.tags = vec![any_text.clone(), odd_names.concat()];
            pm.sections[2].body = any_text.clone();
            pm.action_items[0].description = any_text.clone();
            let out = a.postmortem(&pm);
            for body in [&out.sections[0].body, &out.sections[1].body] {
                prop_assert!(!has_word(body, name), "{name} in {body:?}");
                prop_assert!(!has_word(body, &name.to_uppercase()), "{name} in {body:?}");
                for part in name.split(' ') {
                    prop_assert!(!has_word(body, part), "{part} in {body:?}");
                }
            }
            a.text(&any_text);
        }
    }
}

//! Three-way merge of a shared postmortem, field by field: what this library holds ("ours"),
//! what the repository holds ("theirs"), and the version both started from ("base").
//!
//! The merge works on the postmortem's JSON, so every field is covered without a list to
//! keep up to date:
//! - a field only one side changed takes that side's value;
//! - lists of items with ids (sections, timeline events, whys and their steps, fishbones and
//!   their causes, factors, action items) merge item by item, so two people editing different
//!   action items never clash; lists of names (services, tags, authors) merge as sets;
//! - a multi-line text both changed merges line by line when the changes do not touch;
//! - an item one side deleted and the other edited is kept (the edit wins), with a notice;
//! - anything else both changed differently is a [`FieldConflict`]: the field holds our
//!   version, and both versions are kept in the postmortem until someone chooses.

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::model::labels::{field_label, item_key, item_label};
use crate::model::{ConflictVersion, FieldConflict, Postmortem};

/// The outcome of merging one postmortem.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// The merged postmortem.
    pub postmortem: Postmortem,
    /// What the user should be told (an edit that won over a deletion).
    pub notices: Vec<String>,
    /// How many fields clashed in this merge.
    pub new_conflicts: usize,
}

/// Who wrote each side, for the conflicts' versions.
#[derive(Debug, Clone, Copy)]
pub struct Authors<'a> {
    /// This library's user.
    pub ours: &'a str,
    /// The author of the repository's version.
    pub theirs: &'a str,
}

/// Merges `ours` and `theirs` of one postmortem, from `base` (none when both sides created it
/// independently). `new_id` makes ids for new conflicts.
pub fn postmortems(
    base: Option<&Postmortem>,
    ours: &Postmortem,
    theirs: &Postmortem,
    authors: Authors,
    new_id: &mut dyn FnMut() -> String,
) -> Result<Merged> {
    let to_value = |pm: &Postmortem| serde_json::to_value(pm).map_err(|e| Error::Render(e.to_string()));
    let base_v = base.map(to_value).transpose()?;
    let (ours_v, theirs_v) = (to_value(ours)?, to_value(theirs)?);
    let mut merger = Merger { authors, clashes: vec![], notices: vec![] };
    let mut merged = Map::new();
    let (o, t) = (ours_v.as_object().expect("an object"), theirs_v.as_object().expect("an object"));
    let b = base_v.as_ref().and_then(Value::as_object);
    for key in keys(o, t) {
        let (bv, ov, tv) = (b.and_then(|b| b.get(key)), o.get(key), t.get(key));
        let value = match key {
            // Bookkeeping, never a conflict: the latest save, the first creation, every status
            // change either side recorded.
            "updated_at" => latest(ov, tv, true),
            "created_at" => latest(ov, tv, false),
            "status_history" => Some(history_union(ov, tv)),
            _ => merger.entry(bv, ov, tv, &mut vec![key.to_string()], &mut vec![field_label(key)]),
        };
        if let Some(value) = value {
            merged.insert(key.to_string(), value);
        }
    }
    let mut pm: Postmortem = serde_json::from_value(Value::Object(merged))
        .map_err(|e| Error::Render(format!("the merged postmortem did not read back: {e}")))?;
    let mut new_conflicts = 0;
    for clash in merger.clashes {
        match pm.conflicts.iter_mut().find(|c| c.path == clash.path) {
            // The field was already in conflict: one more version to choose from, and the one the
            // field now holds (ours) first.
            Some(open) => {
                for v in clash.versions {
                    if !open.versions.iter().any(|o| o.value == v.value) {
                        open.versions.push(v);
                    }
                }
                let ours = clash_ours(&open.path, &ours_v);
                if let Some(at) = open.versions.iter().position(|v| Some(&v.value) == ours.as_ref()) {
                    let shown = open.versions.remove(at);
                    open.versions.insert(0, shown);
                }
            }
            None => {
                new_conflicts += 1;
                pm.conflicts.push(FieldConflict { id: new_id(), ..clash });
            }
        }
    }
    Ok(Merged { postmortem: pm, notices: merger.notices, new_conflicts })
}

/// Our value at a conflict's path, if it is there.
fn clash_ours(path: &[String], ours: &Value) -> Option<Value> {
    let mut copy = ours.clone();
    locate(&mut copy, path).map(|v| v.clone())
}

/// Both whole versions of a postmortem kept as one conflict (path `[]`), ours shown: for a
/// merge whose field-by-field result breaks a rule.
pub fn whole_conflict(ours: &Postmortem, theirs: &Postmortem, authors: Authors, id: String) -> Result<Postmortem> {
    let bare = |pm: &Postmortem| {
        let mut pm = pm.clone();
        pm.conflicts.clear();
        serde_json::to_value(pm).map_err(|e| Error::Render(e.to_string()))
    };
    let mut pm = ours.clone();
    pm.conflicts.push(FieldConflict {
        id,
        path: vec![],
        label: "The whole postmortem (the two edits could not be merged field by field)".into(),
        versions: vec![
            ConflictVersion { by: authors.ours.to_string(), value: bare(ours)? },
            ConflictVersion { by: authors.theirs.to_string(), value: bare(theirs)? },
        ],
    });
    Ok(pm)
}

/// Merges any two JSON values from `base`: the merged value, and the labels of the fields
/// that clashed (which hold ours).
pub fn values(base: Option<&Value>, ours: &Value, theirs: &Value) -> (Value, Vec<String>) {
    let mut merger = Merger { authors: Authors { ours: "", theirs: "" }, clashes: vec![], notices: vec![] };
    let merged = merger.value(base, ours, theirs, &mut vec![], &mut vec![]);
    (merged, merger.clashes.into_iter().map(|c| c.label).collect())
}

/// `pm` with conflict `conflict_id` settled on its version `choice`: the field takes that
/// version and the conflict is gone. A field whose item was deleted since just loses the
/// conflict.
pub fn choose(pm: &Postmortem, conflict_id: &str, choice: usize) -> Result<Postmortem> {
    let conflict = pm
        .conflicts
        .iter()
        .find(|c| c.id == conflict_id)
        .ok_or_else(|| Error::NotFound { what: "conflict", id: conflict_id.to_string() })?;
    let version = conflict.versions.get(choice).ok_or_else(|| {
        Error::invalid(
            "choice",
            format!(
                "there are {} versions; choose 0 to {}",
                conflict.versions.len(),
                conflict.versions.len().saturating_sub(1)
            ),
        )
    })?;
    let mut value = serde_json::to_value(pm).map_err(|e| Error::Render(e.to_string()))?;
    if let Some(field) = locate(&mut value, &conflict.path) {
        *field = version.value.clone();
    }
    let mut chosen: Postmortem = serde_json::from_value(value)
        .map_err(|e| Error::invalid("choice", format!("that version no longer fits the field: {e}")))?;
    if conflict.path.is_empty() {
        // A whole version: the other conflicts still stand.
        chosen.conflicts = pm.conflicts.clone();
    }
    chosen.conflicts.retain(|c| c.id != conflict_id);
    Ok(chosen)
}

/// The value at `path` (object keys and list items' keys) inside `value`, if it is there.
fn locate<'v>(value: &'v mut Value, path: &[String]) -> Option<&'v mut Value> {
    let mut at = value;
    for step in path {
        at = match at {
            Value::Object(map) => map.get_mut(step)?,
            Value::Array(items) => items.iter_mut().find(|i| item_key(i).is_some_and(|k| k == step))?,
            _ => return None,
        };
    }
    Some(at)
}

struct Merger<'a> {
    authors: Authors<'a>,
    clashes: Vec<FieldConflict>,
    notices: Vec<String>,
}

impl Merger<'_> {
    /// One object entry or list item, any side possibly missing. `None`: it is gone.
    fn entry(
        &mut self,
        base: Option<&Value>,
        ours: Option<&Value>,
        theirs: Option<&Value>,
        path: &mut Vec<String>,
        label: &mut Vec<String>,
    ) -> Option<Value> {
        match (ours, theirs) {
            (Some(o), Some(t)) => Some(self.value(base, o, t, path, label)),
            (None, None) => None,
            (Some(kept), None) | (None, Some(kept)) => match base {
                // Added on one side.
                None => Some(kept.clone()),
                // Deleted on the other side, untouched here: gone.
                Some(b) if b == kept => None,
                // Deleted on one side, edited on the other: the edit wins.
                Some(_) => {
                    let side = if ours.is_some() { "in the repository" } else { "here" };
                    self.notices.push(format!(
                        "{} was deleted {side} but edited on the other side: the edit is kept",
                        label.join(": ")
                    ));
                    Some(kept.clone())
                }
            },
        }
    }

    fn value(
        &mut self,
        base: Option<&Value>,
        ours: &Value,
        theirs: &Value,
        path: &mut Vec<String>,
        label: &mut Vec<String>,
    ) -> Value {
        if ours == theirs || base == Some(theirs) {
            return ours.clone();
        }
        if base == Some(ours) {
            return theirs.clone();
        }
        match (ours, theirs) {
            (Value::Object(o), Value::Object(t)) => {
                let b = base.and_then(Value::as_object);
                let mut out = Map::new();
                for key in keys(o, t) {
                    path.push(key.to_string());
                    label.push(field_label(key));
                    if let Some(v) = self.entry(b.and_then(|b| b.get(key)), o.get(key), t.get(key), path, label) {
                        out.insert(key.to_string(), v);
                    }
                    path.pop();
                    label.pop();
                }
                Value::Object(out)
            }
            (Value::Array(o), Value::Array(t)) => {
                let b = base.and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
                let all = || b.iter().chain(o).chain(t);
                if all().all(|i| item_key(i).is_some()) {
                    Value::Array(self.items(base.and(Some(b)), o, t, path, label))
                } else if all().all(Value::is_string) {
                    Value::Array(name_set(b, o, t))
                } else {
                    self.clash(ours, theirs, path, label)
                }
            }
            (Value::String(o), Value::String(t)) if o.contains('\n') || t.contains('\n') => {
                match base.and_then(Value::as_str).map(|b| diffy::merge(b, o, t)) {
                    Some(Ok(text)) => Value::String(text),
                    _ => self.clash(ours, theirs, path, label),
                }
            }
            _ => self.clash(ours, theirs, path, label),
        }
    }

    fn clash(&mut self, ours: &Value, theirs: &Value, path: &[String], label: &[String]) -> Value {
        self.clashes.push(FieldConflict {
            id: String::new(),
            path: path.to_vec(),
            label: label.join(": "),
            versions: vec![
                ConflictVersion { by: self.authors.ours.to_string(), value: ours.clone() },
                ConflictVersion { by: self.authors.theirs.to_string(), value: theirs.clone() },
            ],
        });
        ours.clone()
    }

    /// Lists of items with keys, merged item by item. The order is the side that reordered
    /// (ours when both did), with the other side's new items after the item they follow there.
    fn items(
        &mut self,
        base: Option<&[Value]>,
        ours: &[Value],
        theirs: &[Value],
        path: &mut Vec<String>,
        label: &mut Vec<String>,
    ) -> Vec<Value> {
        let order = |list: &[Value]| list.iter().filter_map(item_key).map(str::to_string).collect::<Vec<_>>();
        let (b_keys, o_keys, t_keys) = (base.map(order).unwrap_or_default(), order(ours), order(theirs));
        let common =
            |keys: &[String], other: &[String]| keys.iter().filter(|k| other.contains(k)).cloned().collect::<Vec<_>>();
        let ours_reordered = common(&o_keys, &b_keys) != common(&b_keys, &o_keys);
        let (first, second) = if ours_reordered { (&o_keys, &t_keys) } else { (&t_keys, &o_keys) };
        let mut keys = first.clone();
        for (i, k) in second.iter().enumerate() {
            if !keys.contains(k) {
                let after = second[..i].iter().rev().find_map(|p| keys.iter().position(|x| x == p));
                keys.insert(after.map_or(0, |a| a + 1), k.clone());
            }
        }
        // Items the first side deleted come back only if the merge keeps them.
        let deleted_first: Vec<String> = b_keys.iter().filter(|k| !keys.contains(k)).cloned().collect();
        keys.extend(deleted_first);
        fn find<'v>(list: Option<&'v [Value]>, k: &str) -> Option<&'v Value> {
            list.and_then(|l| l.iter().find(|i| item_key(i) == Some(k)))
        }
        let kind = label.last().cloned().unwrap_or_default();
        let mut out = Vec::new();
        for k in keys {
            let (b, o, t) = (find(base, &k), find(Some(ours), &k), find(Some(theirs), &k));
            path.push(k.clone());
            let last = label.pop();
            label.push(item_label(&kind, o.or(t).or(b)));
            if let Some(v) = self.entry(b, o, t, path, label) {
                out.push(v);
            }
            label.pop();
            label.extend(last);
            path.pop();
        }
        out
    }
}

/// The keys of two objects: ours in order, then theirs' others.
fn keys<'m>(o: &'m Map<String, Value>, t: &'m Map<String, Value>) -> Vec<&'m str> {
    let mut keys: Vec<&str> = o.keys().map(String::as_str).collect();
    keys.extend(t.keys().map(String::as_str).filter(|k| !o.contains_key(*k)));
    keys
}

/// Of two timestamps (RFC 3339 strings), the later or the earlier.
fn latest(a: Option<&Value>, b: Option<&Value>, later: bool) -> Option<Value> {
    let time = |v: Option<&Value>| v.and_then(Value::as_str).and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok());
    let pick_a = match (time(a), time(b)) {
        (Some(x), Some(y)) => (x >= y) == later,
        (x, _) => x.is_some(),
    };
    if pick_a {
        a.cloned()
    } else {
        b.cloned()
    }
}

/// A list of names as a set: ours, without what theirs removed, with what theirs added.
/// Names compare as the library does: case-insensitively.
fn name_set(base: &[Value], ours: &[Value], theirs: &[Value]) -> Vec<Value> {
    let key = |v: &Value| v.as_str().unwrap_or_default().trim().to_lowercase();
    let has = |list: &[Value], n: &Value| list.iter().any(|x| key(x) == key(n));
    let mut out: Vec<Value> = ours.iter().filter(|n| has(theirs, n) || !has(base, n)).cloned().collect();
    for n in theirs {
        if !has(&out, n) && !has(base, n) {
            out.push(n.clone());
        }
    }
    out
}

/// Every status change either side recorded, oldest first.
fn history_union(ours: Option<&Value>, theirs: Option<&Value>) -> Value {
    let mut all: Vec<Value> = ours.and_then(Value::as_array).cloned().unwrap_or_default();
    for c in theirs.and_then(Value::as_array).into_iter().flatten() {
        if !all.contains(c) {
            all.push(c.clone());
        }
    }
    all.sort_by(|a, b| a.get("at").and_then(Value::as_str).cmp(&b.get("at").and_then(Value::as_str)));
    Value::Array(all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ActionItem, Postmortem};
    use proptest::prelude::*;

    fn sample() -> Postmortem {
        let doc = crate::exchange::sample::document(chrono::NaiveDate::from_ymd_opt(2025, 12, 1).unwrap()).unwrap();
        doc.postmortems.into_iter().find(|p| p.action_items.len() >= 2 && !p.timeline.is_empty()).unwrap()
    }

    const WHO: Authors = Authors { ours: "Ana", theirs: "Ben" };

    fn merge(base: &Postmortem, ours: &Postmortem, theirs: &Postmortem) -> Merged {
        let mut n = 0;
        postmortems(Some(base), ours, theirs, WHO, &mut || {
            n += 1;
            format!("c{n}")
        })
        .unwrap()
    }

    fn item(pm: &mut Postmortem, i: usize) -> &mut ActionItem {
        &mut pm.action_items[i]
    }

    #[test]
    fn different_fields_and_different_items_both_survive() {
        let base = sample();
        let (mut ours, mut theirs) = (base.clone(), base.clone());
        ours.title = "Checkout failed for 40 minutes".into();
        item(&mut ours, 0).owner = Some("Dana".into());
        theirs.severity = crate::model::Severity::Sev1;
        item(&mut theirs, 1).title = "Page the database on-call".into();
        theirs.tags.push("payments".into());
        let m = merge(&base, &ours, &theirs);
        assert!(m.postmortem.conflicts.is_empty(), "{:?}", m.postmortem.conflicts);
        assert_eq!(m.postmortem.title, "Checkout failed for 40 minutes");
        assert_eq!(m.postmortem.severity, crate::model::Severity::Sev1);
        assert_eq!(m.postmortem.action_items[0].owner.as_deref(), Some("Dana"));
        assert_eq!(m.postmortem.action_items[1].title, "Page the database on-call");
        assert!(m.postmortem.tags.contains(&"payments".to_string()));
    }

    #[test]
    fn the_same_field_changed_twice_keeps_both_versions_until_one_is_chosen() {
        let base = sample();
        let (mut ours, mut theirs) = (base.clone(), base.clone());
        item(&mut ours, 0).owner = Some("Dana".into());
        item(&mut theirs, 0).owner = Some("Eli".into());
        let m = merge(&base, &ours, &theirs);
        assert_eq!(m.new_conflicts, 1);
        let c = &m.postmortem.conflicts[0];
        assert_eq!(c.path, vec!["action_items".to_string(), base.action_items[0].id.clone(), "owner".into()]);
        assert!(c.label.starts_with("Action item \""), "{}", c.label);
        assert!(c.label.ends_with(": Owner"), "{}", c.label);
        assert_eq!(c.versions[0], ConflictVersion { by: "Ana".into(), value: "Dana".into() });
        assert_eq!(c.versions[1], ConflictVersion { by: "Ben".into(), value: "Eli".into() });
        assert_eq!(m.postmortem.action_items[0].owner.as_deref(), Some("Dana"), "the field holds ours meanwhile");
        let chosen = choose(&m.postmortem, &c.id, 1).unwrap();
        assert_eq!(chosen.action_items[0].owner.as_deref(), Some("Eli"));
        assert!(chosen.conflicts.is_empty());
        assert!(choose(&m.postmortem, "nope", 0).is_err());
        assert!(choose(&m.postmortem, &c.id, 2).is_err());
    }

    #[test]
    fn a_deleted_item_edited_on_the_other_side_is_kept_with_a_notice() {
        let base = sample();
        let (mut ours, mut theirs) = (base.clone(), base.clone());
        ours.action_items.remove(0);
        item(&mut theirs, 0).description = "Now with a runbook link".into();
        let m = merge(&base, &ours, &theirs);
        assert_eq!(m.postmortem.action_items.len(), base.action_items.len());
        assert_eq!(m.notices.len(), 1, "{:?}", m.notices);
        assert!(m.notices[0].contains("deleted here"), "{}", m.notices[0]);
        // Deleted on one side and untouched on the other: gone, no notice.
        let theirs = base.clone();
        let m = merge(&base, &ours, &theirs);
        assert_eq!(m.postmortem.action_items.len(), base.action_items.len() - 1);
        assert!(m.notices.is_empty());
    }

    #[test]
    fn new_items_on_both_sides_are_all_kept_in_place() {
        let base = sample();
        let (mut ours, mut theirs) = (base.clone(), base.clone());
        let mut a = base.action_items[0].clone();
        a.id = "mine".into();
        ours.action_items.insert(1, a.clone());
        a.id = "theirs".into();
        theirs.action_items.push(a);
        let m = merge(&base, &ours, &theirs);
        let ids: Vec<_> = m.postmortem.action_items.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids.len(), base.action_items.len() + 2);
        assert_eq!(ids[1], "mine");
        assert_eq!(*ids.last().unwrap(), "theirs");
    }

    #[test]
    fn paragraphs_of_one_section_edited_apart_merge_line_by_line() {
        let mut base = sample();
        base.sections[0].body = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n".into();
        let (mut ours, mut theirs) = (base.clone(), base.clone());
        ours.sections[0].body = "First paragraph, clearer.\n\nSecond paragraph.\n\nThird paragraph.\n".into();
        theirs.sections[0].body = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph, with a link.\n".into();
        let m = merge(&base, &ours, &theirs);
        assert!(m.postmortem.conflicts.is_empty());
        assert_eq!(
            m.postmortem.sections[0].body,
            "First paragraph, clearer.\n\nSecond paragraph.\n\nThird paragraph, with a link.\n"
        );
    }

    #[test]
    fn updated_at_takes_the_latest_and_status_history_the_union() {
        let base = sample();
        let (mut ours, mut theirs) = (base.clone(), base.clone());
        ours.updated_at = base.updated_at + chrono::Duration::minutes(5);
        theirs.updated_at = base.updated_at + chrono::Duration::minutes(9);
        let m = merge(&base, &ours, &theirs);
        assert_eq!(m.postmortem.updated_at, theirs.updated_at);
        assert!(m.postmortem.conflicts.is_empty());
    }

    #[test]
    fn names_merge_as_the_library_compares_them() {
        let base = sample();
        let (mut ours, mut theirs) = (base.clone(), base.clone());
        ours.tags.push("Payments".into());
        theirs.tags.push("payments".into());
        let m = merge(&base, &ours, &theirs);
        assert_eq!(m.postmortem.tags.iter().filter(|t| t.eq_ignore_ascii_case("payments")).count(), 1);
    }

    #[test]
    fn a_whole_version_can_be_kept() {
        let base = sample();
        let mut theirs = base.clone();
        theirs.title = "Theirs".into();
        let pm = whole_conflict(&base, &theirs, WHO, "w".into()).unwrap();
        assert_eq!(pm.title, base.title);
        assert_eq!(pm.conflicts[0].path, Vec::<String>::new());
        let chosen = choose(&pm, "w", 1).unwrap();
        assert_eq!(chosen.title, "Theirs");
        assert!(chosen.conflicts.is_empty());
    }

    #[test]
    fn a_field_clashing_again_shows_the_version_it_holds_first() {
        let base = sample();
        let (mut ours, mut theirs) = (base.clone(), base.clone());
        ours.title = "A".into();
        theirs.title = "B".into();
        let first = merge(&base, &ours, &theirs).postmortem; // [A (ours), B]
        let mut third = first.clone();
        third.title = "C".into();
        let m = merge(&first, &third, &first); // only one side changed: no new clash
        assert_eq!(m.postmortem.title, "C");
        let mut other = first.clone();
        other.title = "D".into();
        let m = merge(&first, &third, &other);
        assert_eq!(m.new_conflicts, 0, "the same field's conflict grows");
        let c = &m.postmortem.conflicts[0];
        assert_eq!(c.versions[0].value, "C");
        assert_eq!(c.versions.len(), 4);
    }

    proptest! {
        // Whatever one side does alone comes through whole; the same edit twice is no conflict.
        #[test]
        fn one_sided_and_identical_edits_merge_cleanly(title in "\\PC{1,60}", owner in "\\PC{0,20}", drop in any::<bool>()) {
            let base = sample();
            let mut changed = base.clone();
            changed.title = title;
            changed.action_items[0].owner = Some(owner);
            if drop {
                changed.action_items.pop();
            }
            prop_assert_eq!(&merge(&base, &changed, &base).postmortem, &changed);
            prop_assert_eq!(&merge(&base, &base, &changed).postmortem, &changed);
            prop_assert_eq!(&merge(&base, &changed, &changed).postmortem, &changed);
        }
    }
}

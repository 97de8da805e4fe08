//! PDF reports from the library: one postmortem (or a folder of them) and the learning-review
//! digest of a period. The documents are composed in `report::pdf`; this module gathers what
//! they show, anonymizes it when asked (one [`Anonymizer`] per export, so a person keeps one
//! label throughout), and writes the files whole or not at all.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};

use super::{analytics::check_period, write_atomically, Library};
use crate::analysis::patterns::PatternKind;
use crate::error::{Error, Result};
use crate::exchange::anonymize::Anonymizer;
use crate::model::Postmortem;
use crate::progress::Progress;
use crate::report::pdf::digest::{DigestData, ItemFlow};
use crate::report::pdf::postmortem::{render, PostmortemPdf};
use crate::report::pdf::{PdfOutcome, Rendered};
use crate::store::postmortems;

/// A file name for a postmortem's PDF or Markdown: its date, a slug of its title and the start
/// of its id, stable across exports (`2025-11-25-checkout-502s-after-3f2a9c1e.pdf`).
pub fn file_stem(pm: &Postmortem) -> String {
    let mut slug = String::new();
    for c in pm.title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
        if slug.chars().count() >= 48 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    let short: String = pm.id.chars().filter(|c| c.is_ascii_alphanumeric()).take(8).collect();
    format!("{}-{slug}-{short}", pm.incident_date)
}

fn outcome(path: &Path, rendered: &Rendered, postmortems: usize) -> PdfOutcome {
    PdfOutcome {
        path: path.display().to_string(),
        pages: rendered.pages,
        postmortems,
        missing_characters: rendered.missing.iter().collect(),
    }
}

/// `text` with every whole-word `word` replaced by `with`.
fn replace_word(text: &str, word: &str, with: &str) -> String {
    match regex::Regex::new(&format!(r"(?i)\b{}\b", regex::escape(word))) {
        Ok(re) => re.replace_all(text, with).into_owned(),
        Err(_) => text.to_string(),
    }
}

impl Library {
    /// The name an export of postmortem `id` is given, without its extension ([`file_stem`]):
    /// from its anonymized title when `anonymize` is set, as the export itself names it.
    pub fn export_file_stem(&self, id: &str, anonymize: bool) -> Result<String> {
        let pm = postmortems::load(&self.conn, id)?;
        let pm = if anonymize { self.anonymizer()?.postmortem(&pm) } else { pm };
        Ok(file_stem(&pm))
    }

    /// One postmortem as a PDF, anonymized by `anonymizer` when one is given.
    pub fn postmortem_pdf(
        &self,
        id: &str,
        anonymizer: Option<&mut Anonymizer>,
        produced: DateTime<Utc>,
    ) -> Result<Rendered> {
        let pm = postmortems::load(&self.conn, id)?;
        let anonymized = anonymizer.is_some();
        let pm = match anonymizer {
            Some(a) => a.postmortem(&pm),
            None => pm,
        };
        render(&pm, &PostmortemPdf { produced, anonymized })
    }

    /// Writes postmortems as PDF: one postmortem to the file `out`; several, or all of them
    /// when `ids` is empty, to the folder `out` (created if need be), one file each, named by
    /// [`file_stem`]. Reports a `writing` step per file; cancelling keeps the files already
    /// written and leaves no partial one.
    pub fn export_pdf(
        &self,
        ids: &[String],
        out: &Path,
        anonymize: bool,
        progress: &mut Progress,
    ) -> Result<Vec<PdfOutcome>> {
        let produced = crate::clock::now();
        self.export_each(ids, out, "pdf", anonymize, progress, |pm, path| {
            let rendered = render(pm, &PostmortemPdf { produced, anonymized: anonymize })?;
            write_atomically(path, &rendered.bytes)?;
            Ok(outcome(path, &rendered, 1))
        })
    }

    /// The loop every per-postmortem export shares: one postmortem to the file `out` (or
    /// into the folder `out`); several, or all when `ids` is empty, into the folder `out`
    /// (created if need be), each named by [`file_stem`] and `extension`. One anonymizer
    /// serves the whole export when `anonymize` is set. `write` writes one file, whole or not
    /// at all; a `writing` step per file lets the user cancel between files.
    pub(super) fn export_each<T>(
        &self,
        ids: &[String],
        out: &Path,
        extension: &str,
        anonymize: bool,
        progress: &mut Progress,
        mut write: impl FnMut(&Postmortem, &Path) -> Result<T>,
    ) -> Result<Vec<T>> {
        let one = ids.len() == 1;
        let ids = if ids.is_empty() { postmortems::all_ids(&self.conn)? } else { ids.to_vec() };
        let mut anonymizer = if anonymize { Some(self.anonymizer()?) } else { None };
        if !one {
            if out.is_file() {
                return Err(Error::invalid(
                    "--out",
                    format!("{} is a file; several postmortems go to a folder, one file each", out.display()),
                ));
            }
            std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
        }
        let mut written = Vec::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            progress.step("writing", i, ids.len())?;
            let pm = postmortems::load(&self.conn, id)?;
            let pm = match anonymizer.as_mut() {
                Some(a) => a.postmortem(&pm),
                None => pm,
            };
            // One postmortem goes to the file named, or into the folder named.
            let path: PathBuf = if one && !out.is_dir() {
                out.to_path_buf()
            } else {
                out.join(format!("{}.{extension}", file_stem(&pm)))
            };
            written.push(write(&pm, &path)?);
        }
        progress.report("writing", ids.len(), ids.len());
        Ok(written)
    }

    /// Everything the learning-review digest of `from` to `to` shows, as of `today`.
    pub fn digest_data(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
        anonymize: bool,
        progress: &mut Progress,
    ) -> Result<DigestData> {
        check_period(from, to)?;
        let ids = postmortems::ids_dated(&self.conn, from, to)?;
        // The hash covers every postmortem of the period as stored (its canonical JSON), so
        // two digests with the same hash were drawn from the same documents.
        let mut hash = Sha256::new();
        let mut incidents = Vec::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            if i % 25 == 0 {
                progress.step("reading", i, ids.len())?;
            }
            let pm = postmortems::load(&self.conn, id)?;
            hash.update(serde_json::to_vec(&pm).map_err(|e| Error::Render(e.to_string()))?);
            incidents.push(pm);
        }
        progress.step("counting", 0, 1)?;
        let mut insights = self.insights(from, to)?;
        let follow = self.follow_through(today)?;
        let (opened, done) = crate::store::actions::opened_and_done(&self.conn, from, to)?;
        let items = ItemFlow { opened, done };
        let mut anonymizer = if anonymize { Some(self.anonymizer()?) } else { None };
        if let Some(a) = anonymizer.as_mut() {
            incidents = incidents.iter().map(|pm| a.postmortem(pm)).collect();
            // A family's shared words are lower-cased stems ("okafor, pool, timeout"), which
            // the free-text detection cannot see as names; they are drawn in the chart too.
            for pattern in insights.patterns.iter_mut().filter(|p| p.kind == PatternKind::SimilarFamily) {
                let names: Vec<String> = pattern
                    .subject
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| a.is_name_word(w))
                    .map(str::to_string)
                    .collect();
                for name in names {
                    pattern.subject = replace_word(&pattern.subject, &name, "a person");
                    pattern.rule = replace_word(&pattern.rule, &name, "a person");
                }
            }
        }
        Ok(DigestData {
            from,
            to,
            today,
            produced: crate::clock::now(),
            library: self.display_name(),
            insights,
            follow,
            items,
            incidents,
            data_hash: format!("{:x}", hash.finalize()),
            anonymizer,
        })
    }

    /// The library's name as a reader would know it: its folder's name.
    pub fn display_name(&self) -> String {
        self.dir.file_name().map_or_else(|| self.dir.display().to_string(), |n| n.to_string_lossy().into_owned())
    }

    /// Writes the learning-review digest of `from` to `to` to `out`; reports `reading`,
    /// `counting` and `drawing` steps, and cancelling leaves any file at `out` as it was.
    pub fn export_digest(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        out: &Path,
        anonymize: bool,
        progress: &mut Progress,
    ) -> Result<PdfOutcome> {
        let data = self.digest_data(from, to, crate::clock::today(), anonymize, progress)?;
        let count = data.incidents.len();
        progress.step("drawing", 0, 1)?;
        let rendered = crate::report::pdf::digest::render(data)?;
        progress.check()?;
        write_atomically(out, &rendered.bytes)?;
        progress.report("drawing", 1, 1);
        Ok(outcome(out, &rendered, count))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_dated_slugged_and_stable() {
        let mut pm = Postmortem::from_template(
            "Checkout 502s after the pool change — Ωmega!",
            crate::model::Severity::Sev2,
            NaiveDate::from_ymd_opt(2025, 11, 25).unwrap(),
            &crate::review::templates::builtin()[0],
            crate::clock::now(),
        );
        pm.id = "3f2a9c1e-7b7d-4c47-9d0e-111111111111".into();
        assert_eq!(file_stem(&pm), "2025-11-25-checkout-502s-after-the-pool-change-ωmega-3f2a9c1e");
    }
}

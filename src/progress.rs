//! Long work (imports, reindex, exports, loading the sample) tells whoever started it how far it
//! got, and stops when asked. The core knows nothing of threads or windows: the CLI passes a
//! [`Progress`] that prints or ignores, the app one that emits events and watches a cancel flag.
//!
//! Work checks for cancellation only where stopping keeps the library whole: before its
//! database transaction commits (a rollback leaves nothing half-written) or, for the search
//! index, before the index commit. Once the database has committed, the rest runs to the end.

use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Error, Result};

/// Where long work is and how far it got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Step {
    /// What it is doing now: `reading`, `checking`, `saving`, `indexing`, `writing`.
    pub phase: String,
    /// Units done in this phase, of `total` (0 when unknown).
    #[ts(type = "number")]
    pub done: u64,
    /// Units in this phase; 0 when unknown.
    #[ts(type = "number")]
    pub total: u64,
}

/// A sink for progress and a source of cancellation.
pub struct Progress<'a> {
    what: String,
    report: Box<dyn FnMut(&Step) + 'a>,
    cancel: Option<&'a AtomicBool>,
}

impl<'a> Progress<'a> {
    /// Progress nobody watches and nobody can cancel (tests, scripts).
    pub fn none() -> Progress<'static> {
        Progress { what: String::new(), report: Box::new(|_| {}), cancel: None }
    }

    /// Progress of `what` ("the import of a.json") reported to `report`, cancelled once
    /// `cancel` is set.
    pub fn new(what: impl Into<String>, report: impl FnMut(&Step) + 'a, cancel: &'a AtomicBool) -> Self {
        Progress { what: what.into(), report: Box::new(report), cancel: Some(cancel) }
    }

    /// Progress reported to `report` that cannot be cancelled (the CLI).
    pub fn reporting(report: impl FnMut(&Step) + 'a) -> Self {
        Progress { what: String::new(), report: Box::new(report), cancel: None }
    }

    /// Renames the work, for the cancellation message ("the import of b.json was cancelled").
    pub fn set_what(&mut self, what: impl Into<String>) {
        self.what = what.into();
    }

    /// Reports a step without offering to stop (after a commit, where stopping would leave
    /// the work half done).
    pub fn report(&mut self, phase: &str, done: usize, total: usize) {
        (self.report)(&Step { phase: phase.to_string(), done: done as u64, total: total as u64 });
    }

    /// Reports a step, then fails with [`Error::Cancelled`] if cancellation was asked for. The
    /// caller's transaction rolls back as the error unwinds.
    pub fn step(&mut self, phase: &str, done: usize, total: usize) -> Result<()> {
        self.report(phase, done, total);
        self.check()
    }

    /// Fails with [`Error::Cancelled`] if cancellation was asked for.
    pub fn check(&self) -> Result<()> {
        match self.cancel {
            Some(flag) if flag.load(Ordering::Relaxed) => Err(Error::Cancelled {
                what: if self.what.is_empty() { "the work".to_string() } else { self.what.clone() },
            }),
            _ => Ok(()),
        }
    }

    /// Whether cancellation was asked for.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_some_and(|f| f.load(Ordering::Relaxed))
    }

    /// Runs `work` on a thread of its own with a progress that sends its steps back here, to be
    /// reported on this thread, and is cancelled by the same flag; `prepare` runs first on that
    /// thread. For work whose caller's progress cannot leave its thread (the app's reports
    /// emit window events). A panic in `work` goes on here.
    pub fn run_elsewhere<T: Send>(
        &mut self,
        prepare: impl FnOnce() + Send,
        work: impl FnOnce(&mut Progress) -> T + Send,
    ) -> T {
        let (what, cancel) = (self.what.clone(), self.cancel);
        let (sender, steps) = std::sync::mpsc::channel::<Step>();
        std::thread::scope(|scope| {
            let worker = scope.spawn(move || {
                prepare();
                let mut relayed =
                    Progress { what, report: Box::new(move |s: &Step| drop(sender.send(s.clone()))), cancel };
                work(&mut relayed)
            });
            // Ends when the worker's progress is dropped, with the work done.
            for s in steps {
                (self.report)(&s);
            }
            worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_run_elsewhere_reports_here_and_is_cancelled_by_the_same_flag() {
        let flag = AtomicBool::new(false);
        let mut seen = Vec::new();
        let here = std::thread::current().id();
        let mut p =
            Progress::new("the import of a.json", |s: &Step| seen.push((s.done, std::thread::current().id())), &flag);
        let prepared = std::sync::atomic::AtomicBool::new(false);
        let result = p.run_elsewhere(
            || prepared.store(true, Ordering::Relaxed),
            |p| {
                assert_ne!(std::thread::current().id(), here, "runs on another thread");
                p.step("saving", 1, 3)?;
                flag.store(true, Ordering::Relaxed);
                p.step("saving", 2, 3)
            },
        );
        assert!(prepared.load(Ordering::Relaxed));
        assert!(matches!(result, Err(Error::Cancelled { ref what }) if what == "the import of a.json"));
        drop(p);
        assert_eq!(seen, [(1, here), (2, here)], "both steps reported, on the caller's thread");
    }

    #[test]
    fn a_step_after_cancel_fails_with_the_work_named() {
        let flag = AtomicBool::new(false);
        let mut seen = Vec::new();
        {
            let mut p = Progress::new("the import of a.json", |s: &Step| seen.push(s.done), &flag);
            p.step("saving", 1, 3).unwrap();
            flag.store(true, Ordering::Relaxed);
            let err = p.step("saving", 2, 3).unwrap_err();
            assert_eq!(err.code(), "cancelled");
            assert_eq!(err.to_string(), "the import of a.json was cancelled; nothing was changed");
        }
        assert_eq!(seen, vec![1, 2], "the step is reported before the check");
    }

    #[test]
    fn progress_nobody_watches_never_cancels() {
        let mut p = Progress::none();
        assert!(p.step("saving", 1, 1).is_ok());
        assert!(!p.is_cancelled());
    }
}

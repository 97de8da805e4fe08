//! Facilitation mode's core (PRODUCT.md capability 4): the agenda made from a postmortem
//! ([`agenda`]), the meeting as it runs, with its clocks, parking lot and tally of who has
//! spoken ([`session`]), the wrap-up checklist ([`checklist`]) and the summary ([`summary`]). No storage and no GUI:
//! every rule takes the time it is asked at, so tests set the clock.

pub mod agenda;
pub mod checklist;
pub mod session;
pub mod summary;

#[cfg(test)]
pub(crate) mod tests {
    use crate::model::{Postmortem, Severity};

    /// A new postmortem from the standard template, nothing written yet.
    pub fn postmortem() -> Postmortem {
        let date = chrono::NaiveDate::from_ymd_opt(2025, 11, 25).unwrap();
        let template = crate::review::templates::standard();
        Postmortem::from_template("Checkout 502s", Severity::Sev2, date, &template, crate::clock::now())
    }
}

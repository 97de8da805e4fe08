//! Numbers computed from the library, each following a definition in PRODUCT.md so the app,
//! the CLI and the reports agree. Pure functions over plain data: the library loads, these
//! count.

pub mod anniversary;
pub mod budget;
pub mod drill;
pub mod facts;
pub mod families;
pub mod followthrough;
pub mod metrics;
pub mod patterns;
pub mod roi;

/// A figure's list of incidents carries all of them with this as its `keep`: the CLI, the
/// reports and the drill-down want every one; the Insights screen keeps a few of each and
/// opens the rest by rule.
pub const ALL_INCIDENTS: usize = usize::MAX;

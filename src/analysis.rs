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

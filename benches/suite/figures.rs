//! The figures a run measures: each a named value at a library size, with its spread, unit,
//! target and which way is better; printed as a table and written as `docs/benchmarks.json`.

use std::time::Duration;

use serde::Serialize;

/// Which way a figure is better.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    Lower,
    Higher,
}

/// One measured figure.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub name: String,
    /// Postmortems in the library it was measured on.
    pub size: usize,
    pub value: f64,
    pub p90: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub unit: &'static str,
    pub target: Option<f64>,
    pub better: Better,
}

impl Figure {
    /// A single value.
    pub fn one(name: &str, size: usize, value: f64, unit: &'static str, target: Option<f64>, better: Better) -> Figure {
        Figure { name: name.into(), size, value, p90: None, min: None, max: None, unit, target, better }
    }

    /// The median of some runs' values, with the smallest and largest.
    pub fn spread(
        name: &str,
        size: usize,
        values: &[f64],
        unit: &'static str,
        target: Option<f64>,
        better: Better,
    ) -> Figure {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let median = sorted[sorted.len() / 2];
        let (min, max) = (sorted.first().copied(), sorted.last().copied());
        Figure {
            min: min.filter(|_| sorted.len() > 1),
            max: max.filter(|_| sorted.len() > 1),
            ..Figure::one(name, size, median, unit, target, better)
        }
    }

    /// Whether the value meets its target (true when there is none).
    pub fn meets(&self) -> bool {
        match (self.target, self.better) {
            (None, _) => true,
            (Some(t), Better::Lower) => self.value <= t,
            (Some(t), Better::Higher) => self.value >= t,
        }
    }
}

/// Timings in milliseconds, sorted: percentiles by nearest rank.
pub struct Timings(Vec<f64>);

impl Timings {
    pub fn new(mut durations: Vec<Duration>) -> Timings {
        durations.sort();
        Timings(durations.into_iter().map(|d| d.as_secs_f64() * 1000.0).collect())
    }

    pub fn at(&self, p: f64) -> f64 {
        if self.0.is_empty() {
            return f64::NAN;
        }
        // Nearest rank: the value at or above the fraction `p` of the timings.
        let rank = ((self.0.len() as f64) * p).ceil().max(1.0) as usize;
        self.0[rank.min(self.0.len()) - 1]
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// A figure of the `p`th percentile, with p90, min and max.
    pub fn figure(&self, name: &str, size: usize, p: f64, target: Option<f64>) -> Figure {
        Figure {
            name: name.into(),
            size,
            value: self.at(p),
            p90: Some(self.at(0.9)),
            min: self.0.first().copied(),
            max: self.0.last().copied(),
            unit: "ms",
            target,
            better: Better::Lower,
        }
    }
}

/// The run as `docs/benchmarks.json` holds it.
#[derive(Serialize)]
pub struct Report {
    pub commit: String,
    pub date: String,
    pub machine: String,
    pub mode: &'static str,
    /// What a reader must know to read the figures (a baseline that could not run, say).
    pub notes: Vec<String>,
    pub figures: Vec<Figure>,
}

/// A value as the tables show it: three significant figures or so, `-` for none.
pub fn show(v: f64) -> String {
    if v.is_nan() {
        "-".into()
    } else if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// The table every run prints.
pub fn table(figures: &[Figure]) -> String {
    let mut out = format!(
        "{:<22} {:>8} {:>10} {:>10} {:>10} {:>10} {:>6} {:>10}  {}\n",
        "figure", "size", "value", "p90", "min", "max", "unit", "target", ""
    );
    for f in figures {
        let target = f.target.map_or("-".into(), |t| {
            format!("{}{}", if matches!(f.better, Better::Lower) { "≤" } else { "≥" }, show(t))
        });
        out.push_str(&format!(
            "{:<22} {:>8} {:>10} {:>10} {:>10} {:>10} {:>6} {:>10}  {}\n",
            f.name,
            f.size,
            show(f.value),
            f.p90.map_or("-".into(), show),
            f.min.map_or("-".into(), show),
            f.max.map_or("-".into(), show),
            f.unit,
            target,
            if f.meets() { "" } else { "MISSED" }
        ));
    }
    out
}

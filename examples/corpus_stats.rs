//! Prints what the benchmarks' realistic corpus is made of, and one of its postmortems as
//! Markdown, so a reader can judge it:
//!   cargo run --release --example corpus_stats -- 100000
//! (`--show N` prints the Nth postmortem instead of the statistics).

use chrono::NaiveDate;
use debrief::synthetic::realistic;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let end = NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid");
    if let Some(at) = args.iter().position(|a| a == "--show") {
        let n: usize = args.get(at + 1).and_then(|v| v.parse().ok()).unwrap_or(0);
        let pm = realistic::generate(42, n + 1, end).last().expect("one postmortem");
        print!("{}", debrief::exchange::debrief_md::write(&pm).expect("writes"));
        return;
    }
    let count: usize = args.first().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let started = std::time::Instant::now();
    let corpus: Vec<_> = realistic::generate(42, count, end).collect();
    let generated = started.elapsed();
    let s = realistic::stats(&corpus);
    println!("realistic corpus, seed 42: {count} postmortems generated in {:.1} s", generated.as_secs_f64());
    println!(
        "words per postmortem: mean {:.0}, p10 {}, p90 {}, min {}, max {}",
        s.words_mean, s.words_p10, s.words_p90, s.words_min, s.words_max
    );
    println!("distinct terms: {}", s.distinct_terms);
    println!("Zipf fit over ranks 1..10,000: slope {:.2}, R² {:.3}", s.zipf_slope, s.zipf_r2);
}

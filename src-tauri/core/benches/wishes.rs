//! Benchmark of the wishes clustering: 1,000 wishes (goal < 300 ms, median of
//! several runs; the first call of a process, which also trains the example
//! reader, on its own), worst-case wishes of the maximum length (a 1,200-char wish
//! without spaces once took 49 s), and the learning effect on set B (held-out
//! half) with and without learning from set A (tuning half).
//!
//! Run: `cargo bench -p tagungsbuero-core --bench wishes`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use tagungsbuero_core::wishes::board::MAX_WISH_CHARS;
use tagungsbuero_core::wishes::eval::{self, LabelledWish, Scores};
use tagungsbuero_core::wishes::{Catalogue, LearnedExample, suggest};

const TUNING: &str = include_str!("../../../seeds/wishes/tuning.tsv");
const HELDOUT: &str = include_str!("../../../seeds/wishes/heldout.tsv");
const RUNS: usize = 15;
const WISHES: usize = 1_000;
/// Openers that turn the 198 development wishes into 1,000 distinct answers.
const OPENERS: [&str; 6] = [
    "",
    "Mich interessiert: ",
    "Gern: ",
    "Thema ",
    "Wunsch: ",
    "Frage zu ",
];

fn thousand_wishes(all: &[LabelledWish]) -> Vec<String> {
    (0..WISHES)
        .map(|i| {
            format!(
                "{}{}",
                OPENERS[(i / all.len()) % OPENERS.len()],
                all[i % all.len()].text
            )
        })
        .collect()
}

/// Text of exactly [`MAX_WISH_CHARS`] chars made of `unit` repeated.
fn longest_wish(unit: &str) -> String {
    unit.chars().cycle().take(MAX_WISH_CHARS).collect()
}

/// Worst cases: one wish without spaces, one of words just short enough to be
/// split as compounds (every span a candidate), and 100 such wishes.
fn worst_cases(catalogue: &Catalogue) {
    let no_spaces = vec![longest_wish("partnerstadtvereinjugend")];
    // 47 letters + a space: each word is tried as a compound, every part is known.
    let compounds = vec![longest_wish(
        "partnerschaftsvereinjugendaustauschfoerdermitte ",
    )];
    let many: Vec<String> = (0..100).map(|_| compounds[0].clone()).collect();
    println!("Ungünstigste Wünsche ({MAX_WISH_CHARS} Zeichen, Median aus {RUNS} Läufen)");
    for (what, texts) in [
        ("1 Wunsch ohne Leerzeichen", &no_spaces),
        ("1 Wunsch aus 47-Zeichen-Komposita", &compounds),
        ("100 solche Wünsche", &many),
    ] {
        println!(
            "  {what:<34} {:>8.1} ms",
            time_suggest(texts, catalogue, &[]).as_secs_f64() * 1e3
        );
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn time_suggest(texts: &[String], catalogue: &Catalogue, learned: &[LearnedExample]) -> Duration {
    let times = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            black_box(suggest(black_box(texts), catalogue, learned));
            start.elapsed()
        })
        .collect();
    median(times)
}

fn print_scores(what: &str, s: &Scores) {
    println!(
        "  {what:<34} AMI {:.3}  B³-F1 {:.3}  Verschiebungen {:>3} ({:.1} %)",
        s.ami,
        s.bcubed_f1,
        s.moves,
        s.moves_percent()
    );
}

fn main() {
    let tuning = eval::parse_labelled(TUNING).expect("tuning.tsv");
    let heldout = eval::parse_labelled(HELDOUT).expect("heldout.tsv");
    let catalogue = Catalogue::default_catalogue();
    let all: Vec<LabelledWish> = tuning.iter().chain(&heldout).cloned().collect();
    let texts = thousand_wishes(&all);
    let learned: Vec<LearnedExample> = tuning
        .iter()
        .map(|w| LearnedExample {
            text: w.text.clone(),
            cluster: w.gold.clone(),
            group: catalogue.group_of(&w.gold),
        })
        .collect();

    // The first call of the process also trains the example reader on the
    // built-in example wishes (once; later calls reuse it).
    let start = Instant::now();
    black_box(suggest(black_box(&texts), &catalogue, &[]));
    let first = start.elapsed();
    let plain = time_suggest(&texts, &catalogue, &[]);
    let with_learning = time_suggest(&texts, &catalogue, &learned);
    println!("Wünsche clustern: {WISHES} Wünsche, Median aus {RUNS} Läufen");
    println!(
        "  ohne gelernte Beispiele: {:.1} ms (Ziel < 300 ms)",
        plain.as_secs_f64() * 1e3
    );
    println!(
        "  mit {} gelernten Beispielen: {:.1} ms",
        learned.len(),
        with_learning.as_secs_f64() * 1e3
    );
    println!(
        "  erster Aufruf (lernt die eingebauten Beispielwünsche): {:.1} ms",
        first.as_secs_f64() * 1e3
    );

    worst_cases(&catalogue);

    let sets = eval::LabelledSets {
        tuning: &tuning,
        heldout: &heldout,
        unseen: &[],
        more: &[],
        check: None,
    };
    let report = eval::quality_report(sets, &catalogue);
    println!("Lerneffekt: Satz B (Held-out-Hälfte), gelernt aus Satz A (Tuning-Hälfte)");
    print_scores("Standardkatalog, ohne Lernen", &report.learning.0);
    print_scores("Standardkatalog, mit Lernen", &report.learning.1);
    print_scores("leerer Katalog, ohne Lernen", &report.learning_only.0);
    print_scores("leerer Katalog, mit Lernen", &report.learning_only.1);
}

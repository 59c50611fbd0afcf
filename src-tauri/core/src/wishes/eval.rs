//! Quality measures of a grouping against a human (gold) grouping, the
//! trivial baselines, and the quality report over the labelled sets: the
//! development sets built in as example wishes (`seeds/wishes/`) and the
//! held-out sets in `tests/fixtures/wishes/`.
//!
//! - AMI: adjusted mutual information with the expected-MI correction
//!   (Vinh, Epps & Bailey 2010), arithmetic-mean normalisation as in
//!   scikit-learn; 0 = chance, 1 = identical.
//! - B-cubed F1: per answer, precision and recall of its cluster against its
//!   gold cluster, averaged; high for all-singletons on small sets, so always
//!   compare with that baseline.
//! - Moves: the least number of answers staff must move to reach the gold
//!   grouping when clusters can be renamed freely: n minus the weight of a
//!   maximum one-to-one matching of predicted to gold clusters on the
//!   contingency table, found exactly with the Hungarian algorithm.

use std::collections::{HashMap, HashSet};
use std::fmt;

use super::corpus::built_in_sets;
pub use super::corpus::{LabelledWish, parse_labelled};
use super::discover::{DISTANCE_CUT, discover};
use super::lexicon::STOP_WORDS;
use super::reader::ExampleReader;
use super::text::{fold, words};
use super::{Catalogue, LearnedExample, suggest, suggest_with_examples};

/// Turns labels into dense cluster ids (first appearance = 0).
pub fn cluster_ids<S: AsRef<str>>(labels: &[S]) -> Vec<usize> {
    let mut ids: HashMap<&str, usize> = HashMap::new();
    labels
        .iter()
        .map(|l| {
            let next = ids.len();
            *ids.entry(l.as_ref()).or_insert(next)
        })
        .collect()
}

struct Contingency {
    table: Vec<Vec<usize>>,
    rows: Vec<usize>,
    cols: Vec<usize>,
    n: usize,
}

fn contingency(a: &[usize], b: &[usize]) -> Contingency {
    assert_eq!(
        a.len(),
        b.len(),
        "both groupings must cover the same answers"
    );
    let rows_n = a.iter().max().map_or(0, |m| m + 1);
    let cols_n = b.iter().max().map_or(0, |m| m + 1);
    let mut table = vec![vec![0; cols_n]; rows_n];
    for (&i, &j) in a.iter().zip(b) {
        table[i][j] += 1;
    }
    let rows = table.iter().map(|r| r.iter().sum()).collect();
    let cols = (0..cols_n)
        .map(|j| table.iter().map(|r| r[j]).sum())
        .collect();
    Contingency {
        table,
        rows,
        cols,
        n: a.len(),
    }
}

fn entropy(sizes: &[usize], n: usize) -> f64 {
    let n = n as f64;
    sizes
        .iter()
        .filter(|&&s| s > 0)
        .map(|&s| -(s as f64 / n) * (s as f64 / n).ln())
        .sum()
}

/// Adjusted mutual information of two groupings (cluster ids per answer).
pub fn adjusted_mutual_information(a: &[usize], b: &[usize]) -> f64 {
    let c = contingency(a, b);
    let n = c.n;
    if n == 0 {
        return 1.0;
    }
    let used_rows = c.rows.iter().filter(|&&r| r > 0).count();
    let used_cols = c.cols.iter().filter(|&&r| r > 0).count();
    if (used_rows == 1 && used_cols == 1) || (used_rows == n && used_cols == n) {
        return 1.0;
    }
    let nf = n as f64;
    let mut mi = 0.0;
    for (i, row) in c.table.iter().enumerate() {
        for (j, &nij) in row.iter().enumerate() {
            if nij > 0 {
                let nij = nij as f64;
                mi += nij / nf * (nf * nij / (c.rows[i] as f64 * c.cols[j] as f64)).ln();
            }
        }
    }
    let emi = expected_mutual_information(&c);
    let mean_entropy = (entropy(&c.rows, n) + entropy(&c.cols, n)) / 2.0;
    let denominator = mean_entropy - emi;
    let denominator = if denominator.abs() < f64::EPSILON {
        f64::EPSILON.copysign(denominator)
    } else {
        denominator
    };
    (mi - emi) / denominator
}

fn expected_mutual_information(c: &Contingency) -> f64 {
    let n = c.n;
    let log_fact: Vec<f64> = std::iter::once(0.0)
        .chain((1..=n).scan(0.0, |acc, k| {
            *acc += (k as f64).ln();
            Some(*acc)
        }))
        .collect();
    let nf = n as f64;
    let mut emi = 0.0;
    for &a in c.rows.iter().filter(|&&a| a > 0) {
        for &b in c.cols.iter().filter(|&&b| b > 0) {
            let start = (a + b).saturating_sub(n).max(1);
            for nij in start..=a.min(b) {
                let nijf = nij as f64;
                let term = nijf / nf * (nf * nijf / (a as f64 * b as f64)).ln();
                let log_p = log_fact[a] + log_fact[b] + log_fact[n - a] + log_fact[n - b]
                    - log_fact[n]
                    - log_fact[nij]
                    - log_fact[a - nij]
                    - log_fact[b - nij]
                    - log_fact[n + nij - a - b];
                emi += term * log_p.exp();
            }
        }
    }
    emi
}

/// B-cubed F1 of a predicted grouping against the gold grouping.
pub fn bcubed_f1(predicted: &[usize], gold: &[usize]) -> f64 {
    let c = contingency(predicted, gold);
    if c.n == 0 {
        return 1.0;
    }
    let (mut precision, mut recall) = (0.0, 0.0);
    for (&p, &g) in predicted.iter().zip(gold) {
        let both = c.table[p][g] as f64;
        precision += both / c.rows[p] as f64;
        recall += both / c.cols[g] as f64;
    }
    let (precision, recall) = (precision / c.n as f64, recall / c.n as f64);
    2.0 * precision * recall / (precision + recall)
}

/// Least number of answers to move to turn `predicted` into `gold`
/// (n minus a maximum-weight one-to-one matching of clusters, Hungarian).
pub fn moves(predicted: &[usize], gold: &[usize]) -> usize {
    let c = contingency(predicted, gold);
    c.n - max_weight_matching(&c.table)
}

/// Maximum total weight of a one-to-one assignment of rows to columns
/// (Hungarian algorithm on the square padded matrix, O(k³)).
fn max_weight_matching(table: &[Vec<usize>]) -> usize {
    let k = table.len().max(table.first().map_or(0, Vec::len));
    if k == 0 {
        return 0;
    }
    let max = table.iter().flatten().copied().max().unwrap_or(0) as i64;
    let cost =
        |i: usize, j: usize| max - table.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0) as i64;
    // Potentials u (rows), v (columns) and the matching p (column → row), 1-based.
    let (mut u, mut v) = (vec![0_i64; k + 1], vec![0_i64; k + 1]);
    let (mut p, mut way) = (vec![0_usize; k + 1], vec![0_usize; k + 1]);
    for row in 1..=k {
        p[0] = row;
        let mut j0 = 0;
        let mut minv = vec![i64::MAX; k + 1];
        let mut used = vec![false; k + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let (mut delta, mut j1) = (i64::MAX, 0);
            for j in 1..=k {
                if !used[j] {
                    let current = cost(i0 - 1, j - 1) - u[i0] - v[j];
                    if current < minv[j] {
                        minv[j] = current;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=k {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    (1..=k)
        .map(|j| {
            table
                .get(p[j] - 1)
                .and_then(|r| r.get(j - 1))
                .copied()
                .unwrap_or(0)
        })
        .sum()
}

/// The three measures of one grouping.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    /// Adjusted mutual information.
    pub ami: f64,
    /// B-cubed F1.
    pub bcubed_f1: f64,
    /// Answers to move.
    pub moves: usize,
    /// Number of answers.
    pub n: usize,
    /// Number of predicted clusters.
    pub clusters: usize,
}

impl Scores {
    /// Scores a predicted grouping (labels per answer) against gold labels.
    pub fn of<S: AsRef<str>, T: AsRef<str>>(predicted: &[S], gold: &[T]) -> Scores {
        let (p, g) = (cluster_ids(predicted), cluster_ids(gold));
        Scores {
            ami: adjusted_mutual_information(&p, &g),
            bcubed_f1: bcubed_f1(&p, &g),
            moves: moves(&p, &g),
            n: p.len(),
            clusters: p.iter().max().map_or(0, |m| m + 1),
        }
    }

    /// Moves as a share of the answers, in percent.
    pub fn moves_percent(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            100.0 * self.moves as f64 / self.n as f64
        }
    }
}

/// Baseline: plain word TF-IDF (no stems, no compound splitting, no domain
/// stop words, no catalogue) with the same average-linkage cut.
pub fn plain_tfidf_labels(texts: &[String]) -> Vec<String> {
    let documents: Vec<Vec<String>> = texts
        .iter()
        .map(|t| {
            let mut doc: Vec<String> = words(t)
                .iter()
                .map(|w| fold(w))
                .filter(|w| w.len() > 2 && !STOP_WORDS.iter().any(|s| fold(s) == *w))
                .collect();
            doc.dedup();
            doc
        })
        .collect();
    let mut df: HashMap<String, usize> = HashMap::new();
    for doc in &documents {
        for term in doc {
            *df.entry(term.clone()).or_default() += 1;
        }
    }
    let n = texts.len() as f64;
    let idf = df
        .into_iter()
        .map(|(t, d)| (t, ((1.0 + n) / (1.0 + d as f64)).ln() + 1.0))
        .collect();
    let mut labels: Vec<String> = (0..texts.len()).map(|i| format!("allein {i}")).collect();
    for (g, group) in discover(&documents, &idf, DISTANCE_CUT)
        .into_iter()
        .enumerate()
    {
        for m in group.members {
            labels[m] = format!("gruppe {g}");
        }
    }
    labels
}

/// One line of the quality report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    /// What was measured (German).
    pub method: String,
    /// Its scores.
    pub scores: Scores,
}

/// The scores of one half of the development set.
#[derive(Debug, Clone, PartialEq)]
pub struct HalfReport {
    /// Name of the half (German).
    pub name: String,
    /// Answers and gold topics.
    pub answers: usize,
    /// Number of gold topics.
    pub gold_topics: usize,
    /// The algorithm and the baselines.
    pub rows: Vec<ReportRow>,
    /// Two-topic answers whose second gold topic the algorithm named as
    /// cluster or second topic, and how many two-topic answers there are.
    pub second_hits: (usize, usize),
}

/// The quality report over the labelled sets, plus the learning effect.
#[derive(Debug, Clone, PartialEq)]
pub struct QualityReport {
    /// Tuning half, held-out half, the unseen sets and, when given, the check set.
    pub halves: Vec<HalfReport>,
    /// Held-out half without and with the tuning half as learned examples.
    pub learning: (Scores, Scores),
    /// The same with an empty catalogue (no topics, no countries): what
    /// learning alone achieves.
    pub learning_only: (Scores, Scores),
}

/// The further labelled sets, each written in a new voice after the first
/// development set: (file name without `.tsv` in `seeds/wishes/` for the
/// `dev` sets or `tests/fixtures/wishes/` for the `unseen` sets,
/// section heading). The `unseen` sets were frozen in their own commit before
/// the round of changes that followed and are never tuned against; the `dev`
/// sets were committed before tuning and then used for development.
pub const FURTHER_SETS: &[(&str, &str)] = &[
    (
        "unseen2",
        "Dritter Satz, wieder andere Stimme (vor dem Abstimmen eingefroren)",
    ),
    (
        "dev3",
        "Vierter Satz (dev3), Entwicklungsdaten in neuer Stimme",
    ),
    (
        "unseen3",
        "Fünfter Satz (unseen3), unabhängig geschrieben, nie zum Abstimmen benutzt",
    ),
    (
        "dev4",
        "Sechster Satz (dev4), unabhängig geschrieben, Entwicklungsdaten",
    ),
    (
        "unseen4",
        "Siebter Satz (unseen4), unabhängig geschrieben, nie zum Abstimmen benutzt",
    ),
    (
        "dev5",
        "Achter Satz (dev5), unabhängig geschrieben, Entwicklungsdaten",
    ),
    (
        "dev6",
        "Neunter Satz (dev6), unabhängig geschrieben, Entwicklungsdaten",
    ),
    (
        "dev7",
        "Zehnter Satz (dev7), unabhängig geschrieben, Entwicklungsdaten",
    ),
    (
        "unseen5",
        "Elfter Satz (unseen5), unabhängig geschrieben, nie zum Abstimmen benutzt",
    ),
    (
        "unseen6",
        "Zwölfter Satz (unseen6), unabhängig geschrieben, nie zum Abstimmen benutzt",
    ),
    (
        "dev8",
        "Dreizehnter Satz (dev8), unabhängig geschrieben, Entwicklungsdaten",
    ),
    (
        "dev9",
        "Vierzehnter Satz (dev9), unabhängig geschrieben, Entwicklungsdaten",
    ),
    (
        "unseen7",
        "Fünfzehnter Satz (unseen7), unabhängig geschrieben, nie zum Abstimmen benutzt",
    ),
    (
        "unseen8",
        "Sechzehnter Satz (unseen8), unabhängig geschrieben, nie zum Abstimmen benutzt",
    ),
    (
        "dev10",
        "Siebzehnter Satz (dev10), unabhängig geschrieben, Entwicklungsdaten",
    ),
    (
        "dev11",
        "Achtzehnter Satz (dev11), unabhängig geschrieben, Entwicklungsdaten",
    ),
    (
        "dev12",
        "Neunzehnter Satz (dev12), unabhängig geschrieben, Entwicklungsdaten",
    ),
];

/// A further labelled set and its section heading in the report.
#[derive(Debug, Clone, Copy)]
pub struct NamedSet<'a> {
    /// Section heading (German).
    pub name: &'a str,
    /// The labelled wishes.
    pub wishes: &'a [LabelledWish],
}

/// The labelled sets of a quality report.
#[derive(Debug, Clone, Copy)]
pub struct LabelledSets<'a> {
    /// The tuning half of the first development set.
    pub tuning: &'a [LabelledWish],
    /// Its held-out half.
    pub heldout: &'a [LabelledWish],
    /// The second set, in another voice, frozen before the algorithm was
    /// changed for it (issue 12).
    pub unseen: &'a [LabelledWish],
    /// Further sets in report order ([`FURTHER_SETS`]); an empty one is left out.
    pub more: &'a [NamedSet<'a>],
    /// A check set never used for tuning (e.g. the wishes of a real forum).
    pub check: Option<&'a [LabelledWish]>,
}

/// Runs the algorithm and the baselines on every set and the held-out half
/// again with the tuning half as learned examples.
pub fn quality_report(sets: LabelledSets<'_>, catalogue: &Catalogue) -> QualityReport {
    let LabelledSets {
        tuning, heldout, ..
    } = sets;
    // The two halves are one writer's set: each is scored by a reader that
    // knows neither.
    let mut halves = vec![
        half_report("Tuning-Hälfte", tuning, heldout, catalogue),
        half_report("Held-out-Hälfte", heldout, tuning, catalogue),
        half_report(
            "Zweiter Satz, andere Stimme (vor den Änderungen eingefroren)",
            sets.unseen,
            &[],
            catalogue,
        ),
    ];
    for set in sets.more.iter().filter(|set| !set.wishes.is_empty()) {
        halves.push(half_report(set.name, set.wishes, &[], catalogue));
    }
    if let Some(check) = sets.check {
        halves.push(half_report(
            "Prüfsatz (nie zum Abstimmen benutzt)",
            check,
            &[],
            catalogue,
        ));
    }
    let learned: Vec<LearnedExample> = tuning
        .iter()
        .map(|w| LearnedExample {
            text: w.text.clone(),
            cluster: w.gold.clone(),
            group: catalogue.group_of(&w.gold),
        })
        .collect();
    let gold: Vec<&str> = heldout.iter().map(|w| w.gold.as_str()).collect();
    let effect = |catalogue: &Catalogue| {
        let labels = |learned: &[LearnedExample]| {
            predicted_labels(&suggestions_by_reader_without(
                heldout, tuning, catalogue, learned,
            ))
        };
        (
            Scores::of(&labels(&[]), &gold),
            Scores::of(&labels(&learned), &gold),
        )
    };
    let empty = Catalogue {
        sections: Vec::new(),
        fallback: catalogue.fallback.clone(),
        countries: None,
        topics: Vec::new(),
    };
    QualityReport {
        halves,
        learning: effect(catalogue),
        learning_only: effect(&empty),
    }
}

/// A development set built into the app as example wishes (`seeds/wishes/`),
/// by its key ("tuning", "heldout", "dev3" …); `None` for the sets never
/// trained on (`unseen2` … in `tests/fixtures/wishes/`).
pub fn built_in_set(key: &str) -> Option<Vec<LabelledWish>> {
    super::corpus::built_in_set(key)
        .map(|set| parse_labelled(set.content).expect("the built-in sets parse"))
}

/// The suggestions for a labelled set by an example reader that has not
/// seen it: a built-in example set that is mostly among `wishes` (a
/// development set scored as a new voice: leave one set out) is left out of
/// the reader's training, and so is any single example with the text of one
/// of `wishes`. A set the built-in reader never saw is scored by it as it
/// stands.
pub fn suggestions_unseen_by_reader(
    wishes: &[LabelledWish],
    catalogue: &Catalogue,
    learned: &[LearnedExample],
) -> Vec<super::Suggestion> {
    suggestions_by_reader_without(wishes, &[], catalogue, learned)
}

/// [`suggestions_unseen_by_reader`] that also keeps the built-in sets of
/// `kept_out` from the reader (the learning effect learns the tuning half,
/// so the reader must not know it in either arm).
fn suggestions_by_reader_without(
    wishes: &[LabelledWish],
    kept_out: &[LabelledWish],
    catalogue: &Catalogue,
    learned: &[LearnedExample],
) -> Vec<super::Suggestion> {
    let texts: Vec<String> = wishes.iter().map(|w| w.text.clone()).collect();
    let unseen: HashSet<&str> = wishes
        .iter()
        .chain(kept_out)
        .map(|w| w.text.as_str())
        .collect();
    let sets = built_in_sets();
    let contained = |examples: &[LabelledWish]| {
        2 * examples
            .iter()
            .filter(|e| unseen.contains(e.text.as_str()))
            .count()
            > examples.len()
    };
    let examples: Vec<LabelledWish> = sets
        .iter()
        .filter(|examples| !contained(examples))
        .flatten()
        .filter(|e| !unseen.contains(e.text.as_str()))
        .cloned()
        .collect();
    if examples.len() == sets.iter().map(Vec::len).sum::<usize>() {
        suggest(&texts, catalogue, learned)
    } else {
        suggest_with_examples(&texts, catalogue, learned, &ExampleReader::train(&examples))
    }
}

/// The cluster label of every suggestion; an unassigned answer counts as a
/// cluster of its own (staff have to place it by hand).
pub fn predicted_labels(suggestions: &[super::Suggestion]) -> Vec<String> {
    suggestions
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if s.is_unassigned() {
                format!("(nicht zugeordnet {i})")
            } else {
                s.cluster.clone()
            }
        })
        .collect()
}

/// The report of one set; `kept_out` are answers of the same writer the
/// reader must not know either (the other half of a split set).
fn half_report(
    name: &str,
    wishes: &[LabelledWish],
    kept_out: &[LabelledWish],
    catalogue: &Catalogue,
) -> HalfReport {
    let texts: Vec<String> = wishes.iter().map(|w| w.text.clone()).collect();
    let gold: Vec<&str> = wishes.iter().map(|w| w.gold.as_str()).collect();
    let suggestions = suggestions_by_reader_without(wishes, kept_out, catalogue, &[]);
    let predicted = predicted_labels(&suggestions);
    let keywords_only = predicted_labels(&suggest_with_examples(
        &texts,
        catalogue,
        &[],
        &ExampleReader::none(),
    ));
    let one: Vec<&str> = vec!["alle"; wishes.len()];
    let singletons: Vec<String> = (0..wishes.len()).map(|i| i.to_string()).collect();
    let rows = vec![
        ReportRow {
            method: "Vorschläge (Stichwörter + Beispielleser)".into(),
            scores: Scores::of(&predicted, &gold),
        },
        ReportRow {
            method: "Vorschläge nur mit Stichwörtern".into(),
            scores: Scores::of(&keywords_only, &gold),
        },
        ReportRow {
            method: "Basis: alles in einem Cluster".into(),
            scores: Scores::of(&one, &gold),
        },
        ReportRow {
            method: "Basis: jede Antwort allein".into(),
            scores: Scores::of(&singletons, &gold),
        },
        ReportRow {
            method: "Basis: reines Wort-TF-IDF ohne Katalog".into(),
            scores: Scores::of(&plain_tfidf_labels(&texts), &gold),
        },
    ];
    let two_topic: Vec<(&LabelledWish, &super::Suggestion)> = wishes
        .iter()
        .zip(&suggestions)
        .filter(|(w, _)| w.second.is_some())
        .collect();
    let hits = two_topic
        .iter()
        .filter(|(w, s)| {
            let second = w.second.as_deref();
            second == Some(s.cluster.as_str())
                || s.second.as_ref().map(|x| x.cluster.as_str()) == second
        })
        .count();
    let gold_topics = cluster_ids(&gold).into_iter().max().map_or(0, |m| m + 1);
    HalfReport {
        name: name.into(),
        answers: wishes.len(),
        gold_topics,
        rows,
        second_hits: (hits, two_topic.len()),
    }
}

fn write_scores(f: &mut fmt::Formatter<'_>, method: &str, s: &Scores) -> fmt::Result {
    writeln!(
        f,
        "  {method:<46} {:>6.3} {:>7.3} {:>5} ({:>5.1} %) {:>9}",
        s.ami,
        s.bcubed_f1,
        s.moves,
        s.moves_percent(),
        s.clusters
    )
}

impl fmt::Display for QualityReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Qualität der Themenvorschläge für Wünsche")?;
        for half in &self.halves {
            writeln!(f)?;
            writeln!(
                f,
                "{} — {} {}, {} {} im Goldstandard",
                half.name,
                half.answers,
                if half.answers == 1 {
                    "Wunsch"
                } else {
                    "Wünsche"
                },
                half.gold_topics,
                if half.gold_topics == 1 {
                    "Thema"
                } else {
                    "Themen"
                },
            )?;
            writeln!(
                f,
                "  {:<46} {:>6} {:>7} {:>15} {:>9}",
                "Verfahren", "AMI", "B³-F1", "Verschiebungen", "Cluster"
            )?;
            for row in &half.rows {
                write_scores(f, &row.method, &row.scores)?;
            }
            writeln!(
                f,
                "  Zwei-Themen-Antworten mit erkanntem Zweitthema: {} von {}",
                half.second_hits.0, half.second_hits.1
            )?;
        }
        writeln!(f)?;
        writeln!(
            f,
            "Lerneffekt auf der Held-out-Hälfte (gelernt aus der Tuning-Hälfte)"
        )?;
        write_scores(f, "ohne gelernte Beispiele", &self.learning.0)?;
        write_scores(f, "mit gelernten Beispielen", &self.learning.1)?;
        writeln!(f, "  … mit leerem Katalog (nur Lernen und Gruppierung):")?;
        write_scores(f, "ohne gelernte Beispiele", &self.learning_only.0)?;
        write_scores(f, "mit gelernten Beispielen", &self.learning_only.1)?;
        writeln!(f)?;
        writeln!(
            f,
            "Ziele: Held-out-Hälfte AMI ≥ 0,6 und höchstens 25 % Verschiebungen; Sätze in neuer \
             Stimme (besonders die nie zum Abstimmen benutzten) AMI ≥ 0,8 und höchstens 15 % \
             Verschiebungen; Prüfsatz höchstens 5 Verschiebungen."
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_groupings_score_perfectly_whatever_the_names() {
        let a = cluster_ids(&["x", "x", "y", "z", "z"]);
        let b = cluster_ids(&["1", "1", "2", "3", "3"]);
        assert!((adjusted_mutual_information(&a, &b) - 1.0).abs() < 1e-9);
        assert!((bcubed_f1(&a, &b) - 1.0).abs() < 1e-9);
        assert_eq!(moves(&a, &b), 0);
    }

    #[test]
    fn ami_matches_the_scikit_learn_reference_values() {
        // The example of scikit-learn's test_adjusted_mutual_info_score:
        // EMI 0.15042, AMI 0.27821 (arithmetic mean).
        let a = [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3];
        let b = [1, 1, 1, 1, 2, 1, 2, 2, 2, 2, 3, 1, 3, 3, 3, 2, 2];
        let (a, b) = (
            cluster_ids(&a.map(|x: i32| x.to_string())),
            cluster_ids(&b.map(|x: i32| x.to_string())),
        );
        assert!((expected_mutual_information(&contingency(&a, &b)) - 0.15042).abs() < 1e-5);
        let ami = adjusted_mutual_information(&a, &b);
        assert!((ami - 0.27821).abs() < 1e-5, "{ami}");
    }

    #[test]
    fn trivial_groupings_get_no_ami() {
        let gold = cluster_ids(&["a", "a", "b", "b", "c", "c", "c"]);
        let one = vec![0; 7];
        let singletons: Vec<usize> = (0..7).collect();
        assert!(adjusted_mutual_information(&one, &gold).abs() < 1e-9);
        assert!(adjusted_mutual_information(&singletons, &gold).abs() < 1e-9);
        assert_eq!(moves(&one, &gold), 4);
        assert_eq!(moves(&singletons, &gold), 4);
    }

    #[test]
    fn bcubed_f1_of_a_split_cluster() {
        // gold {0,1,2,3}; predicted {0,1},{2,3}: precision 1, recall 0.5.
        let f1 = bcubed_f1(&[0, 0, 1, 1], &[0, 0, 0, 0]);
        assert!((f1 - 2.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn moves_use_the_best_one_to_one_matching() {
        // Greedy would give predicted 0 → gold 0 (3) and then predicted 1 → gold 1 (0);
        // the optimum is predicted 0 → gold 1 (2) and predicted 1 → gold 0 (3): 5 of 8 stay.
        let predicted = [0, 0, 0, 0, 0, 1, 1, 1];
        let gold = [0, 0, 0, 1, 1, 0, 0, 0];
        assert_eq!(moves(&predicted, &gold), 3);
    }

    fn fixture(text: &str) -> Vec<LabelledWish> {
        parse_labelled(text).expect("the fixture parses")
    }

    /// The figures reached on the labelled sets ([`FLOORS`]); a change that
    /// makes any of them worse fails here, and the algorithm stays far above
    /// the plain TF-IDF baseline.
    #[test]
    fn suggestions_keep_their_quality_on_every_labelled_set() {
        let catalogue = Catalogue::default_catalogue();
        // As in the report: each half of the first set by a reader that
        // knows neither half.
        let other_half = |name: &str| match name {
            "tuning" => fixture(include_str!("../../../../seeds/wishes/heldout.tsv")),
            "heldout" => fixture(include_str!("../../../../seeds/wishes/tuning.tsv")),
            _ => Vec::new(),
        };
        let score = |name: &str, text: &str| {
            let wishes = fixture(text);
            let gold: Vec<&str> = wishes.iter().map(|w| w.gold.as_str()).collect();
            let suggestions =
                suggestions_by_reader_without(&wishes, &other_half(name), &catalogue, &[]);
            Scores::of(&predicted_labels(&suggestions), &gold)
        };
        for (name, text, least_ami, most_moves) in FLOORS {
            let scores = score(name, text);
            assert!(
                scores.ami >= *least_ami && scores.moves_percent() <= *most_moves,
                "{name}: {scores:?}"
            );
        }
        let baseline = |text: &str| {
            let wishes = fixture(text);
            let texts: Vec<String> = wishes.iter().map(|w| w.text.clone()).collect();
            let gold: Vec<&str> = wishes.iter().map(|w| w.gold.as_str()).collect();
            Scores::of(&plain_tfidf_labels(&texts), &gold)
        };
        let unseen = score(
            "unseen",
            include_str!("../../../../seeds/wishes/unseen.tsv"),
        );
        let plain = baseline(include_str!("../../../../seeds/wishes/unseen.tsv"));
        assert!(unseen.ami > plain.ami + 0.4, "{unseen:?} vs {plain:?}");
    }

    /// Per labelled set: the AMI and the share of moves (percent) reached,
    /// rounded against the algorithm; a built-in set is scored by a reader
    /// that has not seen it. Of the sets never tuned against (unseen2 to
    /// unseen8) unseen2 to unseen5 reach the goal of issue 12 (AMI ≥ 0.80,
    /// at most 15 % moves), unseen6 misses the moves by one answer,
    /// unseen7 and unseen8 miss both; the floors are what the algorithm
    /// reaches, so regressions still fail.
    const FLOORS: &[(&str, &str, f64, f64)] = &[
        (
            "tuning",
            include_str!("../../../../seeds/wishes/tuning.tsv"),
            0.915,
            5.1,
        ),
        (
            "heldout",
            include_str!("../../../../seeds/wishes/heldout.tsv"),
            0.865,
            8.1,
        ),
        (
            "unseen",
            include_str!("../../../../seeds/wishes/unseen.tsv"),
            0.895,
            7.1,
        ),
        (
            "unseen2",
            include_str!("../../../../tests/fixtures/wishes/unseen2.tsv"),
            0.89,
            7.3,
        ),
        (
            "dev3",
            include_str!("../../../../seeds/wishes/dev3.tsv"),
            0.91,
            5.6,
        ),
        (
            "unseen3",
            include_str!("../../../../tests/fixtures/wishes/unseen3.tsv"),
            0.935,
            5.0,
        ),
        (
            "dev4",
            include_str!("../../../../seeds/wishes/dev4.tsv"),
            0.91,
            6.5,
        ),
        (
            "unseen4",
            include_str!("../../../../tests/fixtures/wishes/unseen4.tsv"),
            0.885,
            7.1,
        ),
        (
            "dev5",
            include_str!("../../../../seeds/wishes/dev5.tsv"),
            0.935,
            4.5,
        ),
        (
            "dev6",
            include_str!("../../../../seeds/wishes/dev6.tsv"),
            0.885,
            9.0,
        ),
        (
            "dev7",
            include_str!("../../../../seeds/wishes/dev7.tsv"),
            0.855,
            11.1,
        ),
        (
            "unseen5",
            include_str!("../../../../tests/fixtures/wishes/unseen5.tsv"),
            0.815,
            12.2,
        ),
        (
            "unseen6",
            include_str!("../../../../tests/fixtures/wishes/unseen6.tsv"),
            0.82,
            15.2,
        ),
        (
            "dev8",
            include_str!("../../../../seeds/wishes/dev8.tsv"),
            0.8,
            13.8,
        ),
        (
            "dev9",
            include_str!("../../../../seeds/wishes/dev9.tsv"),
            0.84,
            12.1,
        ),
        (
            "unseen7",
            include_str!("../../../../tests/fixtures/wishes/unseen7.tsv"),
            0.755,
            18.0,
        ),
        (
            "unseen8",
            include_str!("../../../../tests/fixtures/wishes/unseen8.tsv"),
            0.78,
            15.7,
        ),
        (
            "dev10",
            include_str!("../../../../seeds/wishes/dev10.tsv"),
            0.72,
            21.4,
        ),
        (
            "dev11",
            include_str!("../../../../seeds/wishes/dev11.tsv"),
            0.775,
            16.0,
        ),
        (
            "dev12",
            include_str!("../../../../seeds/wishes/dev12.tsv"),
            0.785,
            15.2,
        ),
    ];

    #[test]
    fn parses_the_development_set_format() {
        let parsed = parse_labelled(
            "# Kopf\nUkraine\t\tUA-Partner\nHumanitäre Hilfe\tUkraine\tHilfe für Lwiw\n",
        )
        .unwrap();
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[1].second.as_deref(), Some("Ukraine"));
        assert!(parse_labelled("nur eine Spalte").is_err());
    }
}

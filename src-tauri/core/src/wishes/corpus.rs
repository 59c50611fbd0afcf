//! The built-in example wishes: the labelled development sets in
//! `seeds/wishes/` (invented answers written in many voices, no personal
//! data), one answer per line as `gold<TAB>second_or_empty<TAB>text`.
//!
//! They teach the example reader ([`super::reader`]) how registrants write
//! about the topics of the default catalogue. The sets that were never tuned
//! against (`tests/fixtures/wishes/unseen2` … `unseen8`) are deliberately not
//! among them: they measure the reader instead of training it.

/// One labelled set of example wishes.
#[derive(Debug, Clone, Copy)]
pub struct ExampleSet {
    /// Stable name of the set (its file name without `.tsv`).
    pub key: &'static str,
    /// The file's content.
    pub content: &'static str,
}

macro_rules! example_set {
    ($key:literal) => {
        ExampleSet {
            key: $key,
            content: include_str!(concat!("../../../../seeds/wishes/", $key, ".tsv")),
        }
    };
}

/// Every built-in set, oldest first.
pub const BUILT_IN: &[ExampleSet] = &[
    example_set!("tuning"),
    example_set!("heldout"),
    example_set!("unseen"),
    example_set!("dev3"),
    example_set!("dev4"),
    example_set!("dev5"),
    example_set!("dev6"),
    example_set!("dev7"),
    example_set!("dev8"),
    example_set!("dev9"),
    example_set!("dev10"),
    example_set!("dev11"),
    example_set!("dev12"),
];

/// The built-in set named `key`, if there is one.
pub fn built_in_set(key: &str) -> Option<&'static ExampleSet> {
    BUILT_IN.iter().find(|set| set.key == key)
}

/// One labelled answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelledWish {
    /// The gold cluster.
    pub gold: String,
    /// The second topic of a two-topic answer.
    pub second: Option<String>,
    /// The answer.
    pub text: String,
}

/// Reads the labelled format: `gold<TAB>second_or_empty<TAB>text` per line;
/// lines starting with `#` and blank lines are skipped.
pub fn parse_labelled(content: &str) -> Result<Vec<LabelledWish>, String> {
    let mut out = Vec::new();
    for (number, line) in content.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.splitn(3, '\t');
        let (Some(gold), Some(second), Some(text)) = (fields.next(), fields.next(), fields.next())
        else {
            return Err(format!(
                "Zeile {}: erwartet werden drei durch Tabulatoren getrennte Spalten.",
                number + 1
            ));
        };
        if gold.trim().is_empty() || text.trim().is_empty() {
            return Err(format!("Zeile {}: Thema oder Text fehlt.", number + 1));
        }
        let second = Some(second.trim())
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        out.push(LabelledWish {
            gold: gold.trim().to_string(),
            second,
            text: text.trim().to_string(),
        });
    }
    Ok(out)
}

/// The labelled answers of each built-in set, in [`BUILT_IN`] order.
pub fn built_in_sets() -> Vec<Vec<LabelledWish>> {
    BUILT_IN
        .iter()
        .map(|set| parse_labelled(set.content).expect("the built-in sets parse"))
        .collect()
}

/// The labelled answers of every built-in set.
pub fn built_in_wishes() -> Vec<LabelledWish> {
    built_in_sets().into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wishes::Catalogue;

    #[test]
    fn every_built_in_set_parses_and_names_known_topics_mostly() {
        let catalogue = Catalogue::default_catalogue();
        let countries = crate::wishes::countries_lexicon();
        for set in BUILT_IN {
            let wishes = parse_labelled(set.content).expect(set.key);
            assert!(wishes.len() >= 90, "{}: {}", set.key, wishes.len());
            // A writer may add a topic of their own; the rest are the
            // catalogue's topics and countries the reader can learn.
            let known = wishes
                .iter()
                .filter(|w| {
                    catalogue.topics.iter().any(|t| t.label == w.gold)
                        || countries.iter().any(|c| c.label == w.gold)
                })
                .count();
            assert!(known * 100 >= wishes.len() * 90, "{}: {known}", set.key);
        }
    }

    #[test]
    fn the_held_out_sets_are_not_built_in() {
        let by_set: usize = BUILT_IN
            .iter()
            .map(|set| parse_labelled(set.content).unwrap().len())
            .sum();
        assert_eq!(built_in_wishes().len(), by_set);
        assert!(built_in_set("dev3").is_some());
        assert!(built_in_set("unseen2").is_none(), "held-out sets stay out");
    }
}

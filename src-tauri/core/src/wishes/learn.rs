//! Learning from finished events: curated wishes become examples of their
//! topics; new answers get votes from their most similar examples.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// How many of the most similar examples vote.
const NEIGHBOURS: usize = 5;
/// Least cosine similarity for an example to vote.
const MIN_SIMILARITY: f64 = 0.35;

/// A wish of a finished event with the cluster staff put it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnedExample {
    /// The wish as written.
    pub text: String,
    /// The label of its final cluster.
    pub cluster: String,
    /// The group of that cluster.
    pub group: Option<String>,
}

/// The learned examples, indexed for similarity look-ups.
pub struct LearnedModel {
    /// Distinct labels with their group, in order of first appearance.
    pub labels: Vec<(String, Option<String>)>,
    /// Per example: its label index and the norm of its vector.
    examples: Vec<(usize, f64)>,
    /// term → (example, weight).
    index: HashMap<String, Vec<(usize, f64)>>,
    idf: HashMap<String, f64>,
}

impl LearnedModel {
    /// Builds the model from the examples' content stems (`features[i]`
    /// belongs to `examples[i]`).
    pub fn new(examples: &[LearnedExample], features: &[Vec<String>]) -> LearnedModel {
        let mut labels: Vec<(String, Option<String>)> = Vec::new();
        let mut df: HashMap<&str, usize> = HashMap::new();
        for terms in features {
            for term in terms {
                *df.entry(term.as_str()).or_default() += 1;
            }
        }
        let total = features.len().max(1) as f64;
        let idf: HashMap<String, f64> = df
            .iter()
            .map(|(t, d)| (t.to_string(), (1.0 + total / *d as f64).ln()))
            .collect();
        let mut index: HashMap<String, Vec<(usize, f64)>> = HashMap::new();
        let mut entries = Vec::with_capacity(examples.len());
        for (i, (example, terms)) in examples.iter().zip(features).enumerate() {
            let label = match labels.iter().position(|(l, _)| *l == example.cluster) {
                Some(position) => position,
                None => {
                    labels.push((example.cluster.clone(), example.group.clone()));
                    labels.len() - 1
                }
            };
            let mut norm = 0.0;
            for term in terms {
                let weight = idf[term];
                norm += weight * weight;
                index.entry(term.clone()).or_default().push((i, weight));
            }
            entries.push((label, norm.sqrt()));
        }
        LearnedModel {
            labels,
            examples: entries,
            index,
            idf,
        }
    }

    /// Votes per label index for an answer with these content stems: the
    /// summed cosine similarities of the most similar examples.
    pub fn votes(&self, terms: &[String]) -> Vec<(usize, f64)> {
        let mut dots: HashMap<usize, f64> = HashMap::new();
        let mut norm = 0.0;
        for term in terms {
            let Some(weight) = self.idf.get(term) else {
                continue;
            };
            norm += weight * weight;
            for (example, example_weight) in &self.index[term] {
                *dots.entry(*example).or_default() += weight * example_weight;
            }
        }
        if norm == 0.0 {
            return Vec::new();
        }
        // Terms unknown to the examples still lengthen the answer's vector.
        norm += (terms.len() - terms.iter().filter(|t| self.idf.contains_key(*t)).count()) as f64;
        let norm = norm.sqrt();
        let mut similar: Vec<(usize, f64)> = dots
            .into_iter()
            .map(|(example, dot)| (example, dot / (norm * self.examples[example].1)))
            .filter(|(_, similarity)| *similarity >= MIN_SIMILARITY)
            .collect();
        similar.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut votes: Vec<(usize, f64)> = Vec::new();
        for (example, similarity) in similar.into_iter().take(NEIGHBOURS) {
            let label = self.examples[example].0;
            match votes.iter_mut().find(|(l, _)| *l == label) {
                Some(vote) => vote.1 += similarity,
                None => votes.push((label, similarity)),
            }
        }
        votes
    }

    /// The answer's terms that examples of label `label` share, rarest first.
    pub fn shared_terms<'a>(&self, terms: &'a [String], label: usize) -> Vec<&'a str> {
        let mut shared: Vec<&'a String> = terms
            .iter()
            .filter(|term| {
                self.index
                    .get(*term)
                    .is_some_and(|hits| hits.iter().any(|(e, _)| self.examples[*e].0 == label))
            })
            .collect();
        shared.sort_by(|a, b| self.idf[*b].total_cmp(&self.idf[*a]).then(a.cmp(b)));
        shared.into_iter().map(String::as_str).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(text: &str, cluster: &str) -> LearnedExample {
        LearnedExample {
            text: text.into(),
            cluster: cluster.into(),
            group: None,
        }
    }

    fn terms(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_most_similar_examples_vote() {
        let examples = [
            example("a", "Jubiläen"),
            example("b", "Sprache"),
            example("c", "Jubiläen"),
        ];
        let features = [
            terms(&["jubilaum", "feier"]),
            terms(&["sprach", "kurs"]),
            terms(&["jubilaum", "planen"]),
        ];
        let model = LearnedModel::new(&examples, &features);
        let votes = model.votes(&terms(&["jubilaum"]));
        assert_eq!(votes.len(), 1);
        assert_eq!(model.labels[votes[0].0].0, "Jubiläen");
        assert!(votes[0].1 > 0.6, "two similar examples: {}", votes[0].1);
        assert!(model.votes(&terms(&["unbekannt"])).is_empty());
        // One shared term among several unknown ones is too little.
        assert!(model.votes(&terms(&["jubilaum", "x", "y", "z"])).is_empty());
        let answer = terms(&["feier", "jubilaum", "x"]);
        assert_eq!(
            model.shared_terms(&answer, votes[0].0),
            ["feier", "jubilaum"]
        );
    }
}

//! Unsupervised grouping of answers no topic matched: TF-IDF vectors,
//! cosine distance, average linkage (kodama) cut at a fixed distance.

use std::collections::HashMap;

use kodama::{Method, linkage};

/// Average-linkage distance up to which answers are merged (word stems).
pub const DISTANCE_CUT: f64 = 0.8;
/// The same for character n-gram vectors (chosen on the tuning half).
pub const NGRAM_DISTANCE_CUT: f64 = 0.9;

/// A sparse, L2-normalised TF-IDF vector: (term id, weight), sorted by id.
type Vector = Vec<(usize, f64)>;

/// A group of similar answers found without the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Indices into the documents passed to [`discover`].
    pub members: Vec<usize>,
    /// Per member: cosine similarity to the group's centroid.
    pub similarity: Vec<f64>,
    /// The group's terms, shared by most members first, then by weight.
    pub top_terms: Vec<String>,
    /// Per top term: how many members contain it.
    pub support: Vec<usize>,
}

/// Groups documents (their terms) whose average-linkage cosine distance
/// stays below `cut`. `idf` weights the terms; groups have at least two
/// members; answers left alone are not returned.
pub fn discover(documents: &[Vec<String>], idf: &HashMap<String, f64>, cut: f64) -> Vec<Group> {
    let n = documents.len();
    if n < 2 {
        return Vec::new();
    }
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut names: Vec<&str> = Vec::new();
    let vectors: Vec<Vector> = documents
        .iter()
        .map(|doc| vectorise(doc, idf, &mut ids, &mut names))
        .collect();
    let mut condensed = Vec::with_capacity(n * (n - 1) / 2);
    for i in 0..n {
        for j in i + 1..n {
            condensed.push(1.0 - dot(&vectors[i], &vectors[j]));
        }
    }
    let dendrogram = linkage(&mut condensed, n, Method::Average);
    let mut parent: Vec<usize> = (0..2 * n).collect();
    for (step_index, step) in dendrogram.steps().iter().enumerate() {
        if step.dissimilarity > cut {
            break;
        }
        let new = n + step_index;
        parent[step.cluster1] = new;
        parent[step.cluster2] = new;
    }
    let mut by_root: HashMap<usize, Vec<usize>> = HashMap::new();
    for document in 0..n {
        by_root
            .entry(root(&parent, document))
            .or_default()
            .push(document);
    }
    let mut groups: Vec<Vec<usize>> = by_root.into_values().filter(|m| m.len() >= 2).collect();
    groups.sort();
    groups
        .into_iter()
        .map(|members| describe(members, &vectors, &names))
        .collect()
}

fn root(parent: &[usize], mut node: usize) -> usize {
    while parent[node] != node {
        node = parent[node];
    }
    node
}

fn vectorise<'a>(
    doc: &'a [String],
    idf: &HashMap<String, f64>,
    ids: &mut HashMap<&'a str, usize>,
    names: &mut Vec<&'a str>,
) -> Vector {
    let mut counts: HashMap<usize, f64> = HashMap::new();
    for term in doc {
        let next = ids.len();
        let id = *ids.entry(term.as_str()).or_insert_with(|| {
            names.push(term.as_str());
            next
        });
        *counts.entry(id).or_default() += idf.get(term).copied().unwrap_or(1.0);
    }
    let mut vector: Vector = counts.into_iter().collect();
    vector.sort_by_key(|(id, _)| *id);
    normalise(&mut vector);
    vector
}

fn normalise(vector: &mut Vector) {
    let norm = vector.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
    if norm > 0.0 {
        vector.iter_mut().for_each(|(_, w)| *w /= norm);
    }
}

fn dot(a: &Vector, b: &Vector) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

fn describe(members: Vec<usize>, vectors: &[Vector], names: &[&str]) -> Group {
    let mut centroid: HashMap<usize, f64> = HashMap::new();
    let mut support: HashMap<usize, usize> = HashMap::new();
    for &member in &members {
        for (id, weight) in &vectors[member] {
            *centroid.entry(*id).or_default() += weight;
            *support.entry(*id).or_default() += 1;
        }
    }
    let mut ranked: Vec<(usize, f64)> = centroid.iter().map(|(id, w)| (*id, *w)).collect();
    ranked.sort_by(|a, b| {
        support[&b.0]
            .cmp(&support[&a.0])
            .then(b.1.total_cmp(&a.1))
            .then(names[a.0].cmp(names[b.0]))
    });
    let top_terms = ranked
        .iter()
        .map(|(id, _)| names[*id].to_string())
        .collect();
    let support = ranked.iter().map(|(id, _)| support[id]).collect();
    let mut centroid: Vector = centroid.into_iter().collect();
    centroid.sort_by_key(|(id, _)| *id);
    normalise(&mut centroid);
    let similarity = members
        .iter()
        .map(|&m| dot(&vectors[m], &centroid))
        .collect();
    Group {
        members,
        similarity,
        top_terms,
        support,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(terms: &[&str]) -> Vec<String> {
        terms.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn similar_documents_form_groups_and_outliers_stay_alone() {
        let documents = [
            doc(&["jubilaum", "feier"]),
            doc(&["sprach", "kurs"]),
            doc(&["jubilaum", "programm"]),
            doc(&["sprach", "barrier"]),
            doc(&["wetter"]),
        ];
        let groups = discover(&documents, &HashMap::new(), DISTANCE_CUT);
        let members: Vec<Vec<usize>> = groups.iter().map(|g| g.members.clone()).collect();
        assert_eq!(members, vec![vec![0, 2], vec![1, 3]]);
        assert_eq!(groups[0].top_terms[0], "jubilaum");
        assert_eq!(groups[0].support[0], 2);
        assert!(groups[0].similarity.iter().all(|s| *s > 0.5));
    }

    #[test]
    fn too_few_documents_give_no_groups() {
        assert!(discover(&[doc(&["a"])], &HashMap::new(), DISTANCE_CUT).is_empty());
    }
}

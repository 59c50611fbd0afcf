//! Type-ahead search over name, organisation, Ort and e-mail (SQLite FTS5).
//!
//! Every word of the query is a prefix; diacritics fold ("muller" and "mueller" find "Müller",
//! "koln" finds "Köln"); results are ranked by bm25 with the name weighted highest.

use rusqlite::Connection;

use super::{PERSON_COLUMNS, Person, person_from_row};
use crate::error::CoreResult;

/// Column weights for bm25: name, organisation, Ort, e-mail, transliteration.
const BM25_WEIGHTS: &str = "10.0, 4.0, 3.0, 2.0, 6.0";

/// At most this many matches are ranked. A query matching more (one or two letters typed) is
/// too broad for ranking to mean much, and ranking every row of a large contact base would
/// cost tens of milliseconds per keystroke; more specific queries are ranked exactly.
const RANKED_CANDIDATES: i64 = 400;

/// Turns user input into an FTS5 query: each word becomes a quoted prefix term, all required.
/// Returns `None` when the input holds no searchable word.
///
/// A word with an umlaut or ß also matches its transliteration in the `alt` column, so "mül"
/// ranks "Müller" (two matching phrases) above "Mulder" (one).
pub(crate) fn fts_query(input: &str) -> Option<String> {
    let terms: Vec<String> = input
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let word = w.to_lowercase();
            let transliterated = transliterate(&word);
            if transliterated == word {
                format!("\"{word}\"*")
            } else {
                format!("(\"{word}\"* OR alt : \"{transliterated}\"*)")
            }
        })
        .collect();
    // Explicit AND: FTS5 rejects an implicit AND after a parenthesised group.
    (!terms.is_empty()).then(|| terms.join(" AND "))
}

/// German transliteration: ä → ae, ö → oe, ü → ue, ß → ss (the schema's `alt` column).
fn transliterate(word: &str) -> String {
    word.replace('ä', "ae")
        .replace('ö', "oe")
        .replace('ü', "ue")
        .replace('ß', "ss")
}

/// The e-mail part of a query: the whole query, lower-cased, when it looks like (the start of)
/// an e-mail address — one word with "@" or "." — else empty.
fn email_prefix(query: &str) -> String {
    let q = query.trim().to_lowercase();
    if !q.contains(char::is_whitespace) && q.contains(['@', '.']) {
        q
    } else {
        String::new()
    }
}

/// The best `limit` persons for `query`, best first. An exact e-mail match always comes first,
/// then e-mails that start with the query (typing "hans-peter.kowalski@" must not pick the other
/// Kowalski), then the bm25 ranking.
pub fn search(conn: &Connection, query: &str, limit: usize) -> CoreResult<Vec<Person>> {
    let Some(fts) = fts_query(query) else {
        return Ok(Vec::new());
    };
    let email = email_prefix(query);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PERSON_COLUMNS} FROM (
             SELECT rowid AS id, bm25(persons_fts, {BM25_WEIGHTS}) AS rank
             FROM persons_fts WHERE persons_fts MATCH ?1 LIMIT {RANKED_CANDIDATES}
         ) hit
         JOIN persons p ON p.id = hit.id
         LEFT JOIN organisations o ON o.id = p.organisation_id
         ORDER BY CASE WHEN ?3 = '' THEN 2
                       WHEN p.email_key = ?3 THEN 0
                       WHEN substr(p.email_key, 1, length(?3)) = ?3 THEN 1
                       ELSE 2 END,
                  hit.rank, p.last_name, p.first_name
         LIMIT ?2"
    ))?;
    let rows = stmt.query_map(rusqlite::params![fts, limit as i64, email], person_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::tests::person;
    use crate::people::{OrgKind, OrganisationInput, create_organisation, create_person};
    use crate::store::Store;

    fn names(hits: &[Person]) -> Vec<String> {
        hits.iter().map(|p| p.last_name.clone()).collect()
    }

    fn fixture() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        store
            .write(|tx| {
                let org = create_organisation(
                    tx,
                    &OrganisationInput {
                        name: "Partnerschaftskomitee Lüdenscheid".into(),
                        kind: OrgKind::Verein,
                        ort: "Lüdenscheid".into(),
                        kreis: "Märkischer Kreis".into(),
                        partner_towns: vec![],
                        ags: None,
                    },
                )?;
                create_person(
                    tx,
                    &person("Anna", "Müller", "Köln", "a.mueller@example.org"),
                )?;
                create_person(
                    tx,
                    &person("Bernd", "Mulder", "Bocholt", "b.mulder@example.org"),
                )?;
                let mut p = person("Zofia", "Nowak", "Lüdenscheid", "z.nowak@example.org");
                p.organisation_id = Some(org.id);
                create_person(tx, &p)?;
                Ok(())
            })
            .unwrap();
        store
    }

    #[test]
    fn diacritics_fold_and_transliterations_match() {
        let store = fixture();
        let conn = store.connection();
        assert_eq!(names(&search(conn, "muller", 10).unwrap()), ["Müller"]);
        assert_eq!(names(&search(conn, "mueller", 10).unwrap()), ["Müller"]);
        assert_eq!(names(&search(conn, "koln", 10).unwrap()), ["Müller"]);
        assert_eq!(names(&search(conn, "Köln", 10).unwrap()), ["Müller"]);
    }

    #[test]
    fn prefixes_match_and_all_words_are_required() {
        let store = fixture();
        let conn = store.connection();
        assert_eq!(search(conn, "mu", 10).unwrap().len(), 2);
        assert_eq!(names(&search(conn, "mu boch", 10).unwrap()), ["Mulder"]);
        assert_eq!(names(&search(conn, "Mül Kö", 10).unwrap()), ["Müller"]);
        assert_eq!(
            names(&search(conn, "partnerschaftskom", 10).unwrap()),
            ["Nowak"]
        );
        assert_eq!(names(&search(conn, "z.nowak@ex", 10).unwrap()), ["Nowak"]);
        assert!(search(conn, "  ,; ", 10).unwrap().is_empty());
        assert!(search(conn, "\"*) (", 10).unwrap().is_empty());
        assert!(
            search(conn, "NOT AND", 10).is_ok(),
            "operators are plain words"
        );
    }

    #[test]
    fn a_name_hit_ranks_above_an_ort_hit() {
        let mut store = fixture();
        store
            .write(|tx| create_person(tx, &person("Carla", "Schmitz", "Mülheim", "")))
            .unwrap();
        let hits = search(store.connection(), "mül", 10).unwrap();
        assert_eq!(names(&hits)[0], "Müller");
        assert!(names(&hits).contains(&"Schmitz".to_owned()));
    }

    #[test]
    fn an_e_mail_prefix_ranks_its_person_first_and_an_exact_e_mail_always_wins() {
        let mut store = fixture();
        store
            .write(|tx| {
                // The other Kowalski has "Hans" and "Peter" in the name, which bm25 likes more.
                create_person(
                    tx,
                    &person(
                        "Hans Peter",
                        "Kowalski",
                        "Peterswald",
                        "h.kowalski@example.org",
                    ),
                )?;
                create_person(
                    tx,
                    &person(
                        "Hans-Peter",
                        "Kowalski",
                        "Bonn",
                        "hans-peter.kowalski@example.org",
                    ),
                )?;
                create_person(
                    tx,
                    &person("Kowalski", "Hans", "Bonn", "kowalski.hans@example.org"),
                )?;
                Ok(())
            })
            .unwrap();
        let conn = store.connection();
        let first = |q: &str| search(conn, q, 10).unwrap()[0].email.clone();
        assert_eq!(
            first("hans-peter.kowalski@"),
            "hans-peter.kowalski@example.org"
        );
        assert_eq!(
            first("hans-peter.kowalski@exa"),
            "hans-peter.kowalski@example.org"
        );
        assert_eq!(first("H.Kowalski@Example.org "), "h.kowalski@example.org");
        assert_eq!(
            first("kowalski.hans@example.org"),
            "kowalski.hans@example.org"
        );
        // Without an e-mail-like query the ranking is unchanged.
        assert_eq!(search(conn, "kowalski", 10).unwrap().len(), 3);
    }

    #[test]
    fn renaming_an_organisation_updates_the_index() {
        let mut store = fixture();
        store
            .write(|tx| {
                tx.execute(
                    "UPDATE organisations SET name = 'Freundeskreis Taganrog' WHERE id = 1",
                    [],
                )?;
                Ok(())
            })
            .unwrap();
        assert_eq!(
            names(&search(store.connection(), "tagan", 10).unwrap()),
            ["Nowak"]
        );
    }
}

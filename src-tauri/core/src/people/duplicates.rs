//! Duplicate contacts: the warning before a person is created and the list of likely pairs.
//!
//! Rules (as CiviCRM learnt, e-mail alone is too loose and too strict at once): the same
//! normalised e-mail (since migration 0004 only possible for an address being entered), or the
//! same first and last name in the same Ort (case and diacritics ignored), or a note left by the
//! migration that the other's address was doubled. Merging lives in `registrations::merge`.

use rusqlite::{Connection, params};
use serde::Serialize;
use ts_rs::TS;

use super::{PERSON_COLUMNS, Person, PersonInput, get_person, person_from_row};
use crate::error::CoreResult;

/// Why a person looks like a duplicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DuplicateReason {
    /// Same e-mail address.
    SameEmail,
    /// Same name and Ort.
    SameNameAndOrt,
    /// The notes of one say that the other's e-mail address was doubled.
    EmailInNotes,
}

/// An existing person that may be the same as the one being entered.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DuplicateCandidate {
    /// The existing person.
    pub person: Person,
    /// Why it matched.
    pub reason: DuplicateReason,
}

/// Existing persons that may be the same as `input` (excluding `except_id`, the person being
/// edited).
pub fn find_duplicates(
    conn: &Connection,
    input: &PersonInput,
    except_id: Option<i64>,
) -> CoreResult<Vec<DuplicateCandidate>> {
    // The e-mail match first, so the UI can offer "diese Person anmelden" for the top hit.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PERSON_COLUMNS},
                CASE WHEN p.email_key <> '' AND p.email_key = lower(trim(?1)) THEN 0
                     WHEN fold(p.first_name) = fold(?2) AND fold(p.last_name) = fold(?3)
                          AND fold(p.ort) = fold(?4) AND trim(?4) <> '' THEN 1
                     ELSE 2 END AS why
         FROM persons p LEFT JOIN organisations o ON o.id = p.organisation_id
         WHERE p.id IS NOT ?5
           AND ((p.email_key <> '' AND p.email_key = lower(trim(?1)))
             OR (fold(p.first_name) = fold(?2) AND fold(p.last_name) = fold(?3)
                 AND fold(p.ort) = fold(?4) AND trim(?4) <> '')
             OR (p.email_key <> ''
                 AND instr(lower(?6), 'e-mail-adresse ' || p.email_key || ' doppelt') > 0)
             OR (trim(?1) <> ''
                 AND instr(lower(p.notes), 'e-mail-adresse ' || lower(trim(?1)) || ' doppelt') > 0))
         ORDER BY why, p.id"
    ))?;
    let rows = stmt.query_map(
        params![
            input.email,
            input.first_name,
            input.last_name,
            input.ort,
            except_id,
            input.notes
        ],
        |row| {
            let reason = match row.get::<_, i64>(17)? {
                0 => DuplicateReason::SameEmail,
                1 => DuplicateReason::SameNameAndOrt,
                _ => DuplicateReason::EmailInNotes,
            };
            Ok(DuplicateCandidate {
                person: person_from_row(row)?,
                reason,
            })
        },
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Two persons that look like the same one (the duplicate list of Kontakte).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DuplicatePair {
    /// The older record (created first): the default to keep.
    pub first: Person,
    /// The newer record.
    pub second: Person,
    /// Why they match.
    pub reason: DuplicateReason,
}

/// Every pair of persons with the same name and Ort, or whose notes say that the other's e-mail
/// address was doubled (see migration 0004), older record first; at most `limit` pairs.
pub fn duplicate_pairs(conn: &Connection, limit: usize) -> CoreResult<Vec<DuplicatePair>> {
    // Grouping by the folded key keeps this linear in the number of persons (no self-join).
    let mut pairs: Vec<(i64, i64, DuplicateReason)> = Vec::new();
    {
        let mut stmt = conn.prepare(
            "SELECT group_concat(id ORDER BY created_at, id) FROM (
                 SELECT id, created_at,
                        fold(first_name) || '|' || fold(last_name) || '|' || fold(ort) AS k
                 FROM persons WHERE trim(ort) <> '')
             GROUP BY k HAVING count(*) > 1",
        )?;
        let groups = stmt.query_map([], |r| r.get::<_, String>(0))?;
        for group in groups {
            let ids: Vec<i64> = group?.split(',').filter_map(|i| i.parse().ok()).collect();
            for pair in ids.windows(2) {
                pairs.push((pair[0], pair[1], DuplicateReason::SameNameAndOrt));
            }
        }
        let mut stmt = conn.prepare(
            "SELECT o.id, p.id FROM persons p JOIN persons o
               ON o.email_key <> ''
              AND instr(lower(p.notes), 'e-mail-adresse ' || o.email_key || ' doppelt') > 0
             WHERE p.notes LIKE '%doppelt%' AND o.id <> p.id",
        )?;
        let noted = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        for row in noted {
            let (a, b) = row?;
            if !pairs
                .iter()
                .any(|&(x, y, _)| (x, y) == (a, b) || (x, y) == (b, a))
            {
                pairs.push((a, b, DuplicateReason::EmailInNotes));
            }
        }
    }
    pairs.truncate(limit);
    pairs
        .into_iter()
        .map(|(a, b, reason)| {
            Ok(DuplicatePair {
                first: get_person(conn, a)?,
                second: get_person(conn, b)?,
                reason,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::create_person;
    use crate::people::tests::person;
    use crate::store::Store;

    #[test]
    fn same_email_or_same_name_and_ort_are_flagged() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .write(|tx| {
                create_person(tx, &person("Jörg", "Weiß", "Köln", "j.weiss@example.org"))?;
                create_person(tx, &person("Ute", "Brand", "Unna", "u.brand@example.org"))
            })
            .unwrap();
        let conn = store.connection();
        let by_mail =
            find_duplicates(conn, &person("X", "Y", "", "J.WEISS@example.org "), None).unwrap();
        assert_eq!(by_mail.len(), 1);
        assert_eq!(by_mail[0].reason, DuplicateReason::SameEmail);
        let by_name = find_duplicates(
            conn,
            &person("jorg", "weiss", "koln", "other@example.org"),
            None,
        )
        .unwrap();
        assert_eq!(by_name[0].reason, DuplicateReason::SameNameAndOrt);
        let none = find_duplicates(conn, &person("Jörg", "Weiß", "Bonn", ""), None).unwrap();
        assert!(none.is_empty());
        let own = find_duplicates(conn, &person("Ute", "Brand", "Unna", ""), Some(2)).unwrap();
        assert!(own.is_empty(), "the edited person is not its own duplicate");
    }

    /// Migration 0004 on a database that already holds the same address on three persons:
    /// nothing fails, nothing is lost, and the pairs show up among the duplicates.
    #[test]
    fn the_unique_email_migration_resolves_existing_duplicates_without_loss() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("alt.db");
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            for sql in [
                include_str!("../store/migrations/0001_events_people_registrations.sql"),
                include_str!("../store/migrations/0002_wishes.sql"),
                include_str!("../store/migrations/0003_exports.sql"),
            ] {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", 3).unwrap();
            conn.execute_batch(
                "INSERT INTO persons (uid, first_name, last_name, ort, email, notes, created_at, updated_at) VALUES
                   ('u2', 'Kerstin', 'Schäfer', 'Bonn', 'Kerstin.Schaefer@Example.org', 'telefonisch', '2024-02-01T00:00:00Z', '2024-02-01T00:00:00Z'),
                   ('u1', 'Kerstin', 'Schäfer', 'Bonn', 'kerstin.schaefer@example.org', '', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'),
                   ('u3', 'K.', 'Schaefer', '', ' kerstin.schaefer@example.org', '', '2024-03-01T00:00:00Z', '2024-03-01T00:00:00Z'),
                   ('u4', 'Ute', 'Brand', 'Unna', 'ute@example.org', '', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');",
            )
            .unwrap();
        }
        let store = crate::store::Store::open(&path).unwrap();
        let conn = store.connection();
        let rows: Vec<(String, String, String)> = conn
            .prepare("SELECT uid, email, notes FROM persons ORDER BY uid")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            rows[0].1, "kerstin.schaefer@example.org",
            "the oldest keeps it"
        );
        assert_eq!(rows[1].1, "");
        assert_eq!(
            rows[1].2,
            "telefonisch\nE-Mail-Adresse Kerstin.Schaefer@Example.org doppelt (auch bei \
             Kerstin Schäfer, Nr. 2) – bitte zusammenführen"
        );
        assert_eq!(rows[2].1, "");
        assert!(
            rows[2]
                .2
                .starts_with("E-Mail-Adresse kerstin.schaefer@example.org doppelt")
        );
        assert_eq!(rows[3].1, "ute@example.org", "others are untouched");

        let pairs = duplicate_pairs(conn, 50).unwrap();
        let mut found: Vec<(String, String, DuplicateReason)> = pairs
            .iter()
            .map(|p| (p.first.uid.clone(), p.second.uid.clone(), p.reason))
            .collect();
        found.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        assert_eq!(
            found,
            [
                ("u1".into(), "u2".into(), DuplicateReason::SameNameAndOrt),
                ("u1".into(), "u3".into(), DuplicateReason::EmailInNotes),
            ]
        );
        // Editing the moved record finds the one holding the address, and the other way round.
        let moved = get_person(conn, 3).unwrap();
        let hits = find_duplicates(
            conn,
            &crate::people::tests::person_input_of(&moved),
            Some(3),
        )
        .unwrap();
        assert_eq!(hits[0].person.uid, "u1");
        assert_eq!(hits[0].reason, DuplicateReason::EmailInNotes);
    }
}

//! Duplicate contacts: the warning before a person is created, and merging two persons.
//!
//! Rules (as CiviCRM learnt, e-mail alone is too loose and too strict at once): the same
//! normalised e-mail, or the same first and last name in the same Ort (case and diacritics
//! ignored).

use rusqlite::{Connection, Transaction, params};
use serde::Serialize;
use ts_rs::TS;

use super::{PERSON_COLUMNS, Person, PersonInput, get_person, person_from_row};
use crate::error::{CoreError, CoreResult};
use crate::store::now_utc;

/// Why a person looks like a duplicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DuplicateReason {
    /// Same e-mail address.
    SameEmail,
    /// Same name and Ort.
    SameNameAndOrt,
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
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PERSON_COLUMNS},
                CASE WHEN p.email_key <> '' AND p.email_key = lower(trim(?1)) THEN 0 ELSE 1 END
         FROM persons p LEFT JOIN organisations o ON o.id = p.organisation_id
         WHERE p.id IS NOT ?5
           AND ((p.email_key <> '' AND p.email_key = lower(trim(?1)))
             OR (fold(p.first_name) = fold(?2) AND fold(p.last_name) = fold(?3)
                 AND fold(p.ort) = fold(?4) AND trim(?4) <> ''))
         ORDER BY p.id"
    ))?;
    let rows = stmt.query_map(
        params![
            input.email,
            input.first_name,
            input.last_name,
            input.ort,
            except_id
        ],
        |row| {
            let reason = if row.get::<_, i64>(16)? == 0 {
                DuplicateReason::SameEmail
            } else {
                DuplicateReason::SameNameAndOrt
            };
            Ok(DuplicateCandidate {
                person: person_from_row(row)?,
                reason,
            })
        },
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Merges `remove_id` into `keep_id` in one transaction: registrations move over (where both
/// were registered for the same event, the counted or earlier registration stays), each field
/// takes the newer non-empty value, and the removed person is deleted.
pub fn merge(tx: &Transaction<'_>, keep_id: i64, remove_id: i64) -> CoreResult<Person> {
    if keep_id == remove_id {
        return Err(CoreError::Conflict(
            "Eine Person kann nicht mit sich selbst zusammengeführt werden.".into(),
        ));
    }
    let keep = get_person(tx, keep_id)?;
    let remove = get_person(tx, remove_id)?;
    move_registrations(tx, keep_id, remove_id)?;
    let merged = merged_fields(&keep, &remove);
    tx.execute("DELETE FROM persons WHERE id = ?1", [remove_id])?;
    tx.execute(
        "UPDATE persons SET salutation = ?2, title = ?3, first_name = ?4, last_name = ?5,
             function = ?6, organisation_id = ?7, ort = ?8, email = ?9, phone = ?10, notes = ?11,
             updated_at = ?12
         WHERE id = ?1",
        params![
            keep_id,
            merged.salutation,
            merged.title,
            merged.first_name,
            merged.last_name,
            merged.function,
            merged.organisation_id,
            merged.ort,
            merged.email,
            merged.phone,
            merged.notes,
            now_utc(),
        ],
    )?;
    get_person(tx, keep_id)
}

/// Field by field: the value of the more recently changed person, unless it is empty.
fn merged_fields(keep: &Person, remove: &Person) -> PersonInput {
    let (newer, older) = if remove.updated_at > keep.updated_at {
        (remove, keep)
    } else {
        (keep, remove)
    };
    let pick = |n: &str, o: &str| if n.trim().is_empty() { o } else { n }.to_owned();
    let notes = match (newer.notes.trim(), older.notes.trim()) {
        (n, o) if o.is_empty() || n == o => n.to_owned(),
        ("", o) => o.to_owned(),
        (n, o) => format!("{n}\n{o}"),
    };
    PersonInput {
        salutation: pick(&newer.salutation, &older.salutation),
        title: pick(&newer.title, &older.title),
        first_name: pick(&newer.first_name, &older.first_name),
        last_name: pick(&newer.last_name, &older.last_name),
        function: pick(&newer.function, &older.function),
        organisation_id: newer.organisation_id.or(older.organisation_id),
        ort: pick(&newer.ort, &older.ort),
        email: pick(&newer.email, &older.email),
        phone: pick(&newer.phone, &older.phone),
        notes,
    }
}

/// Re-points the removed person's registrations; a clash on the same event keeps the
/// counted (then earlier) registration and drops the other.
fn move_registrations(tx: &Transaction<'_>, keep_id: i64, remove_id: i64) -> CoreResult<()> {
    let clashes: Vec<(i64, i64)> = {
        let mut stmt = tx.prepare(
            "SELECT k.id, r.id FROM registrations k
             JOIN registrations r ON r.event_id = k.event_id AND r.person_id = ?2
             WHERE k.person_id = ?1",
        )?;
        stmt.query_map([keep_id, remove_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?
    };
    for (kept, removed) in clashes {
        let loser = if prefer(tx, removed, kept)? {
            tx.execute(
                "UPDATE registrations SET person_id = ?2 WHERE id = ?1",
                params![kept, remove_id],
            )?;
            kept
        } else {
            removed
        };
        let event_id: i64 = tx.query_row(
            "SELECT event_id FROM registrations WHERE id = ?1",
            [loser],
            |r| r.get(0),
        )?;
        tx.execute("DELETE FROM registrations WHERE id = ?1", [loser])?;
        crate::registrations::renumber_waitlist(tx, event_id)?;
    }
    tx.execute(
        "UPDATE registrations SET person_id = ?1, updated_at = ?3 WHERE person_id = ?2",
        params![keep_id, remove_id, now_utc()],
    )?;
    Ok(())
}

/// Whether registration `a` should be kept over `b`: counted beats not counted, then earlier.
fn prefer(conn: &Connection, a: i64, b: i64) -> CoreResult<bool> {
    let key = |id: i64| -> CoreResult<(bool, String)> {
        Ok(conn.query_row(
            "SELECT status IN ('angemeldet', 'nachgerueckt'), registered_at FROM registrations WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    };
    let (a_counted, a_at) = key(a)?;
    let (b_counted, b_at) = key(b)?;
    Ok((a_counted, std::cmp::Reverse(a_at)) > (b_counted, std::cmp::Reverse(b_at)))
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
}

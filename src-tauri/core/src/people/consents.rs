//! Consent records (Einwilligungen): per person and purpose the current state — given or
//! withdrawn — with the Berlin date and how it was recorded (Formular, Import, Telefon, E-Mail,
//! vor Ort). One row per person and purpose; "keine Angabe" is no row. A person's consents go
//! with the person (cascade), so an erasure leaves none behind.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult};
use crate::store::{new_uid, now_utc, text_enum};
use crate::time;

text_enum! {
    /// What a consent is for.
    pub enum Purpose {
        /// The privacy notice was read (Datenschutzerklärung zur Kenntnis genommen).
        Datenschutz = "datenschutz" => "Datenschutzerklärung zur Kenntnis genommen",
        /// Photos and film at the event.
        Fotos = "fotos" => "Fotos/Film",
        /// The name on the participant list handed to other participants.
        Teilnehmendenliste = "teilnehmendenliste" => "Name auf der Teilnehmendenliste",
        /// Invitations and newsletters about future events.
        Einladungen = "einladungen" => "Einladungen/Newsletter zu künftigen Veranstaltungen",
    }
}

text_enum! {
    /// Whether a consent stands.
    pub enum ConsentState {
        /// Given.
        Erteilt = "erteilt" => "erteilt",
        /// Withdrawn (or refused).
        Widerrufen = "widerrufen" => "widerrufen",
    }
}

text_enum! {
    /// How a consent was recorded.
    pub enum ConsentSource {
        /// The registration form.
        Formular = "formular" => "Formular",
        /// An imported file.
        Import = "import" => "Import",
        /// By phone.
        Telefon = "telefon" => "Telefon",
        /// By e-mail.
        Email = "email" => "E-Mail",
        /// On site at an event.
        VorOrt = "vor_ort" => "vor Ort",
    }
}

/// One recorded consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Consent {
    /// What for.
    pub purpose: Purpose,
    /// Given or withdrawn.
    pub state: ConsentState,
    /// Berlin date it was given or withdrawn (YYYY-MM-DD).
    pub given_on: String,
    /// How it was recorded.
    pub source: ConsentSource,
    /// When the record last changed (UTC).
    pub updated_at: String,
}

/// What the user records for one purpose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConsentInput {
    /// What for.
    pub purpose: Purpose,
    /// Given or withdrawn; `None` removes the record ("keine Angabe").
    pub state: Option<ConsentState>,
    /// Berlin date (YYYY-MM-DD); empty means today.
    pub given_on: String,
    /// How it was recorded.
    pub source: ConsentSource,
}

/// A person's consents, in the order of [`Purpose::ALL`] (purposes without a record left out).
pub fn consents_of(conn: &Connection, person_id: i64) -> CoreResult<Vec<Consent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT purpose, state, given_on, source, updated_at FROM consents WHERE person_id = ?1",
    )?;
    let mut found: Vec<Consent> = stmt
        .query_map([person_id], |r| {
            Ok(Consent {
                purpose: r.get(0)?,
                state: r.get(1)?,
                given_on: r.get(2)?,
                source: r.get(3)?,
                updated_at: r.get(4)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    found.sort_by_key(|c| Purpose::ALL.iter().position(|p| *p == c.purpose));
    Ok(found)
}

/// Records (or with `state: None` removes) the consents given; returns all of the person's
/// consents afterwards. A date in the future is refused.
pub fn set_consents(
    tx: &Transaction<'_>,
    person_id: i64,
    inputs: &[ConsentInput],
) -> CoreResult<Vec<Consent>> {
    let exists: Option<i64> = tx
        .query_row("SELECT id FROM persons WHERE id = ?1", [person_id], |r| {
            r.get(0)
        })
        .optional()?;
    if exists.is_none() {
        return Err(CoreError::NotFound { what: "Die Person" });
    }
    for input in inputs {
        let field = format!("consent_{}", input.purpose.as_str());
        match input.state {
            None => {
                tx.execute(
                    "DELETE FROM consents WHERE person_id = ?1 AND purpose = ?2",
                    params![person_id, input.purpose],
                )?;
            }
            Some(state) => {
                let on = if input.given_on.trim().is_empty() {
                    time::today_in_berlin()
                } else {
                    time::parse_date(&input.given_on, &field)?
                };
                if on > time::today_in_berlin() {
                    return Err(CoreError::invalid(
                        &field,
                        "Das Datum einer Einwilligung kann nicht in der Zukunft liegen.",
                    ));
                }
                upsert(tx, person_id, input.purpose, state, on, input.source)?;
            }
        }
    }
    consents_of(tx, person_id)
}

fn upsert(
    tx: &Transaction<'_>,
    person_id: i64,
    purpose: Purpose,
    state: ConsentState,
    on: NaiveDate,
    source: ConsentSource,
) -> CoreResult<()> {
    let now = now_utc();
    tx.execute(
        "INSERT INTO consents (uid, person_id, purpose, state, given_on, source, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
         ON CONFLICT (person_id, purpose) DO UPDATE SET
             state = excluded.state, given_on = excluded.given_on, source = excluded.source,
             updated_at = excluded.updated_at
         WHERE state <> excluded.state OR given_on <> excluded.given_on
            OR source <> excluded.source",
        params![
            new_uid(),
            person_id,
            purpose,
            state,
            on.format("%Y-%m-%d").to_string(),
            source,
            now
        ],
    )?;
    Ok(())
}

/// Records what an imported row said, for purposes the person has no record of yet (a consent
/// recorded by staff is never overwritten by a file).
pub fn fill_from_import(
    tx: &Transaction<'_>,
    person_id: i64,
    answers: &[(Purpose, bool)],
    on: NaiveDate,
) -> CoreResult<()> {
    for (purpose, given) in answers {
        let state = if *given {
            ConsentState::Erteilt
        } else {
            ConsentState::Widerrufen
        };
        tx.execute(
            "INSERT INTO consents (uid, person_id, purpose, state, given_on, source, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'import', ?6, ?6)
             ON CONFLICT (person_id, purpose) DO NOTHING",
            params![
                new_uid(),
                person_id,
                purpose,
                state,
                on.format("%Y-%m-%d").to_string(),
                now_utc()
            ],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::{PersonInput, create_person};
    use crate::store::Store;

    fn input(purpose: Purpose, state: Option<ConsentState>, on: &str) -> ConsentInput {
        ConsentInput {
            purpose,
            state,
            given_on: on.into(),
            source: ConsentSource::Telefon,
        }
    }

    #[test]
    fn consents_are_recorded_changed_withdrawn_and_removed() {
        let mut store = Store::open_in_memory().unwrap();
        let person = store
            .write(|tx| {
                create_person(
                    tx,
                    &PersonInput {
                        first_name: "Anna".into(),
                        last_name: "Adler".into(),
                        ..PersonInput::default()
                    },
                )
            })
            .unwrap();
        let after = store
            .write(|tx| {
                set_consents(
                    tx,
                    person.id,
                    &[
                        input(
                            Purpose::Einladungen,
                            Some(ConsentState::Erteilt),
                            "2025-03-01",
                        ),
                        input(Purpose::Fotos, Some(ConsentState::Widerrufen), "2025-03-02"),
                    ],
                )
            })
            .unwrap();
        // Sorted by purpose, not by input order.
        assert_eq!(after[0].purpose, Purpose::Fotos);
        assert_eq!(after[1].given_on, "2025-03-01");
        assert_eq!(after[1].source, ConsentSource::Telefon);
        let after = store
            .write(|tx| {
                set_consents(
                    tx,
                    person.id,
                    &[
                        input(Purpose::Fotos, None, ""),
                        input(Purpose::Einladungen, Some(ConsentState::Widerrufen), ""),
                    ],
                )
            })
            .unwrap();
        assert_eq!(after.len(), 1);
        assert_eq!(after[0].state, ConsentState::Widerrufen);
        assert_eq!(
            after[0].given_on,
            time::today_in_berlin().format("%Y-%m-%d").to_string()
        );
        // An import fills only purposes without a record.
        store
            .write(|tx| {
                fill_from_import(
                    tx,
                    person.id,
                    &[(Purpose::Einladungen, true), (Purpose::Fotos, true)],
                    time::today_in_berlin(),
                )
            })
            .unwrap();
        let all = store.read(|c| consents_of(c, person.id)).unwrap();
        assert_eq!(all[0].purpose, Purpose::Fotos);
        assert_eq!(all[0].source, ConsentSource::Import);
        assert_eq!(all[1].state, ConsentState::Widerrufen);
    }

    #[test]
    fn future_and_malformed_dates_are_field_errors() {
        let mut store = Store::open_in_memory().unwrap();
        let person = store
            .write(|tx| {
                create_person(
                    tx,
                    &PersonInput {
                        first_name: "Anna".into(),
                        last_name: "Adler".into(),
                        ..PersonInput::default()
                    },
                )
            })
            .unwrap();
        for on in ["2999-01-01", "1.3.2025"] {
            let err = store
                .write(|tx| {
                    set_consents(
                        tx,
                        person.id,
                        &[input(Purpose::Fotos, Some(ConsentState::Erteilt), on)],
                    )
                })
                .unwrap_err();
            assert!(matches!(err, CoreError::Validation(_)), "{on}: {err:?}");
        }
        assert!(
            store
                .read(|c| consents_of(c, person.id))
                .unwrap()
                .is_empty()
        );
    }
}

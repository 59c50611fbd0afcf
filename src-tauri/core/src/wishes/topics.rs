//! The office's editable topic catalogue in the database and the learned
//! examples of finished events.
//!
//! Until staff edit a topic, the database holds no catalogue and the default
//! from seeds/topics.toml applies; the first edit copies the default in.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{Catalogue, CountrySettings, LearnedExample, Topic};
use crate::error::{CoreError, CoreResult, Validator};
use crate::input::Cleaner;
use crate::store::{new_uid, now_utc};

/// The catalogue in use: the stored one, or the default when none is stored.
pub fn catalogue(conn: &Connection) -> CoreResult<Catalogue> {
    let settings = conn
        .query_row(
            "SELECT sections, fallback, country_group, country_priority FROM wish_catalogue_settings WHERE id = 1",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, i32>(3)?,
                ))
            },
        )
        .optional()?;
    let Some((sections, fallback, country_group, country_priority)) = settings else {
        return Ok(Catalogue::default_catalogue());
    };
    let mut stmt = conn.prepare(
        "SELECT key, label, group_label, priority, keywords FROM wish_topics ORDER BY position, id",
    )?;
    let topics = stmt
        .query_map([], |r| {
            Ok(Topic {
                key: r.get(0)?,
                label: r.get(1)?,
                group: r.get(2)?,
                priority: r.get(3)?,
                keywords: lines(&r.get::<_, String>(4)?),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Catalogue {
        sections: lines(&sections),
        fallback,
        countries: country_group.map(|group| CountrySettings {
            group,
            priority: country_priority,
        }),
        topics,
    })
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Copies the default catalogue into the database unless one is stored.
fn ensure_stored(tx: &Transaction<'_>) -> CoreResult<()> {
    let stored: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM wish_catalogue_settings)",
        [],
        |r| r.get(0),
    )?;
    if stored {
        return Ok(());
    }
    let default = Catalogue::default_catalogue();
    let now = now_utc();
    tx.execute(
        "INSERT INTO wish_catalogue_settings (id, uid, sections, fallback, country_group, country_priority, created_at, updated_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![
            new_uid(),
            default.sections.join("\n"),
            default.fallback,
            default.countries.as_ref().map(|c| c.group.clone()),
            default.countries.as_ref().map_or(80, |c| c.priority),
            now
        ],
    )?;
    for (position, topic) in default.topics.iter().enumerate() {
        insert_topic(tx, topic, position as i64)?;
    }
    Ok(())
}

fn insert_topic(tx: &Transaction<'_>, topic: &Topic, position: i64) -> CoreResult<()> {
    let now = now_utc();
    tx.execute(
        "INSERT INTO wish_topics (uid, key, group_label, label, priority, keywords, position, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            new_uid(),
            topic.key.trim(),
            topic.group.as_deref().map(str::trim).filter(|g| !g.is_empty()),
            topic.label.trim(),
            topic.priority,
            topic.keywords.join("\n"),
            position,
            now
        ],
    )?;
    Ok(())
}

fn validate(topic: &Topic) -> CoreResult<()> {
    let mut v = Validator::default();
    v.required(&topic.key, "key", "Der Schlüssel des Themas fehlt.")
        .required(&topic.label, "label", "Der Name des Themas fehlt.")
        .check(
            !super::catalogue::PRIORITY_RANGE.contains(&topic.priority),
            "priority",
            "Die Priorität muss zwischen 0 und 100 liegen.",
        );
    v.finish()
}

/// The topic's texts in their stored form ([`crate::input`]).
fn cleaned(topic: &Topic) -> CoreResult<Topic> {
    let mut c = Cleaner::default();
    let cleaned = Topic {
        key: c.line("key", &topic.key),
        group: topic.group.as_deref().map(|g| c.line("group", g)),
        label: c.line("label", &topic.label),
        keywords: topic
            .keywords
            .iter()
            .map(|k| c.line("keywords", k))
            .collect(),
        ..topic.clone()
    };
    c.finish().map(|()| cleaned)
}

/// Adds a topic or changes the topic with the same key (a new topic goes last).
pub fn save_topic(tx: &Transaction<'_>, topic: &Topic) -> CoreResult<()> {
    let topic = &cleaned(topic)?;
    validate(topic)?;
    ensure_stored(tx)?;
    let clash: Option<String> = tx
        .query_row(
            "SELECT key FROM wish_topics WHERE label = ?1 COLLATE NOCASE AND key <> ?2",
            params![topic.label.trim(), topic.key.trim()],
            |r| r.get(0),
        )
        .optional()?;
    if clash.is_some() {
        return Err(CoreError::invalid(
            "label",
            format!("Es gibt schon ein Thema „{}“.", topic.label.trim()),
        ));
    }
    let changed = tx.execute(
        "UPDATE wish_topics SET group_label = ?2, label = ?3, priority = ?4, keywords = ?5, updated_at = ?6 WHERE key = ?1",
        params![
            topic.key.trim(),
            topic.group.as_deref().map(str::trim).filter(|g| !g.is_empty()),
            topic.label.trim(),
            topic.priority,
            topic.keywords.iter().map(|k| k.trim()).filter(|k| !k.is_empty()).collect::<Vec<_>>().join("\n"),
            now_utc()
        ],
    )?;
    if changed == 0 {
        let next: i64 = tx.query_row(
            "SELECT ifnull(max(position) + 1, 0) FROM wish_topics",
            [],
            |r| r.get(0),
        )?;
        insert_topic(tx, topic, next)?;
    }
    Ok(())
}

/// Removes the topic with `key` from the catalogue.
pub fn delete_topic(tx: &Transaction<'_>, key: &str) -> CoreResult<()> {
    ensure_stored(tx)?;
    if tx.execute("DELETE FROM wish_topics WHERE key = ?1", [key])? == 0 {
        return Err(CoreError::NotFound { what: "Das Thema" });
    }
    Ok(())
}

/// Learned examples of all finished events except `except_event`.
pub fn learned_examples(
    conn: &Connection,
    except_event: Option<i64>,
) -> CoreResult<Vec<LearnedExample>> {
    let mut stmt = conn.prepare(
        "SELECT text, cluster_label, group_label FROM learned_examples
         WHERE source_event_id IS NULL OR source_event_id IS NOT ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map([except_event], |r| {
            Ok(LearnedExample {
                text: r.get(0)?,
                cluster: r.get(1)?,
                group: r.get(2)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn the_default_applies_until_the_first_edit_copies_it_in() {
        let mut store = Store::open_in_memory().unwrap();
        let default = Catalogue::default_catalogue();
        assert_eq!(store.read(catalogue).unwrap(), default);
        let topic = Topic {
            key: "chor".into(),
            label: "Chöre & Musik".into(),
            group: Some("Themenspezifisch".into()),
            priority: 60,
            keywords: vec!["chor*".into(), "Musik".into()],
        };
        store.write(|tx| save_topic(tx, &topic)).unwrap();
        let stored = store.read(catalogue).unwrap();
        assert_eq!(stored.topics.len(), default.topics.len() + 1);
        assert_eq!(stored.topics.last(), Some(&topic));
        assert_eq!(stored.fallback, default.fallback);
        assert_eq!(stored.countries, default.countries);
        store.write(|tx| delete_topic(tx, "chor")).unwrap();
        assert_eq!(store.read(catalogue).unwrap(), default);
    }

    #[test]
    fn topics_are_validated_by_field() {
        let mut store = Store::open_in_memory().unwrap();
        let topic = Topic {
            key: "x".into(),
            label: "Jugend".into(),
            group: None,
            priority: 101,
            keywords: vec![],
        };
        let Err(CoreError::Validation(errors)) = store.write(|tx| save_topic(tx, &topic)) else {
            panic!("expected a validation error");
        };
        assert_eq!(errors[0].field, "priority");
        let duplicate = Topic {
            priority: 50,
            ..topic
        };
        let Err(CoreError::Validation(errors)) = store.write(|tx| save_topic(tx, &duplicate))
        else {
            panic!("expected a duplicate-label error");
        };
        assert_eq!(errors[0].field, "label");
        assert!(errors[0].message.contains("Jugend"));
    }
}

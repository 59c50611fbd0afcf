//! What the replication knows about the tables, read from SQLite itself (`PRAGMA table_info`,
//! `foreign_key_list`), so a table or column added by a later migration is covered without
//! change.

use std::collections::{BTreeSet, HashMap};

use rusqlite::Connection;

use crate::error::CoreResult;
use crate::store::capture;

/// One replicated column (never the local integer key `id`).
#[derive(Debug, Clone)]
pub(crate) struct Column {
    /// Column name.
    pub name: String,
    /// The replicated table an integer foreign key points to (travels as that row's `uid`).
    pub parent: Option<String>,
    /// Whether the column refuses NULL.
    pub not_null: bool,
    /// Whether deleting the parent sets this column NULL (`ON DELETE SET NULL`); otherwise a
    /// row whose parent is gone cannot be shown (cascade) and is listed.
    pub set_null: bool,
}

/// One replicated table.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    /// Table name.
    pub name: String,
    /// Its replicated columns, `uid` first.
    pub columns: Vec<Column>,
}

impl Table {
    /// `SELECT` list that reads the columns as they travel: foreign keys as the parent's uid.
    pub fn wire_select(&self) -> String {
        self.columns
            .iter()
            .map(|c| match &c.parent {
                Some(parent) => format!(
                    "(SELECT p.uid FROM \"{parent}\" p WHERE p.id = t.\"{}\")",
                    c.name
                ),
                None => format!("t.\"{}\"", c.name),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The replicated tables, parents before children.
#[derive(Debug, Clone)]
pub(crate) struct Schema {
    /// Tables in dependency order.
    pub tables: Vec<Table>,
}

impl Schema {
    /// Reads the schema of `conn`.
    pub fn read(conn: &Connection) -> CoreResult<Schema> {
        let names = capture::replicated_tables(conn)?;
        let replicated: BTreeSet<&str> = names.iter().map(String::as_str).collect();
        let mut tables = HashMap::new();
        for name in &names {
            let mut parents = HashMap::new();
            let mut fk = conn.prepare(
                "SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list(?1)",
            )?;
            let rows = fk.query_map([name], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?;
            for row in rows {
                let (from, parent, to, on_delete) = row?;
                // Only keys to another replicated table's `id` travel (as its uid); a key to a
                // local table stays on this laptop.
                if to.as_deref().is_none_or(|t| t == "id") {
                    parents.insert(
                        from,
                        (
                            replicated.contains(parent.as_str()),
                            parent,
                            on_delete.eq_ignore_ascii_case("SET NULL"),
                        ),
                    );
                }
            }
            let mut info = conn
                .prepare("SELECT name, \"notnull\", pk FROM pragma_table_info(?1) ORDER BY cid")?;
            let mut columns: Vec<Column> = Vec::new();
            for row in info.query_map([name], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, bool>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })? {
                let (column, not_null, pk) = row?;
                if (pk > 0 && column == "id")
                    || capture::LOCAL_COLUMNS.contains(&(name.as_str(), column.as_str()))
                {
                    continue;
                }
                let (parent, set_null) = match parents.get(&column) {
                    Some((true, parent, set_null)) => (Some(parent.clone()), *set_null),
                    Some((false, _, _)) => continue,
                    None => (None, false),
                };
                columns.push(Column {
                    name: column,
                    parent,
                    not_null,
                    set_null,
                });
            }
            columns.sort_by_key(|c| c.name != "uid");
            tables.insert(
                name.clone(),
                Table {
                    name: name.clone(),
                    columns,
                },
            );
        }
        // Parents first (Kahn's algorithm; names sorted so the order is the same everywhere).
        let mut ordered = Vec::new();
        let mut done: BTreeSet<String> = BTreeSet::new();
        while done.len() < names.len() {
            let ready: Vec<String> = names
                .iter()
                .filter(|n| !done.contains(*n))
                .filter(|n| {
                    tables[*n].columns.iter().all(|c| {
                        c.parent
                            .as_ref()
                            .is_none_or(|p| p == *n || done.contains(p))
                    })
                })
                .cloned()
                .collect();
            // A cycle would leave nothing ready: take the rest in name order.
            let next = if ready.is_empty() {
                names
                    .iter()
                    .filter(|n| !done.contains(*n))
                    .cloned()
                    .collect()
            } else {
                ready
            };
            for name in next {
                done.insert(name.clone());
                ordered.push(tables.remove(&name).expect("table read above"));
            }
        }
        Ok(Schema { tables: ordered })
    }

    /// The table called `name`, if it is replicated.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// Position of `name` in the dependency order.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.tables.iter().position(|t| t.name == name)
    }

    /// `names` and every table that depends on one of them, directly or not.
    pub fn with_dependants(&self, names: &BTreeSet<String>) -> BTreeSet<String> {
        let mut all = names.clone();
        loop {
            let before = all.len();
            for table in &self.tables {
                if table
                    .columns
                    .iter()
                    .any(|c| c.parent.as_ref().is_some_and(|p| all.contains(p)))
                {
                    all.insert(table.name.clone());
                }
            }
            if all.len() == before {
                return all;
            }
        }
    }
}

//! `sync`: sharing the dataset with the office's other laptops.
//!
//! `sync export --out FILE [--since-peer ID]` writes a sync file (all changes, or those the
//! laptop `ID` lacks); `sync import --file FILE [--json]` applies one and prints
//! `{"applied": N, "conflicts": [...]}`; `sync status`, `sync conflicts` and `sync rebuild`
//! show and repair the state; `sync dump` prints every replicated row (for comparisons).
//! On the LAN: `sync serve --listen ADDR` prints a pairing code and serves exchanges until it
//! is stopped; `sync pair --peer ADDR --code CODE` joins that laptop's team; `sync once --peer
//! ADDR` runs one full exchange with a paired laptop and exits.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, Subcommand};
use serde_json::json;
use tagungsbuero_core::sync::net::{self, TeamEvent, TeamNode, TeamOptions};
use tagungsbuero_core::{CoreError, Store, sync};

use crate::{CliResult, Failure, print_json};

/// The `sync` subcommands.
#[derive(Subcommand)]
pub enum SyncCommand {
    /// Änderungen in eine Abgleichsdatei schreiben (USB-Stick, E-Mail-Anhang).
    Export(ExportArgs),
    /// Eine Abgleichsdatei eines anderen Laptops einlesen.
    Import(ImportArgs),
    /// Stand des Abgleichs: Kennung dieses Laptops, andere Laptops, wartende Änderungen.
    Status(JsonArg),
    /// Offene Konflikte, die eine Person entscheiden muss.
    Conflicts(JsonArg),
    /// Alle abgeglichenen Tabellen aus dem gespeicherten Änderungsprotokoll neu aufbauen.
    Rebuild,
    /// Alle abgeglichenen Zeilen sortiert als JSON (zum Vergleichen zweier Laptops).
    Dump,
    /// Im Netz bereitstehen: Kopplungscode anzeigen, Abgleiche annehmen (bis zum Beenden).
    Serve(ServeArgs),
    /// Mit dem Laptop unter ADDR koppeln (Code von dessen Bildschirm).
    Pair(PairArgs),
    /// Einmal mit dem gekoppelten Laptop unter ADDR abgleichen.
    Once(OnceArgs),
}

/// Arguments of `sync serve`.
#[derive(Args)]
pub struct ServeArgs {
    /// Adresse und Port, z. B. 0.0.0.0:47111 (Abgleich über UDP, Kopplung über TCP).
    #[arg(long)]
    listen: String,
}

/// Arguments of `sync pair`.
#[derive(Args)]
pub struct PairArgs {
    /// Adresse des anderen Laptops (Rechner:Port).
    #[arg(long)]
    peer: String,
    /// Der Kopplungscode, den der andere Laptop zeigt.
    #[arg(long)]
    code: String,
}

/// Arguments of `sync once`.
#[derive(Args)]
pub struct OnceArgs {
    /// Adresse des gekoppelten Laptops (Rechner:Port).
    #[arg(long)]
    peer: String,
    /// Als JSON ausgeben.
    #[arg(long)]
    json: bool,
}

/// Arguments of `sync export`.
#[derive(Args)]
pub struct ExportArgs {
    /// Zieldatei.
    #[arg(long)]
    out: PathBuf,
    /// Nur die Änderungen, die diesem Laptop (Kennung aus `sync status`) fehlen.
    #[arg(long)]
    since_peer: Option<String>,
}

/// Arguments of `sync import`.
#[derive(Args)]
pub struct ImportArgs {
    /// Die Abgleichsdatei.
    #[arg(long)]
    file: PathBuf,
    /// Als JSON ausgeben.
    #[arg(long)]
    json: bool,
}

/// A `--json` switch.
#[derive(Args)]
pub struct JsonArg {
    /// Als JSON ausgeben.
    #[arg(long)]
    json: bool,
}

/// `sync dump`, also while `sync serve` (or the app) has the database open: it only reads,
/// through SQLite's own locking, so laptops can be compared while they serve.
pub fn dump_any(db: &Path) -> CliResult {
    match Store::open(db) {
        Ok(mut store) => {
            sync::attach(&mut store)?;
            print_json(&sync::dump(store.connection())?)
        }
        Err(CoreError::DatabaseInUse { .. }) => {
            let conn = rusqlite::Connection::open_with_flags(
                db,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                    | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|e| Failure(format!("Die Datenbank kann nicht gelesen werden: {e}")))?;
            conn.busy_timeout(std::time::Duration::from_secs(10))
                .map_err(|e| Failure(format!("Die Datenbank kann nicht gelesen werden: {e}")))?;
            print_json(&sync::dump(&conn)?)
        }
        Err(other) => Err(other.into()),
    }
}

/// A node of this database for the network commands (its key beside the database).
fn node(store: &Store, db: &Path, listen: &str, serve: bool) -> Result<TeamNode, Failure> {
    let listen: SocketAddr = listen.parse().map_err(|_| {
        Failure(format!(
            "„{listen}“ ist keine Adresse. Bitte z. B. 0.0.0.0:{} angeben.",
            net::DEFAULT_PORT
        ))
    })?;
    let mut node_store = store.second_connection()?;
    sync::attach(&mut node_store)?;
    let on_event: Option<net::EventCallback> = if serve {
        Some(Arc::new(|event: &TeamEvent| out!("{}", event.message)))
    } else {
        None
    };
    let options = TeamOptions {
        listen,
        accept_pairing: serve,
        secret_key: net::key::load_or_create(&net::key::key_path(db))?,
        discovery: serve,
        interval: None,
        on_event,
    };
    Ok(TeamNode::start(node_store, options)?)
}

/// Runs one `sync` subcommand.
pub fn run(store: &mut Store, db: &Path, command: SyncCommand) -> CliResult {
    match command {
        SyncCommand::Export(args) => {
            let package = sync::export_file(store, &args.out, args.since_peer.as_deref())?;
            out!(
                "{} Änderungen in {} geschrieben ({} Bytes).",
                package.changes,
                args.out.display(),
                package.bytes.len()
            );
            Ok(())
        }
        SyncCommand::Import(args) => {
            let report = sync::import_file(store, &args.file)?;
            if args.json {
                print_json(&json!({"applied": report.applied, "conflicts": report.conflicts}))
            } else {
                out!("{} neue Änderungen übernommen.", report.applied);
                for conflict in &report.conflicts {
                    out!("Konflikt: {}", conflict.detail);
                }
                Ok(())
            }
        }
        SyncCommand::Status(args) => {
            let status = sync::status(store)?;
            if args.json {
                return print_json(&status);
            }
            out!("Dieser Laptop: {}", status.laptop_id);
            out!("Wartende Änderungen: {}", status.waiting);
            out!("Offene Konflikte: {}", status.conflicts);
            for peer in &status.peers {
                out!(
                    "Laptop {} {}: letzter Kontakt {}, {} Änderungen fehlen dort",
                    peer.laptop_id,
                    peer.name,
                    peer.last_contact.as_deref().unwrap_or("nie"),
                    peer.waiting
                );
            }
            Ok(())
        }
        SyncCommand::Conflicts(args) => {
            let list = sync::open_conflicts(store)?;
            if args.json {
                return print_json(&list);
            }
            if list.is_empty() {
                out!("Keine offenen Konflikte.");
            }
            for conflict in &list {
                out!("{}: {}", conflict.id, conflict.detail);
            }
            Ok(())
        }
        SyncCommand::Rebuild => {
            sync::rebuild(store)?;
            out!("Tabellen aus dem Änderungsprotokoll neu aufgebaut.");
            Ok(())
        }
        SyncCommand::Dump => {
            let dump = sync::dump(store.connection()).map_err(Failure::from)?;
            print_json(&dump)
        }
        SyncCommand::Serve(args) => {
            let node = node(store, db, &args.listen, true)?;
            let offer = node.pairing_offer()?;
            out!("Kopplungscode: {}", offer.code);
            out!(
                "Gültig bis {} (UTC). Auf dem anderen Laptop: tagungsbuero-cli sync pair --peer ADRESSE:{} --code {}",
                offer.expires_at,
                node.port(),
                offer.code
            );
            out!(
                "Bereit für Abgleiche auf Port {} (beenden mit Strg+C).",
                node.port()
            );
            loop {
                // Renews the code when it expired, so a laptop can still join later.
                std::thread::sleep(std::time::Duration::from_secs(30));
                let again = node.pairing_offer()?;
                if again.code != offer.code {
                    out!("Neuer Kopplungscode: {}", again.code);
                }
            }
        }
        SyncCommand::Pair(args) => {
            let node = node(store, db, "0.0.0.0:0", false)?;
            let peer = node.pair(&args.peer, &args.code)?;
            node.shutdown();
            out!(
                "Gekoppelt mit {} ({}). Abgleichen: tagungsbuero-cli sync once --peer {}",
                if peer.name.is_empty() {
                    "dem Laptop"
                } else {
                    &peer.name
                },
                peer.laptop_id,
                args.peer
            );
            Ok(())
        }
        SyncCommand::Once(args) => {
            let node = node(store, db, "0.0.0.0:0", false)?;
            let report = node.sync_with(&args.peer);
            node.shutdown();
            let report = report?;
            if args.json {
                return print_json(&report);
            }
            out!(
                "Abgleich mit {}: {} Änderungen gesendet, {} übernommen, {} offene Konflikte.",
                args.peer,
                report.sent,
                report.applied,
                report.conflicts
            );
            Ok(())
        }
    }
}

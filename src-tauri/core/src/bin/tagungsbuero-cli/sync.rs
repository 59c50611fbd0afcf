//! `sync`: sharing the dataset with the office's other laptops.
//!
//! `sync export --out FILE [--since-peer ID]` writes a sync file (all changes, or those the
//! laptop `ID` lacks); `sync import --file FILE [--json]` applies one and prints
//! `{"applied": N, "conflicts": [...]}`; `sync status`, `sync conflicts` and `sync rebuild`
//! show and repair the state; `sync dump` prints every replicated row (for comparisons).

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde_json::json;
use tagungsbuero_core::{Store, sync};

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

/// Runs one `sync` subcommand.
pub fn run(store: &mut Store, command: SyncCommand) -> CliResult {
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
    }
}

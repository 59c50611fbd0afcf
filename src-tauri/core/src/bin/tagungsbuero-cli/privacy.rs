//! `shred`, `person export`, `person erase` and `stats`: the Datenschutz commands (issue 10)
//! with their fixed JSON contracts.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde_json::json;
use tagungsbuero_core::exports::ProtectedPaths;
use tagungsbuero_core::privacy::{self, DeletionReport, LeftoverPersons, auskunft};
use tagungsbuero_core::{CoreError, Store, people, statistics, sync};

use crate::{CliResult, Failure, print_json};

#[derive(Args)]
pub struct ShredArgs {
    /// Veranstaltung (id); sie muss vorbei sein.
    #[arg(long)]
    event: i64,
    /// Kontakte ohne weitere Anmeldung und ohne Einwilligung in Einladungen anonymisieren statt
    /// löschen.
    #[arg(long)]
    anonymise_persons: bool,
    /// Nur zeigen, was gelöscht würde; nichts ändern.
    #[arg(long)]
    dry_run: bool,
    /// Als JSON ausgeben.
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
pub enum PersonCommand {
    /// Auskunft nach Art. 15 DSGVO: alles, was über die Person gespeichert ist (xlsx oder JSON).
    Export(PersonExportArgs),
    /// Person nach Art. 17 DSGVO löschen (ihre Anmeldungen bleiben anonym für die Statistik).
    Erase(PersonEraseArgs),
}

#[derive(Args)]
pub struct PersonExportArgs {
    /// E-Mail-Adresse der Person.
    #[arg(long)]
    email: String,
    /// Zieldatei (.xlsx oder .json).
    #[arg(long, required_unless_present = "json", conflicts_with = "json")]
    out: Option<PathBuf>,
    /// Als JSON auf stdout ausgeben.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct PersonEraseArgs {
    /// E-Mail-Adresse der Person.
    #[arg(long)]
    email: String,
    /// Nur zeigen, was gelöscht würde; nichts ändern.
    #[arg(long)]
    dry_run: bool,
    /// Als JSON ausgeben.
    #[arg(long)]
    json: bool,
}

/// The fixed JSON of `shred` and `person erase`.
fn counts(report: &DeletionReport) -> serde_json::Value {
    json!({
        "registrations_anonymised": report.registrations_anonymised,
        "persons_removed": report.persons_removed,
        "persons_anonymised": report.persons_anonymised,
    })
}

fn print_report(report: &DeletionReport, dry_run: bool, json: bool) -> CliResult {
    if json {
        return print_json(&counts(report));
    }
    let verb = if dry_run { "würden" } else { "wurden" };
    out!(
        "{} Anmeldungen {verb} anonymisiert, {} Kontakte gelöscht, {} anonymisiert; \
         {} Kontakte bleiben (weitere Anmeldungen), {} bleiben (Einwilligung in Einladungen).",
        report.registrations_anonymised,
        report.persons_removed,
        report.persons_anonymised,
        report.persons_kept_registered,
        report.persons_kept_invitations
    );
    Ok(())
}

/// `shred --event ID [--dry-run] --json`.
pub fn shred(store: &mut Store, args: &ShredArgs) -> CliResult {
    let leftover = if args.anonymise_persons {
        LeftoverPersons::Anonymisieren
    } else {
        LeftoverPersons::Loeschen
    };
    let report = store.write(|tx| {
        if args.dry_run {
            privacy::preview_shred(tx, args.event, leftover)
        } else {
            privacy::shred_event(tx, args.event, leftover)
        }
    })?;
    if !args.dry_run {
        sync::after_deletion(store)?;
    }
    print_report(&report, args.dry_run, args.json)
}

fn person_id(store: &mut Store, email: &str) -> Result<i64, Failure> {
    store
        .read(|conn| people::find_by_email(conn, email))?
        .map(|p| p.id)
        .ok_or_else(|| {
            Failure(
                CoreError::NotFound {
                    what: "Eine Person mit dieser E-Mail-Adresse",
                }
                .to_string(),
            )
        })
}

/// `person export --email A --out FILE.xlsx` / `--json`.
pub fn person(store: &mut Store, db: &Path, command: &PersonCommand) -> CliResult {
    match command {
        PersonCommand::Export(args) => {
            let id = person_id(store, &args.email)?;
            match &args.out {
                Some(path) => {
                    let summary = auskunft::export_to_file(
                        store,
                        id,
                        path,
                        &ProtectedPaths::for_database(db),
                    )?;
                    out!("{}", summary.message);
                    Ok(())
                }
                None => {
                    let doc = store.read(|conn| auskunft::collect(conn, id))?;
                    print_json(&doc.to_json())
                }
            }
        }
        PersonCommand::Erase(args) => {
            let id = person_id(store, &args.email)?;
            let report = store.write(|tx| {
                if args.dry_run {
                    privacy::preview_erase(tx, id)
                } else {
                    privacy::erase_person(tx, id)
                }
            })?;
            if !args.dry_run {
                sync::after_deletion(store)?;
            }
            print_report(&report, args.dry_run, args.json)
        }
    }
}

/// `stats --event ID --json`.
pub fn stats(store: &mut Store, event: i64, json: bool) -> CliResult {
    let stats = store.read(|conn| statistics::event_statistics(conn, event))?;
    if json {
        return print_json(&stats);
    }
    out!(
        "{} Anmeldungen, davon {} zählend; anwesend: {}",
        stats.registrations,
        stats.counted,
        stats.attendance.present
    );
    for (status, n) in &stats.by_status {
        out!("  {status:<14} {n:>5}");
    }
    for (kind, n) in &stats.by_organisation_kind {
        out!("  {kind:<14} {n:>5}");
    }
    Ok(())
}

//! `documents badges` and `documents certificates`: the print-ready PDFs of an event.
//!
//! `documents badges --event ID --out FILE.pdf [--only-present] [--layout ID] [--blank N]
//! [--no-roles]` and `documents certificates --event ID --out FILE.pdf`. The target is checked
//! like an export's (only `.pdf`, never the database or the configuration folder). Prints a
//! German confirmation with the file; errors are German messages for stderr.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use tagungsbuero_core::Store;
use tagungsbuero_core::documents::badges::{self, BadgeRequest};
use tagungsbuero_core::documents::certificates::{self, CertificateRequest};
use tagungsbuero_core::exports::ProtectedPaths;

/// The subcommands of `documents`.
#[derive(Subcommand)]
pub enum DocumentsCommand {
    /// Namensschilder als PDF (A4-Bögen, nach Namen sortiert).
    Badges(BadgesArgs),
    /// Teilnahmebescheinigungen als PDF (eine Seite je anwesender Person).
    Certificates(CertificatesArgs),
}

/// Arguments of `documents badges`.
#[derive(Args)]
pub struct BadgesArgs {
    /// Veranstaltung (id).
    #[arg(long)]
    event: i64,
    /// Zieldatei (.pdf).
    #[arg(long)]
    out: PathBuf,
    /// Nur eingecheckte (anwesende) Personen, sonst alle Angemeldeten.
    #[arg(long)]
    only_present: bool,
    /// Format: a4-8-90x55 (Standard), avery-l4785, avery-c32010, avery-c32015.
    #[arg(long, default_value = "a4-8-90x55")]
    layout: String,
    /// Leere Namensschilder für Spontan-Anmeldungen zusätzlich.
    #[arg(long, default_value_t = 0)]
    blank: u32,
    /// Ohne Rollenzeile (Referent*in, Team …).
    #[arg(long)]
    no_roles: bool,
}

/// Arguments of `documents certificates`.
#[derive(Args)]
pub struct CertificatesArgs {
    /// Veranstaltung (id).
    #[arg(long)]
    event: i64,
    /// Zieldatei (.pdf).
    #[arg(long)]
    out: PathBuf,
}

/// Runs a `documents` subcommand; returns the confirmation for stdout or a German error.
pub fn run(store: &mut Store, db: &Path, command: DocumentsCommand) -> Result<String, String> {
    let protected = ProtectedPaths::for_database(db);
    let summary = match command {
        DocumentsCommand::Badges(args) => {
            let request = BadgeRequest {
                layout: args.layout,
                only_present: args.only_present,
                blank: args.blank,
                roles: !args.no_roles,
                ..BadgeRequest::new(args.event)
            };
            badges::write_badges(store, &request, &args.out, &protected)
        }
        DocumentsCommand::Certificates(args) => certificates::write_certificates(
            store,
            &CertificateRequest::new(args.event),
            &args.out,
            &protected,
        ),
    }
    .map_err(|e| e.to_string())?;
    Ok(format!(
        "{} Datei: {}",
        summary.message,
        summary.path.display()
    ))
}

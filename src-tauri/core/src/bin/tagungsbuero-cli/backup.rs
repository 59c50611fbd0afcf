//! `backup --out FILE` and `restore --from FILE`: a checked copy of the database through the
//! online backup API, and putting one back (the replaced database is kept next to it as
//! `NAME.vor-wiederherstellung-<Zeit>.db`).
//!
//! Encrypted backups: `--passphrase-env VARIABLE` names an environment variable that holds the
//! passphrase (never an argument, which other users could read in the process list). With it,
//! `backup` encrypts (age, scrypt); `restore` needs it for an encrypted file.

use std::path::PathBuf;

use clap::Args;
use tagungsbuero_core::Store;
use tagungsbuero_core::backup::{self, BackupCounts, Passphrase};

/// Arguments of `backup`.
#[derive(Args)]
pub struct BackupArgs {
    /// Zieldatei der Sicherung (wird nie überschrieben).
    #[arg(long)]
    out: PathBuf,
    /// Verschlüsseln mit dem Kennwort aus dieser Umgebungsvariablen.
    #[arg(long, value_name = "VARIABLE")]
    passphrase_env: Option<String>,
    /// Als JSON ausgeben.
    #[arg(long)]
    json: bool,
}

/// Arguments of `restore`.
#[derive(Args)]
pub struct RestoreArgs {
    /// Die Sicherung, die wiederhergestellt wird.
    #[arg(long)]
    from: PathBuf,
    /// Kennwort einer verschlüsselten Sicherung aus dieser Umgebungsvariablen.
    #[arg(long, value_name = "VARIABLE")]
    passphrase_env: Option<String>,
    /// Als JSON ausgeben.
    #[arg(long)]
    json: bool,
}

/// Writes the backup; returns what to print.
pub fn backup(store: &Store, args: &BackupArgs) -> Result<String, String> {
    let passphrase = passphrase(args.passphrase_env.as_deref())?;
    let info = backup::back_up_to_file(store, &args.out, passphrase.as_ref())
        .map_err(|e| e.to_string())?;
    if args.json {
        return to_json(&info);
    }
    Ok(format!(
        "Sicherung geschrieben: {} ({}; {}{}).",
        info.path,
        size(info.size_bytes),
        counts(info.counts),
        if info.encrypted {
            "; verschlüsselt"
        } else {
            ""
        }
    ))
}

/// Restores the backup into the database; returns what to print.
pub fn restore(store: &mut Store, args: &RestoreArgs) -> Result<String, String> {
    let passphrase = passphrase(args.passphrase_env.as_deref())?;
    let report =
        backup::restore(store, &args.from, passphrase.as_ref()).map_err(|e| e.to_string())?;
    if args.json {
        return to_json(&report);
    }
    let mut text = format!(
        "Wiederhergestellt aus {} ({}).",
        report.restored.path,
        counts(report.restored.counts)
    );
    if let Some(kept) = &report.kept_as {
        text.push_str(&format!("\nDie bisherige Datenbank liegt unter {kept}."));
    }
    Ok(text)
}

fn passphrase(variable: Option<&str>) -> Result<Option<Passphrase>, String> {
    let Some(variable) = variable else {
        return Ok(None);
    };
    let value = std::env::var(variable)
        .ok()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            format!("Die Umgebungsvariable {variable} mit dem Kennwort ist nicht gesetzt.")
        })?;
    Passphrase::new(value).map(Some).map_err(|e| e.to_string())
}

fn counts(counts: Option<BackupCounts>) -> String {
    counts.map_or_else(
        || "Inhalt unbekannt".to_owned(),
        |c| {
            format!(
                "{} Veranstaltungen, {} Personen, {} Anmeldungen",
                c.events, c.persons, c.registrations
            )
        },
    )
}

fn size(bytes: u64) -> String {
    let mb = bytes as f64 / 1_000_000.0;
    if mb >= 0.1 {
        format!("{mb:.1} MB").replace('.', ",")
    } else {
        format!("{} kB", bytes.div_ceil(1000))
    }
}

fn to_json(value: &impl serde::Serialize) -> Result<String, String> {
    serde_json::to_string_pretty(value).map_err(|e| format!("JSON-Ausgabe fehlgeschlagen: {e}"))
}

//! `tagungsbuero-cli`: the office's data from the command line (scripts, checks, imports).
//!
//! Output for machines is JSON on stdout; errors are German on stderr with exit code 1. A
//! closed stdout (`… | head -1`) ends the program quietly with exit code 0.

/// `println!` for stdout that ends the program quietly when the reader has gone (`… | head
/// -1`): Rust ignores SIGPIPE, so `println!` would panic with exit code 101 there.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::write_line(format_args!($($arg)*))
    };
}

mod backup;
mod cluster;
mod documents;
mod export;
mod import;
mod mail;
mod privacy;
mod records;
mod stats;
mod sync;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use serde_json::json;
use tagungsbuero_core::events::{self, EventFormat, EventInput, EventStatus, Series};
use tagungsbuero_core::registrations::{self, RegisterInput, attendance, merge};
use tagungsbuero_core::{CoreError, Store, imports, people, settings};

/// Tagungsbüro – Veranstaltungsbüro der Netzwerkstelle Städtepartnerschaften NRW.
#[derive(Parser)]
#[command(name = "tagungsbuero-cli", version, about)]
struct Cli {
    /// SQLite-Datenbankdatei (sonst die Umgebungsvariable TAGUNGSBUERO_DB).
    #[arg(long, global = true, env = "TAGUNGSBUERO_DB")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lädt die Demodaten aus seeds/ (mehrfach ausführbar, fügt nichts doppelt ein).
    SeedDemo,
    /// Veranstaltungen anzeigen und anlegen.
    #[command(subcommand)]
    Events(EventsCommand),
    /// Eine Person per E-Mail zu einer Veranstaltung anmelden (legt sie bei Bedarf an).
    Register(RegisterArgs),
    /// Eine Anmeldung stornieren; die erste Person der Warteliste rückt nach.
    Cancel(CancelArgs),
    /// Eine angemeldete Person einchecken (anwesend).
    Checkin(CheckinArgs),
    /// Anmeldungen einer Veranstaltung.
    #[command(subcommand)]
    Registrations(RegistrationsCommand),
    /// Kontakte suchen.
    #[command(subcommand)]
    Persons(PersonsCommand),
    /// Wünsche automatisch Themen zuordnen (JSON auf stdout).
    Cluster(cluster::ClusterArgs),
    /// Qualitätsbericht der Themenvorschläge über die Entwicklungsdaten.
    // Boxed: its option per labelled set makes it by far the largest variant.
    ClusterReport(Box<cluster::ClusterReportArgs>),
    /// Eine Liste als Excel- oder CSV-Datei exportieren.
    Export(export::ExportArgs),
    /// Die verfügbaren Exportarten mit ihren Optionen.
    ExportKinds(export::KindsArgs),
    /// Kontakte, Anmeldungen oder Online-Anwesenheit aus einer Datei importieren.
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// Die verfügbaren Importarten mit ihren Feldern.
    ImportKinds(import::KindsArgs),
    /// Abgleich mit den anderen Laptops des Teams (Abgleichsdatei).
    #[command(subcommand)]
    Sync(sync::SyncCommand),
    /// Statistik einer Veranstaltung (--event) oder eines Zeitraums (--from/--to): Teilnahme,
    /// Reichweite (Kommunen/Kreise).
    Stats(stats::StatsArgs),
    /// Den Jahresbericht schreiben: als Excel-Datei (--out BERICHT.xlsx) oder als PDF (--out
    /// BERICHT.pdf).
    Report(stats::ReportArgs),
    /// Namensschilder und Teilnahmebescheinigungen als PDF.
    #[command(subcommand)]
    Documents(documents::DocumentsCommand),
    /// E-Mails an Teilnehmende: Postausgang anzeigen und senden.
    #[command(subcommand)]
    Mail(mail::MailCommand),
    /// Personendaten einer vergangenen Veranstaltung löschen (Anmeldungen bleiben anonym).
    Shred(privacy::ShredArgs),
    /// Auskunft (Art. 15) und Löschen (Art. 17) einer Person.
    #[command(subcommand)]
    Person(privacy::PersonCommand),
    /// Die Datenbank sichern (geprüfte Kopie; mit --passphrase-env verschlüsselt).
    Backup(backup::BackupArgs),
    /// Eine Sicherung wiederherstellen; die bisherige Datenbank bleibt als
    /// NAME.vor-wiederherstellung-<Zeit>.db daneben liegen.
    Restore(backup::RestoreArgs),
}

#[derive(Subcommand)]
enum EventsCommand {
    /// Alle Veranstaltungen, kommende zuerst.
    List(JsonFlag),
    /// Eine Veranstaltung anlegen.
    Create(CreateEventArgs),
}

#[derive(Args)]
struct JsonFlag {
    /// Als JSON ausgeben.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct CreateEventArgs {
    /// Titel.
    #[arg(long)]
    title: String,
    /// Beginn, "JJJJ-MM-TT HH:MM" (Ortszeit Berlin).
    #[arg(long)]
    starts_at: String,
    /// Ende, "JJJJ-MM-TT HH:MM" (Ortszeit Berlin).
    #[arg(long)]
    ends_at: String,
    /// Plätze (ohne Angabe: unbegrenzt).
    #[arg(long, allow_negative_numbers = true)]
    capacity: Option<i64>,
    /// Reihe: forum, tag, training, other.
    #[arg(long, default_value = "other")]
    series: String,
    /// Nummer in der Reihe.
    #[arg(long)]
    number: Option<i64>,
    /// Format: online, praesenz, hybrid.
    #[arg(long, default_value = "online")]
    format: String,
    /// Als JSON ausgeben.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct RegisterArgs {
    /// Veranstaltung (id).
    #[arg(long)]
    event: i64,
    /// E-Mail-Adresse der Person.
    #[arg(long)]
    email: String,
    /// Vorname (für neue Personen nötig).
    #[arg(long)]
    first_name: Option<String>,
    /// Nachname (für neue Personen nötig).
    #[arg(long)]
    last_name: Option<String>,
    /// Organisation (wird bei Bedarf angelegt).
    #[arg(long)]
    organisation: Option<String>,
}

#[derive(Args)]
struct CancelArgs {
    /// Veranstaltung (id).
    #[arg(long)]
    event: i64,
    /// E-Mail-Adresse der Person.
    #[arg(long)]
    email: String,
    /// Grund der Stornierung.
    #[arg(long, default_value = "")]
    reason: String,
}

#[derive(Args)]
struct CheckinArgs {
    /// Veranstaltung (id).
    #[arg(long)]
    event: i64,
    /// E-Mail-Adresse der Person.
    #[arg(long)]
    email: String,
    /// Tag "JJJJ-MM-TT" (mehrtägige Veranstaltungen; sonst heute bzw. der erste Tag).
    #[arg(long)]
    day: Option<String>,
}

#[derive(Subcommand)]
enum RegistrationsCommand {
    /// Anmeldungen einer Veranstaltung, nach Namen sortiert.
    List {
        /// Veranstaltung (id).
        #[arg(long)]
        event: i64,
        /// Als JSON ausgeben.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum PersonsCommand {
    /// Alle Personen, nach Namen sortiert.
    List(JsonFlag),
    /// Zwei Personen zusammenführen (je Feld gewinnt der nicht leere Wert der bleibenden Person).
    Merge(MergeArgs),
    /// Type-ahead-Suche über Name, Organisation, Ort und E-Mail.
    Search {
        /// Suchbegriff.
        query: String,
        /// Höchstens so viele Treffer.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Als JSON ausgeben.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct MergeArgs {
    /// Die Person, die bleibt (id).
    #[arg(long)]
    keep: i64,
    /// Die Person, die in sie übergeht und danach gelöscht ist (id).
    #[arg(long)]
    remove: i64,
    /// Nur den Plan zeigen, nichts ändern.
    #[arg(long)]
    dry_run: bool,
    /// Als JSON ausgeben.
    #[arg(long)]
    json: bool,
}

/// A CLI failure: a German message for stderr.
struct Failure(String);

impl From<CoreError> for Failure {
    fn from(e: CoreError) -> Self {
        Failure(e.to_string())
    }
}

type CliResult = Result<(), Failure>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message)) => {
            eprintln!("Fehler: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> CliResult {
    let db = cli.db.as_deref();
    match cli.command {
        Command::SeedDemo => seed_demo(&mut open(db)?),
        Command::Events(EventsCommand::List(flag)) => list_events(&mut open(db)?, flag.json),
        Command::Events(EventsCommand::Create(args)) => create_event(&mut open(db)?, args),
        Command::Register(args) => register(&mut open(db)?, args),
        Command::Cancel(args) => cancel(&mut open(db)?, args),
        Command::Checkin(args) => checkin(&mut open(db)?, args),
        Command::Registrations(RegistrationsCommand::List { event, json }) => {
            list_registrations(&mut open(db)?, event, json)
        }
        Command::Persons(PersonsCommand::Search { query, limit, json }) => {
            search_persons(&mut open(db)?, &query, limit, json)
        }
        Command::Persons(PersonsCommand::List(flag)) => list_persons(&mut open(db)?, flag.json),
        Command::Persons(PersonsCommand::Merge(args)) => merge_persons(&mut open(db)?, &args),
        Command::Cluster(args) => cluster::run(&args, db).map_err(Failure),
        Command::ClusterReport(args) => cluster::run_report(&args).map_err(Failure),
        Command::Export(args) => {
            let db = db_path(db)?;
            print_outcome(export::run(&mut open(Some(db))?, db, args))
        }
        Command::ExportKinds(args) => print_outcome(export::kinds(&args)),
        Command::Import(command) => print_outcome(import::run(&mut open(db)?, command)),
        Command::ImportKinds(args) => print_outcome(import::kinds(&args)),
        Command::Sync(sync::SyncCommand::Dump) => sync::dump_any(db_path(db)?),
        Command::Sync(command) => {
            let db = db_path(db)?;
            sync::run(&mut open(Some(db))?, db, command)
        }
        Command::Stats(args) => match args.event {
            Some(event) => privacy::stats(&mut open(db)?, event, args.json),
            None => print_outcome(stats::run(&mut open(db)?, &args)),
        },
        Command::Report(args) => {
            let db = db_path(db)?;
            print_outcome(stats::report(&mut open(Some(db))?, db, &args))
        }
        Command::Documents(command) => {
            let db = db_path(db)?;
            print_outcome(documents::run(&mut open(Some(db))?, db, command))
        }
        Command::Mail(command) => print_outcome(mail::run(&mut open(db)?, command)),
        Command::Shred(args) => privacy::shred(&mut open(db)?, &args),
        Command::Person(command) => {
            let db = db_path(db)?;
            privacy::person(&mut open(Some(db))?, db, &command)
        }
        Command::Backup(args) => print_outcome(backup::backup(&open(db)?, &args)),
        Command::Restore(args) => print_outcome(backup::restore(&mut open(db)?, &args)),
    }
}

/// Writes one line to stdout; see [`out!`].
fn write_line(line: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_fmt(line)
        .and_then(|()| stdout.write_all(b"\n"))
        .and_then(|()| stdout.flush());
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => {
            eprintln!("Fehler: Die Ausgabe konnte nicht geschrieben werden: {e}");
            std::process::exit(1);
        }
    }
}

fn print_outcome(outcome: Result<String, String>) -> CliResult {
    out!("{}", outcome.map_err(Failure)?);
    Ok(())
}

fn db_path(db: Option<&Path>) -> Result<&Path, Failure> {
    db.ok_or_else(|| {
        Failure("Bitte die Datenbank mit --db PFAD (oder TAGUNGSBUERO_DB) angeben.".into())
    })
}

/// Exit code when the database is open in Tagungsbüro or another CLI (scripts can wait and retry).
const EXIT_DATABASE_IN_USE: u8 = 3;

/// Opens the store, saying on stderr when a new database file was created. A database that is
/// in use ends the program at once with [`EXIT_DATABASE_IN_USE`]: nothing has been touched yet.
fn open(db: Option<&Path>) -> Result<Store, Failure> {
    let path = db_path(db)?;
    match Store::open(path) {
        Ok(mut store) => {
            if store.was_created() {
                eprintln!("Neue Datenbank angelegt: {}", path.display());
            }
            // Every change made here reaches the other laptops of the team.
            tagungsbuero_core::sync::attach(&mut store)?;
            Ok(store)
        }
        Err(in_use @ CoreError::DatabaseInUse { .. }) => {
            eprintln!("Fehler: {in_use}");
            std::process::exit(EXIT_DATABASE_IN_USE.into())
        }
        Err(other) => Err(other.into()),
    }
}

fn print_json(value: &impl serde::Serialize) -> CliResult {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure(format!("JSON-Ausgabe fehlgeschlagen: {e}")))?;
    out!("{text}");
    Ok(())
}

fn seed_demo(store: &mut Store) -> CliResult {
    let report = imports::seeds::seed_demo(store)?;
    out!(
        "Demodaten geladen: {} Organisationen, {} Personen, {} Veranstaltungen, {} Anmeldungen neu.",
        report.organisations,
        report.persons,
        report.events,
        report.registrations
    );
    Ok(())
}

fn list_events(store: &mut Store, json: bool) -> CliResult {
    let summaries = store.read(tagungsbuero_core::overview::list_summaries)?;
    if json {
        return print_json(&summaries.iter().map(records::event).collect::<Vec<_>>());
    }
    for s in &summaries {
        out!(
            "{:>4}  {}  {:<45}  {:>3} angemeldet  {}",
            s.event.id,
            &s.event.starts_at[..16].replace('T', " "),
            s.event.title,
            s.counts.active,
            s.event.status.label()
        );
    }
    Ok(())
}

fn parse_enum<T: std::str::FromStr<Err = String>>(value: &str, what: &str) -> Result<T, Failure> {
    value.parse().map_err(|e| Failure(format!("{what}: {e}")))
}

fn create_event(store: &mut Store, args: CreateEventArgs) -> CliResult {
    let input = EventInput {
        title: args.title,
        series: parse_enum::<Series>(&args.series, "--series")?,
        number: args.number,
        starts_at: args.starts_at,
        ends_at: args.ends_at,
        format: parse_enum::<EventFormat>(&args.format, "--format")?,
        venue: String::new(),
        online_link: String::new(),
        capacity: args.capacity,
        registration_deadline: None,
        description: String::new(),
        status: EventStatus::Offen,
        organiser: String::new(),
        funding_note: String::new(),
    };
    // Organiser and funding line as the office set them ("Einstellungen"), like a new event in
    // the app.
    let event = store.write(|tx| {
        let office = settings::get(tx)?;
        let input = EventInput {
            organiser: office.organisation_name,
            funding_note: office.funding_note,
            ..input
        };
        events::create(tx, input)
    })?;
    if args.json {
        print_json(&records::event_only(&event))
    } else {
        out!("Veranstaltung {} angelegt: {}", event.id, event.title);
        Ok(())
    }
}

fn register(store: &mut Store, args: RegisterArgs) -> CliResult {
    let outcome = store.write(|tx| {
        let person_id = match people::find_by_email(tx, &args.email)? {
            Some(person) => person.id,
            None => {
                let organisation_id = args
                    .organisation
                    .as_deref()
                    .filter(|o| !o.trim().is_empty())
                    .map(|o| people::find_or_create_organisation_by_name(tx, o))
                    .transpose()?;
                let input = people::PersonInput {
                    first_name: args.first_name.clone().unwrap_or_default(),
                    last_name: args.last_name.clone().unwrap_or_default(),
                    email: args.email.clone(),
                    organisation_id,
                    ..people::PersonInput::default()
                };
                people::create_person(tx, &input)?.id
            }
        };
        registrations::register(tx, &RegisterInput::existing(args.event, person_id))
    })?;
    for warning in &outcome.warnings {
        eprintln!("Hinweis: {warning}");
    }
    print_json(&records::registration_result(&outcome.registration))
}

fn cancel(store: &mut Store, args: CancelArgs) -> CliResult {
    let outcome = store.write(|tx| {
        let row = registrations::find_by_email(tx, args.event, &args.email)?;
        registrations::cancel(tx, row.registration_id, &args.reason)
    })?;
    print_json(&json!({
        "cancelled": records::registration(&outcome.cancelled),
        "promoted": outcome.promoted.as_ref().map(records::registration),
    }))
}

fn checkin(store: &mut Store, args: CheckinArgs) -> CliResult {
    let receipt = store.write(|tx| {
        let row = registrations::find_by_email(tx, args.event, &args.email)?;
        attendance::check_in(tx, row.registration_id, args.day.as_deref())
    })?;
    print_json(&json!({
        "registration_id": receipt.undo.registration_id,
        "day": receipt.undo.day,
        "state": "anwesend",
        "first_name": receipt.registration.first_name,
        "last_name": receipt.registration.last_name,
    }))
}

fn list_registrations(store: &mut Store, event_id: i64, json: bool) -> CliResult {
    let rows = store.read(|conn| {
        events::get(conn, event_id)?;
        registrations::list(conn, event_id)
    })?;
    if json {
        return print_json(&rows.iter().map(records::registration).collect::<Vec<_>>());
    }
    for r in &rows {
        let position = r
            .waitlist_position
            .map(|p| format!(" ({p})"))
            .unwrap_or_default();
        out!(
            "{:>5}  {:<30} {:<35} {}{}",
            r.registration_id,
            if r.person_id.is_some() {
                format!("{}, {}", r.last_name, r.first_name)
            } else {
                "(anonym)".to_owned()
            },
            r.email,
            r.status.label(),
            position
        );
    }
    Ok(())
}

fn search_persons(store: &mut Store, query: &str, limit: usize, json: bool) -> CliResult {
    let hits = store.read(|conn| people::search(conn, query, limit))?;
    if json {
        return print_json(&hits.iter().map(records::person).collect::<Vec<_>>());
    }
    for p in &hits {
        out!(
            "{:>5}  {:<30} {:<40} {}",
            p.id,
            format!("{}, {}", p.last_name, p.first_name),
            p.organisation.as_deref().unwrap_or(""),
            p.email
        );
    }
    Ok(())
}

fn list_persons(store: &mut Store, json: bool) -> CliResult {
    let persons = store.read(people::list_persons)?;
    if json {
        return print_json(&persons.iter().map(records::person_full).collect::<Vec<_>>());
    }
    for p in &persons {
        println!(
            "{:>5}  {:<30} {:<40} {}",
            p.id,
            format!("{}, {}", p.last_name, p.first_name),
            p.organisation.as_deref().unwrap_or(""),
            p.email
        );
    }
    Ok(())
}

fn merge_persons(store: &mut Store, args: &MergeArgs) -> CliResult {
    let plan = store.write(|tx| {
        if args.dry_run {
            merge::preview_merge(tx, args.keep, args.remove, None)
        } else {
            merge::merge_persons(tx, args.keep, args.remove, None)
        }
    })?;
    if args.json {
        return print_json(&records::merge(&plan, args.dry_run));
    }
    let verb = if args.dry_run { "würde" } else { "wurde" };
    println!(
        "{} (Nr. {}) {verb} mit {} (Nr. {}) zusammengeführt.",
        plan.remove.display_name(),
        plan.remove.id,
        plan.keep.display_name(),
        plan.keep.id
    );
    for r in &plan.registrations {
        println!(
            "  {}: Anmeldung Nr. {} bleibt ({}){}",
            r.event_title,
            r.kept_registration_id,
            r.status.label(),
            r.promoted_name
                .as_deref()
                .map(|n| format!(", {n} rückt nach"))
                .unwrap_or_default()
        );
    }
    Ok(())
}

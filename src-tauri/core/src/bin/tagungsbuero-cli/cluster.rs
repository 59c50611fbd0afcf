//! `cluster` and `cluster-report`: topic suggestions for wishes and the
//! quality report over the labelled sets (the development sets built in as
//! example wishes, the held-out sets and an optional check set).

use std::path::{Path, PathBuf};

use serde_json::json;
use tagungsbuero_core::events;
use tagungsbuero_core::wishes::{self, Catalogue, board, eval};

/// Arguments of `cluster`.
#[derive(clap::Args)]
pub struct ClusterArgs {
    /// Textdatei (UTF-8) mit einem Wunsch pro Zeile.
    #[arg(long, conflicts_with = "event")]
    input: Option<PathBuf>,
    /// Themenkatalog als TOML (ohne Angabe: der eingebaute aus seeds/topics.toml).
    #[arg(long)]
    catalogue: Option<PathBuf>,
    /// Veranstaltung (id), deren gespeicherte Wünsche gruppiert werden (braucht --db).
    #[arg(long)]
    event: Option<i64>,
}

/// Arguments of `cluster-report`.
#[derive(clap::Args)]
pub struct ClusterReportArgs {
    /// Tuning-Hälfte (Standard: eingebaut, seeds/wishes/tuning.tsv).
    #[arg(long)]
    tuning: Option<PathBuf>,
    /// Held-out-Hälfte (Standard: eingebaut, seeds/wishes/heldout.tsv).
    #[arg(long)]
    heldout: Option<PathBuf>,
    /// Zweiter Satz in anderer Stimme (Standard: eingebaut, seeds/wishes/unseen.tsv).
    #[arg(long)]
    unseen: Option<PathBuf>,
    /// Dritter Satz in wieder anderer Stimme (Standard: tests/fixtures/wishes/unseen2.tsv).
    #[arg(long)]
    unseen2: Option<PathBuf>,
    /// Vierter Satz, Entwicklungsdaten (Standard: eingebaut, seeds/wishes/dev3.tsv).
    #[arg(long)]
    dev3: Option<PathBuf>,
    /// Fünfter Satz, nie zum Abstimmen benutzt (Standard: tests/fixtures/wishes/unseen3.tsv).
    #[arg(long)]
    unseen3: Option<PathBuf>,
    /// Sechster Satz, Entwicklungsdaten (Standard: eingebaut, seeds/wishes/dev4.tsv).
    #[arg(long)]
    dev4: Option<PathBuf>,
    /// Siebter Satz, nie zum Abstimmen benutzt (Standard: tests/fixtures/wishes/unseen4.tsv).
    #[arg(long)]
    unseen4: Option<PathBuf>,
    /// Achter Satz, Entwicklungsdaten (Standard: eingebaut, seeds/wishes/dev5.tsv).
    #[arg(long)]
    dev5: Option<PathBuf>,
    /// Neunter Satz, Entwicklungsdaten (Standard: eingebaut, seeds/wishes/dev6.tsv).
    #[arg(long)]
    dev6: Option<PathBuf>,
    /// Zehnter Satz, Entwicklungsdaten (Standard: eingebaut, seeds/wishes/dev7.tsv).
    #[arg(long)]
    dev7: Option<PathBuf>,
    /// Elfter Satz, nie zum Abstimmen benutzt (Standard: tests/fixtures/wishes/unseen5.tsv).
    #[arg(long)]
    unseen5: Option<PathBuf>,
    /// Zwölfter Satz, nie zum Abstimmen benutzt (Standard: tests/fixtures/wishes/unseen6.tsv).
    #[arg(long)]
    unseen6: Option<PathBuf>,
    /// Dreizehnter Satz, Entwicklungsdaten (Standard: eingebaut, seeds/wishes/dev8.tsv).
    #[arg(long)]
    dev8: Option<PathBuf>,
    /// Vierzehnter Satz, Entwicklungsdaten (Standard: eingebaut, seeds/wishes/dev9.tsv).
    #[arg(long)]
    dev9: Option<PathBuf>,
    /// Fünfzehnter Satz, nie zum Abstimmen benutzt (Standard: tests/fixtures/wishes/unseen7.tsv).
    #[arg(long)]
    unseen7: Option<PathBuf>,
    /// Sechzehnter Satz, nie zum Abstimmen benutzt (Standard: tests/fixtures/wishes/unseen8.tsv).
    #[arg(long)]
    unseen8: Option<PathBuf>,
    /// Siebzehnter Satz, Entwicklungsdaten (Standard: eingebaut, seeds/wishes/dev10.tsv).
    #[arg(long)]
    dev10: Option<PathBuf>,
    /// Achtzehnter Satz, Entwicklungsdaten (Standard: eingebaut, seeds/wishes/dev11.tsv).
    #[arg(long)]
    dev11: Option<PathBuf>,
    /// Neunzehnter Satz, Entwicklungsdaten (Standard: eingebaut, seeds/wishes/dev12.tsv).
    #[arg(long)]
    dev12: Option<PathBuf>,
    /// Prüfsatz im selben Format, nie zum Abstimmen benutzt (z. B. die Wünsche eines Forums
    /// mit der Gruppierung der Netzwerkstelle); ohne Angabe entfällt er.
    #[arg(long)]
    check: Option<PathBuf>,
}

/// Prints a JSON array with the cluster of every wish, in input order:
/// `{"text", "cluster", "group", "score"}` (cluster null: left unassigned).
/// Errors are German.
pub fn run(args: &ClusterArgs, db: Option<&Path>) -> Result<(), String> {
    let rows = match (&args.input, args.event) {
        (Some(input), None) => {
            let catalogue = match &args.catalogue {
                Some(path) => read_catalogue(path)?,
                None => Catalogue::default_catalogue(),
            };
            from_file(input, &catalogue)?
        }
        (None, Some(event)) => from_event(db, event, args.catalogue.as_deref())?,
        _ => return Err("Bitte entweder --input DATEI oder --event ID angeben.".into()),
    };
    let text = serde_json::to_string_pretty(&rows)
        .map_err(|e| format!("JSON-Ausgabe fehlgeschlagen: {e}"))?;
    out!("{text}");
    Ok(())
}

impl ClusterReportArgs {
    /// The file given for a further set of [`eval::FURTHER_SETS`].
    fn further(&self, key: &str) -> &Option<PathBuf> {
        match key {
            "unseen2" => &self.unseen2,
            "dev3" => &self.dev3,
            "unseen3" => &self.unseen3,
            "dev4" => &self.dev4,
            "unseen4" => &self.unseen4,
            "dev5" => &self.dev5,
            "dev6" => &self.dev6,
            "dev7" => &self.dev7,
            "unseen5" => &self.unseen5,
            "unseen6" => &self.unseen6,
            "dev8" => &self.dev8,
            "dev9" => &self.dev9,
            "unseen7" => &self.unseen7,
            "unseen8" => &self.unseen8,
            "dev10" => &self.dev10,
            "dev11" => &self.dev11,
            "dev12" => &self.dev12,
            _ => unreachable!("every further set has its option"),
        }
    }
}

/// Prints the quality report (AMI, B-cubed F1, moves) for both halves of
/// the development set, the further labelled sets and an optional check
/// set, for the algorithm and the baselines.
pub fn run_report(args: &ClusterReportArgs) -> Result<(), String> {
    // A file given wins; else a development set built into the app; else
    // a held-out set of the source tree.
    let labelled = |given: &Option<PathBuf>, key: &str| match (given, eval::built_in_set(key)) {
        (Some(path), _) => read_labelled(path.clone()),
        (None, Some(built_in)) => Ok(built_in),
        (None, None) => read_labelled(fixture(&format!("{key}.tsv"))),
    };
    let tuning = labelled(&args.tuning, "tuning")?;
    let heldout = labelled(&args.heldout, "heldout")?;
    let unseen = labelled(&args.unseen, "unseen")?;
    let further = eval::FURTHER_SETS
        .iter()
        .map(|(key, name)| Ok((*name, labelled(args.further(key), key)?)))
        .collect::<Result<Vec<_>, String>>()?;
    let more: Vec<eval::NamedSet<'_>> = further
        .iter()
        .map(|(name, wishes)| eval::NamedSet { name, wishes })
        .collect();
    let check = args.check.clone().map(read_labelled).transpose()?;
    let sets = eval::LabelledSets {
        tuning: &tuning,
        heldout: &heldout,
        unseen: &unseen,
        more: &more,
        check: check.as_deref(),
    };
    let report = eval::quality_report(sets, &Catalogue::default_catalogue());
    let report = report.to_string();
    out!("{}", report.trim_end_matches('\n'));
    Ok(())
}

fn read_text(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| {
        format!(
            "Die Datei {} konnte nicht gelesen werden: {e}",
            path.display()
        )
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| format!("Die Datei {} ist kein UTF-8-Text.", path.display()))?;
    Ok(text.trim_start_matches('\u{feff}').to_string())
}

fn read_catalogue(path: &Path) -> Result<Catalogue, String> {
    Catalogue::from_toml_str(&read_text(path)?).map_err(|e| format!("{} ({})", e, path.display()))
}

fn read_labelled(path: PathBuf) -> Result<Vec<eval::LabelledWish>, String> {
    eval::parse_labelled(&read_text(&path)?).map_err(|e| format!("{}: {e}", path.display()))
}

/// A held-out set's file: relative to the working directory (the repository root). Debug
/// builds also find it in the source tree they were built from; release builds contain no
/// path of the build machine and need `--unseen2` … elsewhere.
fn fixture(name: &str) -> PathBuf {
    let relative = Path::new("tests/fixtures/wishes").join(name);
    if relative.exists() {
        return relative;
    }
    source_tree_fixture(name).unwrap_or(relative)
}

#[cfg(debug_assertions)]
fn source_tree_fixture(name: &str) -> Option<PathBuf> {
    Some(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/wishes")
            .join(name),
    )
}

#[cfg(not(debug_assertions))]
fn source_tree_fixture(_name: &str) -> Option<PathBuf> {
    None
}

fn from_file(input: &Path, catalogue: &Catalogue) -> Result<Vec<serde_json::Value>, String> {
    let texts: Vec<String> = read_text(input)?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    let suggestions = wishes::suggest(&texts, catalogue, &[]);
    Ok(texts
        .iter()
        .zip(suggestions)
        .map(|(text, s)| row(text, &s.cluster, s.group.as_deref(), s.score))
        .collect())
}

fn row(text: &str, cluster: &str, group: Option<&str>, score: f64) -> serde_json::Value {
    let cluster = (!cluster.is_empty()).then_some(cluster);
    json!({ "text": text, "cluster": cluster, "group": group, "score": (score * 1000.0).round() / 1000.0 })
}
fn from_event(
    db: Option<&Path>,
    event: i64,
    catalogue: Option<&Path>,
) -> Result<Vec<serde_json::Value>, String> {
    let path = db.ok_or("Für --event bitte die Datenbank mit --db PFAD angeben.")?;
    if !path.exists() {
        return Err(format!("Die Datenbank {} gibt es nicht.", path.display()));
    }
    let catalogue = catalogue.map(read_catalogue).transpose()?;
    let mut store = crate::open(Some(path)).map_err(|crate::Failure(message)| message)?;
    let rows = store
        .read(|conn| {
            let event = events::get(conn, event)?;
            board::current_assignments(conn, &event, catalogue.as_ref())
        })
        .map_err(|e| e.to_string())?;
    Ok(rows
        .iter()
        .map(|r| row(&r.text, &r.cluster, r.group.as_deref(), r.score))
        .collect())
}

//! `export` and `export-kinds`: the exporters of the core from the command line.
//!
//! `export --event ID --kind participants|attendance|wishes --out FILE.xlsx [--profile NAME]`
//! writes one export; `--option KEY=WERT` (repeatable) sets single options, `--save-profile NAME`
//! remembers the chosen options. For the participant list, `--out liste.csv` selects the CSV
//! format. Errors are German messages for stderr.

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::Value;
use tagungsbuero_core::Store;
use tagungsbuero_core::exports::{
    self, ExportRequest, Exporter, OptionKind, OptionValue, ProtectedPaths, RawOptions, profiles,
};

/// Arguments of `export`.
#[derive(Args)]
pub struct ExportArgs {
    /// Veranstaltung (id).
    #[arg(long)]
    event: i64,
    /// Exportart: participants, attendance oder wishes (siehe export-kinds).
    #[arg(long)]
    kind: String,
    /// Zieldatei (.xlsx; für die Teilnehmendenliste auch .csv).
    #[arg(long)]
    out: PathBuf,
    /// Gespeichertes Exportprofil als Grundlage.
    #[arg(long)]
    profile: Option<String>,
    /// Einzelne Option, z. B. orientation=portrait oder columns=last_name,first_name.
    #[arg(long = "option", value_name = "SCHLÜSSEL=WERT")]
    options: Vec<String>,
    /// Die gewählten Optionen zusätzlich unter diesem Profilnamen speichern.
    #[arg(long)]
    save_profile: Option<String>,
}

/// Arguments of `export-kinds`.
#[derive(Args)]
pub struct KindsArgs {
    /// Als JSON ausgeben.
    #[arg(long)]
    json: bool,
}

/// Runs `export`; returns the confirmation for stdout or a German error.
pub fn run(store: &mut Store, db: &Path, args: ExportArgs) -> Result<String, String> {
    let exporter = exports::find(&args.kind).map_err(|e| e.to_string())?;
    let options = parse_options(exporter, &args.options)?;
    let explicit_format = options.contains_key("format");
    let mut request = ExportRequest {
        options,
        profile: args.profile.clone(),
        ..ExportRequest::new(exporter.id(), args.event)
    };
    if let Some(name) = &args.save_profile {
        save_profile(store, &mut request, name)?;
    }
    if let Some(format) = format_from_extension(exporter, &args.out)
        && !explicit_format
    {
        request.options.insert("format".into(), Value::from(format));
    }
    let protected = ProtectedPaths::for_database(db);
    let summary = exports::export_to_file(store, &request, &args.out, &protected)
        .map_err(|e| e.to_string())?;
    Ok(format!(
        "{} Datei: {}",
        summary.message,
        summary.path.display()
    ))
}

/// Saves the request's options (on top of its profile) as profile `name` and uses it.
fn save_profile(store: &mut Store, request: &mut ExportRequest, name: &str) -> Result<(), String> {
    let saved = store
        .write(|tx| {
            let mut raw = match &request.profile {
                Some(base) => profiles::get_by_name(tx, &request.exporter_id, base)?.options,
                None => RawOptions::new(),
            };
            raw.extend(request.options.clone());
            profiles::save(tx, &request.exporter_id, name, &raw)
        })
        .map_err(|e| e.to_string())?;
    request.profile = Some(saved.name);
    request.options = RawOptions::new();
    Ok(())
}

/// For an exporter with a `format` option, the target's extension picks the format (.csv or
/// .xlsx), also over a profile; an explicit `--option format=…` wins.
fn format_from_extension(exporter: &dyn Exporter, out: &Path) -> Option<String> {
    let extension = extension_of(out)?;
    exporter
        .options()
        .iter()
        .find(|o| o.key == "format")
        .filter(|o| o.choices.iter().any(|c| c.value == extension))
        .map(|_| extension)
}

fn extension_of(path: &Path) -> Option<String> {
    path.extension().map(|e| e.to_string_lossy().to_lowercase())
}

/// `KEY=WERT` pairs as JSON values of the option's kind (validation happens in the core).
fn parse_options(exporter: &dyn Exporter, pairs: &[String]) -> Result<RawOptions, String> {
    let specs = exporter.options();
    let mut options = RawOptions::new();
    for pair in pairs {
        let (key, text) = pair.split_once('=').ok_or_else(|| {
            format!("--option „{pair}“: erwartet SCHLÜSSEL=WERT, z. B. walk_in_rows=5.")
        })?;
        let key = key.trim();
        let kind = specs.iter().find(|s| s.key == key).map(|s| s.kind);
        options.insert(key.to_owned(), option_value(kind, text.trim()));
    }
    Ok(options)
}

fn option_value(kind: Option<OptionKind>, text: &str) -> Value {
    match kind {
        Some(OptionKind::Bool) => match text.to_lowercase().as_str() {
            "ja" | "true" | "1" => Value::Bool(true),
            "nein" | "false" | "0" => Value::Bool(false),
            _ => Value::from(text),
        },
        Some(OptionKind::Number) => text
            .parse::<u64>()
            .map_or_else(|_| Value::from(text), Value::from),
        Some(OptionKind::Multi | OptionKind::Columns) => text
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(Value::from)
            .collect(),
        _ => Value::from(text),
    }
}

/// Runs `export-kinds`: the registry with options and defaults.
pub fn kinds(args: &KindsArgs) -> Result<String, String> {
    let infos = exports::exporter_infos();
    if args.json {
        return serde_json::to_string_pretty(&infos)
            .map_err(|e| format!("JSON-Ausgabe fehlgeschlagen: {e}"));
    }
    let mut text = String::new();
    for info in &infos {
        text.push_str(&format!(
            "{}  –  {}\n    {}\n",
            info.id, info.label, info.description
        ));
        for option in &info.options {
            text.push_str(&format!(
                "    --option {}=…  {} (Standard: {})\n",
                option.key,
                option.label,
                shown(&option.default)
            ));
            if !option.choices.is_empty() {
                let values: Vec<&str> = option.choices.iter().map(|c| c.value.as_str()).collect();
                text.push_str(&format!("        möglich: {}\n", values.join(", ")));
            }
        }
    }
    Ok(text.trim_end().to_owned())
}

fn shown(value: &OptionValue) -> String {
    match value {
        OptionValue::Bool(true) => "ja".into(),
        OptionValue::Bool(false) => "nein".into(),
        OptionValue::Number(n) => n.to_string(),
        OptionValue::Text(t) => t.clone(),
        OptionValue::List(items) => items.join(","),
    }
}

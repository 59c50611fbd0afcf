//! One version number (issue 16): `tagungsbuero-cli --version` prints the workspace's
//! `[workspace.package] version`, and neither tauri.conf.json nor the UI's package.json carries a
//! second one (Tauri then takes the app crate's version for the app and its installers).

use std::process::Command;

/// The version in the workspace's Cargo.toml, read from the file (not from this crate's build).
fn workspace_version() -> String {
    let manifest = include_str!("../../../Cargo.toml");
    let section = manifest
        .split("[workspace.package]")
        .nth(1)
        .expect("[workspace.package] in Cargo.toml");
    section
        .lines()
        .find_map(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("version = \"…\"")
        .to_owned()
}

#[test]
fn cli_version_is_the_workspace_version() {
    let out = Command::new(env!("CARGO_BIN_EXE_tagungsbuero-cli"))
        .arg("--version")
        .output()
        .expect("the CLI starts");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        format!("tagungsbuero-cli {}", workspace_version())
    );
}

#[test]
fn no_second_version_number() {
    let conf: serde_json::Value =
        serde_json::from_str(include_str!("../../tauri.conf.json")).unwrap();
    assert!(
        conf.get("version").is_none(),
        "tauri.conf.json must not set its own version"
    );
    let ui: serde_json::Value =
        serde_json::from_str(include_str!("../../../ui/package.json")).unwrap();
    assert!(
        ui.get("version").is_none(),
        "ui/package.json must not set its own version"
    );
}

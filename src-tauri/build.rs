//! Build script: generates the Tauri context (config, capabilities, icons) for the app crate.

fn main() {
    tauri_build::build()
}

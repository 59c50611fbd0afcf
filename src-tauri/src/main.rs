//! Entry point of the Tagungsbüro desktop app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    tagungsbuero_lib::run();
}

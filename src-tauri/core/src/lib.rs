//! Tagungsbüro core: the domain logic and the SQLite store of the event office of the
//! Netzwerkstelle Städtepartnerschaften NRW.
//!
//! The crate has no GUI dependency. The Tauri shell and the `tagungsbuero-cli` binary are thin
//! adapters over the functions here. Every user action is one transaction
//! (see [`store::Store::write`]); user-facing error messages are German ([`error::CoreError`]).

pub mod about;
pub mod backup;
pub mod documents;
pub mod error;
pub mod events;
pub mod exports;
pub mod imports;
pub mod input;
pub mod mail;
pub mod municipalities;
pub mod overview;
pub mod people;
pub mod privacy;
pub mod registrations;
pub mod reporting;
pub mod settings;
pub mod statistics;
pub mod store;
pub mod sync;
pub mod team;
pub mod time;
pub mod wishes;

pub use error::{CoreError, CoreResult};
pub use store::Store;

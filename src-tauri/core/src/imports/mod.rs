//! Getting data in: the demo data from `seeds/` (and, later, web-form exports).

pub mod seeds;

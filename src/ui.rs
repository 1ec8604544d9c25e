//! Components and pages. Pages are thin: they load one summary and lay it out with the
//! shared pieces here.

pub mod auth_message;
pub mod card_check;
pub mod chart;
pub mod disputes;
pub mod format;
pub mod idle_warning;
pub mod layout;
pub mod pages;
pub mod records;
pub mod status;
pub mod table;

//! Components and pages. Pages are thin: they load one summary and lay it out with the
//! shared pieces here.

pub mod auth_message;
pub mod card_check;
pub mod chart;
pub mod disputes;
pub mod idle_warning;
pub mod layout;
pub mod page_title;
pub mod pages;
pub mod records;
pub mod scripts;
pub mod site;
pub mod status;
pub mod table;

//! One file per page.

pub mod access_log_page;
pub mod access_report_page;
pub mod account_page;
pub mod checkups_page;
pub mod consent_page;
pub mod cost_correction_page;
pub mod costs_page;
pub mod counter_page;
pub mod enroll_page;
pub mod home_page;
pub mod insurance_page;
pub mod medications_page;
pub mod not_found_page;
pub mod proxies_page;
pub mod report_page;
pub mod sign_in_page;

//! What the header of every page says about who is signed in: their own name, and, while they
//! act for someone as that person's proxy, whose records the page shows. The navigation offers
//! only what this person may open, so a view-only proxy is not led to pages that refuse them.
//! Built on the server from the login the request checked (`viewer::masthead`); the header is
//! never hydrated, so it is never sent as data.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Masthead {
    /// The signed-in person.
    pub name: String,
    /// The patient whose records are shown, while acting for them.
    pub acting_for: Option<String>,
    /// The access log and the consent page (a view-only proxy has neither).
    pub may_manage_consent: bool,
}

#[cfg(feature = "ssr")]
impl Masthead {
    pub fn of(
        principal: &crate::principal::Principal,
        login: &crate::storage::logins::LoginRow,
    ) -> Self {
        use crate::principal::Act;
        Self {
            name: login.name.clone(),
            acting_for: login.acting.as_ref().map(|a| a.name.clone()),
            may_manage_consent: principal.may(Act::ManageConsent)
                && principal.may(Act::ReadAccessLog),
        }
    }
}

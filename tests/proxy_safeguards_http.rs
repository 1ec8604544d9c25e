//! What keeps family proxies visible and safe, through HTTP as browsers without JavaScript use
//! them: the header says who is signed in and for whom they act; the patient learns of a
//! proxy's first act and only the patient can set that notice aside; a consent a proxy changes
//! is logged as theirs and its card signature verifies; a stopped or reissued card pauses every
//! proxy until the patient confirms them; the operators lock them all at once; a guardian acts
//! for a child without a card until the day set; a proxy whose own card is stopped is out at
//! once. Each runs on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::app::App;
use common::card::Card;
use common::proxy::{acting, header_of, main_of, newest, page, post, signed_in};
use portal::domain::access_log::{Action, ActorKind, Entry, Outcome};
use portal::storage::patients::PatientId;

http_suite!(
    the_header_names_who_is_signed_in_and_for_whom_they_act,
    the_patient_learns_of_a_proxys_first_act_and_only_they_set_it_aside,
    a_consent_a_proxy_changes_is_theirs_in_the_log_and_their_card_signed_it,
    a_stopped_or_reissued_card_pauses_proxies_until_the_patient_confirms,
    the_operators_lock_every_proxy_at_once,
    a_guardian_acts_for_a_child_without_a_card_until_the_day_set,
    a_proxy_whose_own_card_is_stopped_is_out_at_once,
);

async fn open_notices(app: &App, patient: PatientId, topic: &str) -> i64 {
    common::strings(
        &app.db.db,
        &format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM notices WHERE patient_id = {} AND topic = '{topic}'
             AND dismissed_at IS NULL",
            patient.0
        ),
    )
    .await[0]
        .parse()
        .unwrap()
}

async fn the_header_names_who_is_signed_in_and_for_whom_they_act(app: App) {
    // Signed out: signing in and enrolling, nothing else.
    let (_, html) = page(&app, &common::card::browser(), "/").await;
    let header = header_of(&html);
    assert!(header.contains("href=\"/sign-in\""));
    assert!(header.contains("href=\"/enroll\""));
    assert!(!header.contains("/api/auth/sign_out"));
    assert!(!header.contains("href=\"/medications\""));

    let (parent, mut parent_card, parent_id, parent_name) = signed_in(&app, "DEMO-0002").await;
    let (child, _, child_id, child_name) = signed_in(&app, "DEMO-0001").await;
    // Signed in, on every page: the name and the way out; no "sign in".
    for path in ["/", "/medications", "/account", "/proxies", "/no-such-page"] {
        let (_, html) = page(&app, &parent, path).await;
        let header = header_of(&html);
        assert!(header.contains(&parent_name), "{path}");
        assert!(header.contains("action=\"/api/auth/sign_out\""), "{path}");
        assert!(!header.contains("href=\"/sign-in\""), "{path}");
        assert!(header.contains("href=\"/access-log\""), "{path}");
        assert!(!header.contains("acting-banner"), "{path}");
    }

    // Acting view-only: whose records, as whom, and no links the scope refuses.
    acting(
        &app,
        (&parent, &mut parent_card),
        (&child, child_id),
        "view_records",
    )
    .await;
    for path in ["/", "/checkups", "/proxies"] {
        let (_, html) = page(&app, &child, path).await;
        let header = header_of(&html);
        assert!(
            header.contains(&child_name),
            "signed in as themself: {path}"
        );
        assert!(header.contains("acting-banner"), "{path}");
        assert!(
            header.contains(&format!("{parent_name}さんの代理として")),
            "{path}"
        );
        for refused in ["/access-log", "/consents", "/account"] {
            assert!(
                !header.contains(&format!("href=\"{refused}\"")),
                "{refused} on {path}"
            );
        }
    }
    // The banner's button goes back to one's own records.
    let (status, to, _) = post(&app, &child, &[("action", "act"), ("grant", "self")]).await;
    assert_eq!((status, to.as_str()), (303, "/"));
    let (_, html) = page(&app, &child, "/").await;
    assert!(!header_of(&html).contains("acting-banner"));
    assert!(!main_of(&html).contains(&parent_name));
    // Signing out from the header ends the session.
    let res = child
        .post(app.url("/api/auth/sign_out"))
        .header("origin", app.origin())
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert!(res.headers().contains_key("clear-site-data"));
    let (_, html) = page(&app, &child, "/").await;
    assert!(header_of(&html).contains("href=\"/sign-in\""));
    let _ = parent_id;
}

async fn the_patient_learns_of_a_proxys_first_act_and_only_they_set_it_aside(app: App) {
    let (parent, mut parent_card, parent_id, _) = signed_in(&app, "DEMO-0002").await;
    let (child, _, child_id, child_name) = signed_in(&app, "DEMO-0001").await;
    let grant = acting(
        &app,
        (&parent, &mut parent_card),
        (&child, child_id),
        "manage_consent",
    )
    .await;
    let topic = format!("proxy_first:{grant}");
    assert_eq!(open_notices(&app, parent_id, &topic).await, 0);
    for path in ["/", "/medications", "/costs"] {
        assert_eq!(page(&app, &child, path).await.0, 200);
    }
    assert_eq!(
        open_notices(&app, parent_id, &topic).await,
        1,
        "raised once"
    );
    // Receipts and "not my record" reports stay the patient's own, even for the manage scope:
    // the pages offer neither, and the posts are refused.
    for path in ["/costs", "/medications"] {
        let (_, html) = page(&app, &child, path).await;
        assert!(!main_of(&html).contains("/report?kind="), "{path}");
        assert!(!main_of(&html).contains("receipt-add-form"), "{path}");
    }
    let (_, own) = page(&app, &parent, "/costs").await;
    assert!(own.contains("receipt-add-form") && own.contains("/report?kind="));
    let record = common::strings(
        &app.db.db,
        &format!(
            "SELECT CAST(MIN(id) AS TEXT) FROM medications WHERE patient_id = {}",
            parent_id.0
        ),
    )
    .await
    .remove(0);
    let fields = [
        ("kind", "medication"),
        ("id", record.as_str()),
        ("reason", "not_me"),
    ];
    let (status, _, _) = common::card::post_form(&app, &child, "/report", &fields).await;
    assert_eq!(status, 404);
    let fields = [
        ("action", "add_receipt"),
        ("paid_on", "2026-11-01"),
        ("payee", "Clinic"),
        ("kind", "medical"),
        ("amount", "1000"),
    ];
    let (status, _, _) = common::card::post_form(&app, &child, "/costs", &fields).await;
    assert_eq!(status, 404);
    // Nor what the patient really paid: no link, no page, no post.
    let month_and_code = common::strings(
        &app.db.db,
        &format!(
            "SELECT care_month || ',' || institution_code FROM cost_notices
             WHERE patient_id = {} ORDER BY id LIMIT 1",
            parent_id.0
        ),
    )
    .await
    .remove(0);
    let (month, code) = month_and_code.split_once(',').unwrap();
    let (_, html) = page(&app, &child, "/costs").await;
    assert!(!main_of(&html).contains("/costs/correction?"));
    assert!(own.contains("/costs/correction?month="));
    let correction = format!("/costs/correction?month={month}&institution={code}");
    assert_eq!(page(&app, &child, &correction).await.0, 404);
    assert_eq!(page(&app, &parent, &correction).await.0, 200);
    let fields = [
        ("action", "correct"),
        ("month", month),
        ("institution", code),
        ("reimbursed", "100"),
    ];
    let (status, _, _) = common::card::post_form(&app, &child, "/costs", &fields).await;
    assert_eq!(status, 404);
    assert_eq!(common::count(&app.db.db, "record_disputes").await, 0);
    assert_eq!(common::count(&app.db.db, "receipts").await, 0);
    assert_eq!(common::count(&app.db.db, "cost_corrections").await, 0);
    // The patient sees it, naming the proxy; the proxy does not.
    let (_, home) = page(&app, &parent, "/").await;
    assert!(main_of(&home).contains(&topic));
    assert!(main_of(&home).contains(&format!("{child_name}さんが")));
    let (_, theirs) = page(&app, &child, "/").await;
    assert!(!theirs.contains(&topic));
    // The proxy cannot set it aside, even with the manage scope.
    let (status, _, _) =
        common::card::post_form(&app, &child, "/notices", &[("topic", &topic)]).await;
    assert_eq!(status, 303);
    assert_eq!(open_notices(&app, parent_id, &topic).await, 1);
    // The patient can, and the log says so.
    let (status, _, _) =
        common::card::post_form(&app, &parent, "/notices", &[("topic", &topic)]).await;
    assert_eq!(status, 303);
    assert_eq!(open_notices(&app, parent_id, &topic).await, 0);
    let e = newest(&app, parent_id).await;
    assert_eq!(
        (e.action, e.actor_kind, e.actor_name.as_deref()),
        (
            Action::NoticeDismissed,
            ActorKind::Patient,
            Some(child_name.as_str())
        )
    );
    // Further acts raise nothing new.
    page(&app, &child, "/insurance").await;
    assert_eq!(
        common::strings(
            &app.db.db,
            &format!(
                "SELECT topic FROM notices WHERE patient_id = {}",
                parent_id.0
            )
        )
        .await
        .iter()
        .filter(|t| **t == topic)
        .count(),
        1
    );
}

async fn a_consent_a_proxy_changes_is_theirs_in_the_log_and_their_card_signed_it(app: App) {
    let (parent, mut parent_card, parent_id, _) = signed_in(&app, "DEMO-0002").await;
    let (child, mut child_card, child_id, child_name) = signed_in(&app, "DEMO-0001").await;
    let grant = acting(
        &app,
        (&parent, &mut parent_card),
        (&child, child_id),
        "manage_consent",
    )
    .await;
    let institution =
        common::strings(&app.db.db, "SELECT code FROM institutions ORDER BY code").await[0].clone();
    assert_eq!(
        child_card
            .step_up(&app, &child, "change_consent")
            .await
            .status(),
        200
    );
    let (status, _, _) = common::card::post_form(
        &app,
        &child,
        "/consents",
        &[
            ("action", "grant"),
            ("institution", &institution),
            ("k_checkups", "on"),
            ("period", "visit"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let e = newest(&app, parent_id).await;
    assert_eq!(
        (e.action, e.actor_kind),
        (Action::ConsentGranted, ActorKind::Proxy)
    );
    let detail: serde_json::Value = serde_json::from_str(&e.detail).unwrap();
    assert_eq!(detail["proxy_grant"].to_string(), grant);
    assert_eq!(detail["proxy_name"], child_name.as_str());
    // The patient's log names the proxy, and the proxy's card check verifies for this patient.
    let (_, log) = page(&app, &parent, "/access-log").await;
    assert!(main_of(&log).contains(&child_name));
    let (checked, unsigned) = portal::auth::signatures::verify_consents(&app.db.db)
        .await
        .unwrap();
    assert_eq!((checked, unsigned), (1, vec![]));
    // Without the grant named, the same card would be another patient's.
    let mut forged = e.clone();
    forged.detail = serde_json::json!({
        "terms": detail["terms"],
        "card_check": detail["card_check"],
        "challenge": detail["challenge"],
    })
    .to_string();
    portal::storage::access_log::append(&app.db.db, parent_id, &forged)
        .await
        .unwrap();
    let (_, unsigned) = portal::auth::signatures::verify_consents(&app.db.db)
        .await
        .unwrap();
    assert_eq!(
        unsigned.iter().map(|p| p.what.clone()).collect::<Vec<_>>(),
        vec![portal::auth::signatures::Unsigned::OtherPatientsCard]
    );

    // A consent ending in three days is announced; the proxy who sets the notice aside is the
    // one the log names, beside the institution the notice was about.
    let until =
        (portal::domain::clock::Clock::today_japan(&*app.clock) + chrono::Days::new(3)).to_string();
    assert_eq!(
        child_card
            .step_up(&app, &child, "change_consent")
            .await
            .status(),
        200,
        "each change asks for its own card check"
    );
    let (status, _, body) = common::card::post_form(
        &app,
        &child,
        "/consents",
        &[
            ("action", "grant"),
            ("institution", &institution),
            ("k_medications", "on"),
            ("period", "until"),
            ("until", &until),
        ],
    )
    .await;
    assert_eq!(status, 303, "{}", main_of(&body));
    let (_, home) = page(&app, &child, "/").await;
    let start = home
        .find(r#"data-topic="consent_expiring:"#)
        .expect("announced")
        + r#"data-topic=""#.len();
    let topic = home[start..start + home[start..].find('"').unwrap()].to_owned();
    let (status, _, _) =
        common::card::post_form(&app, &child, "/notices", &[("topic", &topic)]).await;
    assert_eq!(status, 303);
    let e = newest(&app, parent_id).await;
    assert_eq!(
        (e.action, e.actor_kind, e.actor_code.as_deref()),
        (
            Action::NoticeDismissed,
            ActorKind::Proxy,
            Some(institution.as_str())
        )
    );
    let detail: serde_json::Value = serde_json::from_str(&e.detail).unwrap();
    assert_eq!(detail["proxy_name"], child_name.as_str());
    let (_, log) = page(&app, &parent, "/access-log").await;
    let dismissed = main_of(&log)
        .split("<tr")
        .find(|row| row.contains("についてのお知らせを確認済みにしました"))
        .unwrap()
        .to_owned();
    assert!(
        dismissed.contains(&format!("代理人 {child_name}")),
        "{dismissed}"
    );
}

async fn a_stopped_or_reissued_card_pauses_proxies_until_the_patient_confirms(app: App) {
    let (parent, mut parent_card, parent_id, parent_name) = signed_in(&app, "DEMO-0002").await;
    let (child, _, child_id, _) = signed_in(&app, "DEMO-0001").await;
    let grant = acting(
        &app,
        (&parent, &mut parent_card),
        (&child, child_id),
        "view_records",
    )
    .await;
    assert!(main_of(&page(&app, &child, "/").await.1).contains(&parent_name));

    // The parent's card is reissued (a new enrollment code): every proxy pauses at once.
    let parent = common::card::browser();
    let mut new_card = Card::enroll(&app, &parent, "DEMO-0002").await;
    assert_eq!(new_card.sign_in(&app, &parent).await.status(), 200);
    let recent =
        portal::storage::access_log::page(&app.db.db, parent_id, &Default::default(), 0, 5)
            .await
            .unwrap()
            .0;
    assert!(
        recent
            .iter()
            .any(|l| (l.entry.action, l.entry.records) == (Action::ProxiesSuspended, Some(1))),
        "{recent:?}"
    );
    let (_, home) = page(&app, &child, "/").await;
    assert!(!main_of(&home).contains(&parent_name), "paused");
    assert!(!header_of(&home).contains("acting-banner"));
    let (status, _, _) = post(&app, &child, &[("action", "act"), ("grant", &grant)]).await;
    assert_eq!(status, 404, "cannot switch to a paused grant");

    // The parent sees why, and confirms with a fresh card check.
    let (_, proxies) = page(&app, &parent, "/proxies").await;
    assert!(proxies.contains("action\" value=\"confirm"), "{proxies}");
    let fields = [("action", "confirm"), ("grant", grant.as_str())];
    let (status, _, html) = post(&app, &parent, &fields).await;
    assert_eq!(status, 200);
    assert!(html.contains("カードでの確認"), "asks for the card");
    assert_eq!(
        new_card
            .step_up(&app, &parent, "manage_proxies")
            .await
            .status(),
        200
    );
    let (status, to, _) = post(&app, &parent, &fields).await;
    assert_eq!(
        (status, to.as_str()),
        (303, "/proxies?done=confirmed#mine-heading")
    );
    assert_eq!(newest(&app, parent_id).await.action, Action::ProxyConfirmed);
    let (status, _, _) = post(&app, &parent, &fields).await;
    assert_eq!(status, 404, "confirmed once");
    assert_eq!(
        post(&app, &child, &[("action", "act"), ("grant", &grant)])
            .await
            .0,
        303
    );
    assert!(main_of(&page(&app, &child, "/").await.1).contains(&parent_name));

    // Stopping a card (lost) pauses them too.
    let card_id = portal::storage::cards::of_patient(&app.db.db, parent_id)
        .await
        .unwrap()
        .iter()
        .find(|c| c.revoked_at.is_none())
        .unwrap()
        .id;
    assert!(
        portal::storage::cards::revoke(&app.db.db, parent_id, card_id, "lost", app.now())
            .await
            .unwrap()
    );
    assert!(!main_of(&page(&app, &child, "/").await.1).contains(&parent_name));
}

async fn the_operators_lock_every_proxy_at_once(app: App) {
    let (parent, mut parent_card, parent_id, parent_name) = signed_in(&app, "DEMO-0002").await;
    let (child, _, child_id, _) = signed_in(&app, "DEMO-0001").await;
    let (other, _, other_id, _) = signed_in(&app, "DEMO-0005").await;
    let first = acting(
        &app,
        (&parent, &mut parent_card),
        (&child, child_id),
        "manage_consent",
    )
    .await;
    acting(
        &app,
        (&parent, &mut parent_card),
        (&other, other_id),
        "view_records",
    )
    .await;
    // An invitation not yet accepted.
    let invited = portal::storage::patients::by_link_key(&app.db.db, "DEMO-0004")
        .await
        .unwrap()
        .unwrap();
    let member = common::current_member(&app.db.db, invited).await;
    common::proxy::invite(&app, &parent, &member, "view_records", "").await;
    for proxy in [&child, &other] {
        assert!(main_of(&page(&app, proxy, "/").await.1).contains(&parent_name));
    }

    let mut entry = Entry::new(
        app.now(),
        ActorKind::Operator,
        Action::ProxiesLocked,
        Outcome::Done,
    );
    entry.reason = Some("support #123".into());
    let locked = portal::storage::proxies::lock_all(&app.db.db, parent_id, app.now(), &entry)
        .await
        .unwrap();
    assert_eq!(locked, 2);
    for proxy in [&child, &other] {
        let (_, home) = page(&app, proxy, "/").await;
        assert!(!main_of(&home).contains(&parent_name), "locked out at once");
    }
    assert_eq!(
        post(&app, &child, &[("action", "act"), ("grant", &first)])
            .await
            .0,
        404
    );
    let open = common::strings(
        &app.db.db,
        "SELECT CAST(COUNT(*) AS TEXT) FROM proxy_invitations WHERE cancelled_at IS NULL
         AND accepted_at IS NULL",
    )
    .await;
    assert_eq!(open, ["0"], "the open invitation is cancelled too");
    let e = newest(&app, parent_id).await;
    assert_eq!(
        (e.action, e.actor_kind, e.records, e.reason.as_deref()),
        (
            Action::ProxiesLocked,
            ActorKind::Operator,
            Some(2),
            Some("support #123")
        )
    );
    let (_, proxies) = page(&app, &parent, "/proxies").await;
    assert!(!proxies.contains("value=\"revoke\""), "nothing left open");
}

async fn a_guardian_acts_for_a_child_without_a_card_until_the_day_set(app: App) {
    use portal::domain::proxy::guardian_terms;
    // Persona 3 is nine and has no card; the guardian signs in with their own.
    let child = portal::storage::patients::by_link_key(&app.db.db, "DEMO-0003")
        .await
        .unwrap()
        .unwrap();
    let (_, birth) = portal::storage::checkups::person(&app.db.db, child)
        .await
        .unwrap();
    let (guardian, mut guardian_card, guardian_id, _) = signed_in(&app, "DEMO-0001").await;
    let child_name = portal::storage::patients::identity(&app.db.db, child)
        .await
        .unwrap()
        .1;
    let today = common::today();
    let tomorrow = today + chrono::Days::new(1);
    let until = guardian_terms(birth, today, Some(tomorrow), false).unwrap();
    let mut entry = Entry::new(
        app.now(),
        ActorKind::Operator,
        Action::GuardianSet,
        Outcome::Done,
    );
    entry.reason = Some("manage_consent".into());
    let grant = portal::storage::proxies::set_guardian(
        &app.db.db,
        child,
        guardian_id,
        until,
        app.now(),
        &entry,
    )
    .await
    .unwrap();
    let e = newest(&app, child).await;
    assert_eq!(
        (e.action, e.actor_kind, e.actor_code),
        (
            Action::GuardianSet,
            ActorKind::Operator,
            Some(format!("proxy:{grant}"))
        )
    );
    // The guardian finds the child on their proxies page, marked as guardian, and acts.
    let (_, mine) = page(&app, &guardian, "/proxies").await;
    assert!(mine.contains(&child_name));
    assert!(mine.contains("保護者"), "{mine}");
    let grant = grant.to_string();
    assert_eq!(
        post(&app, &guardian, &[("action", "act"), ("grant", &grant)])
            .await
            .0,
        303
    );
    let (_, home) = page(&app, &guardian, "/").await;
    assert!(main_of(&home).contains(&child_name));
    // Managing consents is in a guardian's scope.
    assert_eq!(
        guardian_card
            .step_up(&app, &guardian, "change_consent")
            .await
            .status(),
        200
    );
    let institution =
        common::strings(&app.db.db, "SELECT code FROM institutions ORDER BY code").await[0].clone();
    let (status, _, _) = common::card::post_form(
        &app,
        &guardian,
        "/consents",
        &[
            ("action", "grant"),
            ("institution", &institution),
            ("k_medications", "on"),
            ("period", "visit"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let e = newest(&app, child).await;
    assert_eq!(
        (e.action, e.actor_kind),
        (Action::ConsentGranted, ActorKind::Proxy)
    );
    assert_eq!(
        portal::auth::signatures::verify_consents(&app.db.db)
            .await
            .unwrap()
            .1,
        vec![]
    );
    // Renewing moves the day; setting up a second time is a renewal, not a second grant.
    let again = portal::storage::proxies::set_guardian(
        &app.db.db,
        child,
        guardian_id,
        tomorrow,
        app.now(),
        &entry,
    )
    .await
    .unwrap();
    assert_eq!(again.to_string(), grant);
    // After the last day the guardian is out (they sign in again: the session's own limit).
    app.clock.advance(chrono::TimeDelta::days(2));
    assert_eq!(guardian_card.sign_in(&app, &guardian).await.status(), 200);
    let (_, home) = page(&app, &guardian, "/").await;
    assert!(!main_of(&home).contains(&child_name));
}

async fn a_proxy_whose_own_card_is_stopped_is_out_at_once(app: App) {
    let (parent, mut parent_card, _, parent_name) = signed_in(&app, "DEMO-0002").await;
    let (child, mut child_card, child_id, _) = signed_in(&app, "DEMO-0001").await;
    acting(
        &app,
        (&parent, &mut parent_card),
        (&child, child_id),
        "view_records",
    )
    .await;
    assert!(main_of(&page(&app, &child, "/medications").await.1).contains("<table"));
    // The proxy, in another browser with the same card, reports it lost and stops it.
    let other = common::card::browser();
    assert_eq!(child_card.sign_in(&app, &other).await.status(), 200);
    assert_eq!(
        child_card
            .step_up(&app, &other, "revoke_card")
            .await
            .status(),
        200
    );
    let card_id = portal::storage::cards::of_patient(&app.db.db, child_id)
        .await
        .unwrap()[0]
        .id
        .to_string();
    let (status, _, _) = common::card::post_form(
        &app,
        &other,
        "/api/account/revoke_card",
        &[("card", card_id.as_str())],
    )
    .await;
    assert!(status < 400, "{status}");
    assert!(
        portal::storage::cards::of_patient(&app.db.db, child_id)
            .await
            .unwrap()[0]
            .revoked_at
            .is_some()
    );
    for path in ["/", "/medications", "/checkups"] {
        let (_, html) = page(&app, &child, path).await;
        assert!(!html.contains(&parent_name), "{path}");
        assert!(header_of(&html).contains("href=\"/sign-in\""), "{path}");
    }
}

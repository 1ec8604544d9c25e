//! Family proxies through HTTP, as two browsers without JavaScript use them: the patient invites
//! (with a card check), the named person accepts with the code in their own session, acts for
//! the patient and sees their pages (each view in the patient's log, as that proxy), is refused
//! what the scope does not allow, and loses access at once when the patient revokes or the
//! grant's last day passes (injected clock).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::app::App;
use common::proxy::{invite, main_of, newest, page, post, signed_in};
use portal::domain::access_log::{Action, ActorKind};

http_suite!(
    a_family_member_is_invited_acts_within_scope_and_loses_access_at_once,
    a_grant_ends_after_its_last_day,
);

async fn a_family_member_is_invited_acts_within_scope_and_loses_access_at_once(app: App) {
    let (parent, mut parent_card, parent_id, parent_name) = signed_in(&app, "DEMO-0002").await;
    let (child, _child_card, child_id, child_name) = signed_in(&app, "DEMO-0001").await;
    let (stranger, _s, _, _) = signed_in(&app, "DEMO-0005").await;
    let child_member = common::current_member(&app.db.db, child_id).await;
    let parent_member = common::current_member(&app.db.db, parent_id).await;

    // Inviting needs a card check made for it: without one the form comes back asking for it.
    let fields = [
        ("action", "invite"),
        ("member", child_member.as_str()),
        ("scope", "view_records"),
        ("until", ""),
    ];
    let (status, _, html) = post(&app, &parent, &fields).await;
    assert_eq!(status, 200);
    assert!(html.contains("カードでの確認"), "asks for the card");
    assert_eq!(common::count(&app.db.db, "proxy_invitations").await, 0);
    assert_eq!(
        parent_card
            .step_up(&app, &parent, "manage_proxies")
            .await
            .status(),
        200
    );
    // Mistakes are named and nothing is stored: one's own number, a bad number, a far day.
    let (_, _, html) = post(
        &app,
        &parent,
        &[
            ("action", "invite"),
            ("member", &parent_member),
            ("scope", "view_records"),
        ],
    )
    .await;
    assert!(html.contains("自分自身は代理人にできません"), "{html}");
    let (_, _, html) = post(
        &app,
        &parent,
        &[
            ("action", "invite"),
            ("member", "12"),
            ("scope", "all"),
            ("until", "2099-01-01"),
        ],
    )
    .await;
    assert!(html.contains("role=\"alert\""));
    assert!(html.contains("期限は3年以内にしてください"), "{html}");
    assert_eq!(common::count(&app.db.db, "proxy_invitations").await, 0);

    let code = invite(&app, &parent, &child_member, "view_records", "").await;
    let e = newest(&app, parent_id).await;
    assert_eq!(
        (e.action, e.actor_kind),
        (Action::ProxyInvited, ActorKind::Patient)
    );
    assert_eq!(
        common::strings(&app.db.db, "SELECT code_hash FROM proxy_invitations")
            .await
            .iter()
            .filter(|h| h.contains(&code.replace('-', "")))
            .count(),
        0,
        "only the keyed hash is stored"
    );

    // Only the person the invitation names may accept it; a wrong code is named.
    let (_, _, html) = post(&app, &stranger, &[("action", "accept"), ("code", &code)]).await;
    assert!(html.contains("このコードの招待は見つかりません"), "{html}");
    let (_, _, html) = post(
        &app,
        &child,
        &[("action", "accept"), ("code", "0000-0000-0000-0000")],
    )
    .await;
    assert!(html.contains("このコードの招待は見つかりません"));
    let (status, to, _) = post(
        &app,
        &child,
        &[("action", "accept"), ("code", &code.to_lowercase())],
    )
    .await;
    assert_eq!(
        (status, to.as_str()),
        (303, "/proxies?done=accepted#theirs-heading")
    );
    let grant: i64 = common::strings(&app.db.db, "SELECT CAST(id AS TEXT) FROM proxies").await[0]
        .parse()
        .unwrap();
    let e = newest(&app, parent_id).await;
    assert_eq!(
        (e.action, e.actor_kind),
        (Action::ProxyGranted, ActorKind::Proxy)
    );
    assert_eq!(e.actor_name.as_deref(), Some(child_name.as_str()));
    // The code works once.
    let (_, _, html) = post(&app, &child, &[("action", "accept"), ("code", &code)]).await;
    assert!(html.contains("このコードの招待は見つかりません"));

    // Someone else's grant id, or a made-up one, does not switch anything.
    for other in [(grant + 1).to_string(), "x".to_owned()] {
        let (status, _, _) = post(&app, &stranger, &[("action", "act"), ("grant", &other)]).await;
        assert_eq!(status, 404);
    }
    let (status, _, _) = post(
        &app,
        &stranger,
        &[("action", "act"), ("grant", &grant.to_string())],
    )
    .await;
    assert_eq!(status, 404, "a grant that is not theirs");
    let (_, home) = page(&app, &stranger, "/").await;
    assert!(!home.contains(&parent_name));

    // The proxy switches and sees the parent's pages, each view in the parent's log.
    let (_, mine) = page(&app, &child, "/proxies").await;
    assert!(mine.contains(&parent_name));
    let (status, to, _) = post(
        &app,
        &child,
        &[("action", "act"), ("grant", &grant.to_string())],
    )
    .await;
    assert_eq!((status, to.as_str()), (303, "/"));
    let (_, home) = page(&app, &child, "/").await;
    assert!(
        main_of(&home).contains(&parent_name),
        "the parent's records"
    );
    assert!(!main_of(&home).contains(&child_name));
    let (status, meds) = page(&app, &child, "/medications").await;
    assert_eq!(status, 200);
    assert!(
        meds.contains(&parent_name) || meds.contains("<table"),
        "{meds}"
    );
    let e = newest(&app, parent_id).await;
    assert_eq!(
        (e.action, e.actor_kind, e.reason.as_deref()),
        (Action::PageViewed, ActorKind::Proxy, Some("medications"))
    );
    assert_eq!(e.actor_name.as_deref(), Some(child_name.as_str()));
    assert_eq!(e.actor_code, Some(format!("proxy:{grant}")));
    let viewed =
        portal::storage::access_log::page(&app.db.db, child_id, &Default::default(), 0, 50)
            .await
            .unwrap()
            .0;
    assert!(
        viewed.iter().all(|l| l.entry.action != Action::PageViewed),
        "the proxy's own log has none of it"
    );

    // View only: no access log, no consent changes, no cards, no proxies, no exports.
    let (_, log) = page(&app, &child, "/access-log").await;
    assert!(!log.contains("entries-caption"));
    let res = child
        .get(app.url("/access-log/export?format=json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let res = child
        .post(app.url("/consents"))
        .header("origin", app.origin())
        .form(&[("action", "revoke"), ("institution", "1311234567")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let (_, account) = page(&app, &child, "/account").await;
    assert!(account.contains("いまは代理として操作しています"));
    let (status, _, _) = post(
        &app,
        &child,
        &[
            ("action", "invite"),
            ("member", &parent_member),
            ("scope", "view_records"),
        ],
    )
    .await;
    assert_eq!(status, 404);

    // The parent revokes (card check, fresh), and the next request of the proxy is their own.
    // The check made for inviting is still fresh (the clock has not moved).
    let (status, to, _) = post(
        &app,
        &parent,
        &[("action", "revoke"), ("grant", &grant.to_string())],
    )
    .await;
    assert_eq!(
        (status, to.as_str()),
        (303, "/proxies?done=revoked#mine-heading")
    );
    assert_eq!(newest(&app, parent_id).await.action, Action::ProxyRevoked);
    let (status, _, _) = post(
        &app,
        &parent,
        &[("action", "revoke"), ("grant", &grant.to_string())],
    )
    .await;
    assert_eq!(status, 404, "ended once");
    let (_, home) = page(&app, &child, "/").await;
    assert!(!home.contains(&parent_name));
    assert!(home.contains(&child_name));
    let (status, _, _) = post(
        &app,
        &child,
        &[("action", "act"), ("grant", &grant.to_string())],
    )
    .await;
    assert_eq!(status, 404, "revoked");
}

async fn a_grant_ends_after_its_last_day(app: App) {
    let (parent, mut parent_card, parent_id, parent_name) = signed_in(&app, "DEMO-0002").await;
    let (child, mut child_card, child_id, _) = signed_in(&app, "DEMO-0001").await;
    assert_eq!(
        parent_card
            .step_up(&app, &parent, "manage_proxies")
            .await
            .status(),
        200
    );
    let tomorrow = (common::today() + chrono::Days::new(1)).to_string();
    let member = common::current_member(&app.db.db, child_id).await;
    let code = invite(&app, &parent, &member, "manage_consent", &tomorrow).await;
    let (status, _, _) = post(&app, &child, &[("action", "accept"), ("code", &code)]).await;
    assert_eq!(status, 303);
    let grant =
        common::strings(&app.db.db, "SELECT CAST(id AS TEXT) FROM proxies").await[0].clone();
    assert_eq!(
        post(&app, &child, &[("action", "act"), ("grant", &grant)])
            .await
            .0,
        303
    );
    // Manage scope: the access log is theirs to read.
    let (_, log) = page(&app, &child, "/access-log").await;
    assert!(log.contains("entries-caption"));
    assert_eq!(
        newest(&app, parent_id).await.reason.as_deref(),
        Some("access_log")
    );

    // Past the grant's last day (and the session's limits: the proxy signs in again).
    app.clock.advance(chrono::TimeDelta::days(2));
    assert_eq!(child_card.sign_in(&app, &child).await.status(), 200);
    let (_, home) = page(&app, &child, "/").await;
    assert!(!home.contains(&parent_name), "expired");
    assert_eq!(
        post(&app, &child, &[("action", "act"), ("grant", &grant)])
            .await
            .0,
        404
    );
}

//! The warning before a session ends for inactivity (WCAG 2.2.1): two minutes before the
//! server's idle limit, a notice with "stay signed in" appears and takes focus; when the limit
//! passes, the page moves to sign-in and says why. The time left comes from the server, asked in
//! the background (asking does not extend it), so activity in another tab counts too.

use crate::i18n::*;
use leptos::prelude::*;

/// When the warning appears, in seconds before the end.
pub const WARN_SECONDS: i64 = 120;

#[island]
pub fn IdleWarning() -> impl IntoView {
    let i18n = use_i18n();
    // (seconds left, whether the absolute limit is the one ending it); None: not signed in.
    let (left, set_left) = signal(None::<(i64, bool)>);
    let button = NodeRef::<leptos::html::Button>::new();
    let (staying, set_staying) = signal(false);
    #[cfg(feature = "hydrate")]
    watch::start(set_left, button);
    #[cfg(not(feature = "hydrate"))]
    let _ = set_left;
    let stay = move |_| {
        set_staying.set(true);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            if let Ok(t) = crate::sign_in::stay_signed_in().await {
                watch::set_deadline(t.seconds, t.absolute);
                set_left.set(Some((t.seconds, t.absolute)));
            }
            set_staying.set(false);
        });
    };
    let showing = move || left.get().is_some_and(|(s, _)| s <= WARN_SECONDS);
    view! {
        <Show when=showing>
            <div class="idle-warning" role="alertdialog" aria-labelledby="idle-title" aria-describedby="idle-text">
                <p class="idle-warning__title" id="idle-title">{t!(i18n, idle_title)}</p>
                <p id="idle-text">{move || {
                    let (seconds, absolute) = left.get().unwrap_or_default();
                    let time = format!("{}:{:02}", seconds / 60, seconds % 60);
                    if absolute {
                        t_string!(i18n, idle_absolute, time = time).to_string()
                    } else {
                        t_string!(i18n, idle_text, time = time).to_string()
                    }
                }}</p>
                <Show when=move || !left.get().is_some_and(|(_, absolute)| absolute)>
                    <button type="button" class="button button--primary" node_ref=button
                        on:click=stay disabled=move || staying.get()>
                        {t!(i18n, idle_stay)}
                    </button>
                </Show>
            </div>
        </Show>
    }
}

#[cfg(feature = "hydrate")]
mod watch {
    use super::WARN_SECONDS;
    use leptos::prelude::*;
    use std::cell::Cell;
    use std::time::Duration;

    /// How often the server is asked again, in seconds.
    const POLL_EVERY: u32 = 30;

    thread_local! {
        /// When the session ends, in browser milliseconds, and whether that is the absolute limit.
        static DEADLINE: Cell<Option<(f64, bool)>> = const { Cell::new(None) };
        static TICKS: Cell<u32> = const { Cell::new(0) };
    }

    pub fn set_deadline(seconds: i64, absolute: bool) {
        let at = js_sys::Date::now() + (seconds as f64) * 1000.0;
        DEADLINE.with(|d| d.set(Some((at, absolute))));
    }

    /// Asks the server once; keeps ticking only while someone is signed in.
    pub fn start(
        set_left: WriteSignal<Option<(i64, bool)>>,
        button: NodeRef<leptos::html::Button>,
    ) {
        Effect::new(move |_| {
            leptos::task::spawn_local(async move {
                if let Ok(Some(t)) = crate::sign_in::session_left().await {
                    set_deadline(t.seconds, t.absolute);
                    let _ = set_interval_with_handle(
                        move || tick(set_left, button),
                        Duration::from_secs(1),
                    );
                }
            });
        });
    }

    fn tick(set_left: WriteSignal<Option<(i64, bool)>>, button: NodeRef<leptos::html::Button>) {
        let Some((at, absolute)) = DEADLINE.with(Cell::get) else {
            return;
        };
        let seconds = ((at - js_sys::Date::now()) / 1000.0).ceil().max(0.0) as i64;
        let was_warning = set_left
            .try_update(|l| {
                let before = l.is_some_and(|(s, _)| s <= WARN_SECONDS);
                *l = Some((seconds, absolute));
                before
            })
            .unwrap_or(false);
        if seconds <= WARN_SECONDS && !was_warning {
            // Move focus to the one action, so keyboard and screen-reader users meet it at once.
            request_animation_frame(move || {
                if let Some(b) = button.get_untracked() {
                    let _ = b.focus();
                }
            });
        }
        let ticks = TICKS.with(|t| {
            t.set(t.get() + 1);
            t.get()
        });
        if seconds == 0 || ticks.is_multiple_of(POLL_EVERY) {
            leptos::task::spawn_local(async move {
                match crate::sign_in::session_left().await {
                    Ok(Some(t)) => set_deadline(t.seconds, t.absolute),
                    Ok(None) => {
                        DEADLINE.with(|d| d.set(None));
                        let _ = window().location().set_href("/sign-in?ended=1");
                    }
                    // A network hiccup: keep counting down and ask again later.
                    Err(_) => {}
                }
            });
        }
    }
}

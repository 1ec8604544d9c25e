//! A chart with its caption and data table. The table and the one-line summary are rendered on
//! the server and are the whole content without JavaScript; once hydrated, the browser draws the
//! chart above the table with ECharts, which is loaded only on pages that have a chart.

use crate::charts::ChartSpec;
use leptos::prelude::*;

#[island]
pub fn Chart(
    spec: ChartSpec,
    #[prop(into)] title: String,
    /// One plain sentence saying what the chart shows; also the chart's accessible name.
    #[prop(into)]
    summary: String,
    /// The same data as a table: the keyboard and screen-reader path, and the no-JS view.
    children: Children,
) -> impl IntoView {
    let id = spec.id.clone();
    #[cfg(feature = "hydrate")]
    {
        let locale = match crate::i18n::use_i18n().get_locale_untracked() {
            crate::i18n::Locale::ja => "JA",
            crate::i18n::Locale::en => "EN",
        };
        let spec = spec.clone();
        Effect::new(move |_| browser::draw(spec.clone(), locale));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = &spec;
    view! {
        <figure class="chart">
            <figcaption>
                <h3 class="chart__title">{title}</h3>
                <span class="chart__summary">{summary.clone()}</span>
            </figcaption>
            <div class="chart__canvas" id=id role="img" aria-label=summary hidden></div>
            {children()}
        </figure>
    }
}

/// The thin binding to the global `echarts` the vendored script defines. Calls go through
/// `Reflect` so a missing or failed script leaves the table in place instead of trapping.
#[cfg(feature = "hydrate")]
mod browser {
    use crate::charts::{ChartSpec, ECHARTS_URL};
    use js_sys::{Array, Function, JSON, Object, Reflect};
    use std::cell::Cell;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};

    const SCRIPT_ID: &str = "echarts-lib";

    thread_local! {
        static RESIZE_LISTENING: Cell<bool> = const { Cell::new(false) };
    }

    fn echarts() -> Option<JsValue> {
        let window = web_sys::window()?;
        Reflect::get(&window, &"echarts".into())
            .ok()
            .filter(|e| !e.is_undefined())
    }

    fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
        let f: Function = Reflect::get(target, &method.into())?.dyn_into()?;
        f.apply(target, &args.iter().collect::<Array>())
    }

    pub fn draw(spec: ChartSpec, locale: &'static str) {
        match echarts() {
            Some(echarts) => {
                if let Err(e) = init(&echarts, &spec, locale) {
                    web_sys::console::warn_2(&"chart not drawn".into(), &e);
                }
            }
            None => after_script_loads(move || {
                if let Some(echarts) = echarts()
                    && let Err(e) = init(&echarts, &spec, locale)
                {
                    web_sys::console::warn_2(&"chart not drawn".into(), &e);
                }
            }),
        }
    }

    /// Adds the ECharts script once per page; every chart waiting for it listens for its load.
    fn after_script_loads(then: impl FnOnce() + 'static) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let script = match document.get_element_by_id(SCRIPT_ID) {
            Some(s) => s,
            None => {
                let Ok(s) = document.create_element("script") else {
                    return;
                };
                s.set_id(SCRIPT_ID);
                let _ = s.set_attribute("src", ECHARTS_URL);
                if let Some(head) = document.head() {
                    let _ = head.append_child(&s);
                }
                s
            }
        };
        let listener = Closure::once_into_js(then);
        let _ = script.add_event_listener_with_callback("load", listener.unchecked_ref());
    }

    fn init(echarts: &JsValue, spec: &ChartSpec, locale: &str) -> Result<(), JsValue> {
        let window = web_sys::window().ok_or("no window")?;
        let document = window.document().ok_or("no document")?;
        let Some(el) = document.get_element_by_id(&spec.id) else {
            return Ok(());
        };
        let el: web_sys::HtmlElement = el.dyn_into()?;
        el.remove_attribute("hidden")?;
        el.style()
            .set_property("height", &format!("{}px", spec.height_px))?;
        let existing = call(echarts, "getInstanceByDom", &[el.clone().into()])?;
        if !existing.is_undefined() {
            call(&existing, "dispose", &[])?;
        }
        let opts = Object::new();
        Reflect::set(&opts, &"renderer".into(), &"canvas".into())?;
        Reflect::set(&opts, &"locale".into(), &locale.into())?;
        let chart = call(echarts, "init", &[el.into(), JsValue::NULL, opts.into()])?;
        let option = JSON::parse(&spec.option_json)?;
        let reduced = window
            .match_media("(prefers-reduced-motion: reduce)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches());
        if reduced {
            // Options with media queries keep their settings under `baseOption`.
            let base = Reflect::get(&option, &"baseOption".into())?;
            let target = if base.is_object() {
                base
            } else {
                option.clone()
            };
            Reflect::set(&target, &"animation".into(), &false.into())?;
        }
        call(&chart, "setOption", &[option])?;
        listen_for_resize(&window);
        Ok(())
    }

    /// Charts size from their container; one listener resizes every chart on the page.
    fn listen_for_resize(window: &web_sys::Window) {
        if RESIZE_LISTENING.with(|l| l.replace(true)) {
            return;
        }
        let on_resize = Closure::<dyn Fn()>::new(|| {
            let (Some(echarts), Some(document)) =
                (echarts(), web_sys::window().and_then(|w| w.document()))
            else {
                return;
            };
            let Ok(nodes) = document.query_selector_all(".chart__canvas") else {
                return;
            };
            for i in 0..nodes.length() {
                if let Some(node) = nodes.get(i)
                    && let Ok(chart) = call(&echarts, "getInstanceByDom", &[node.into()])
                    && !chart.is_undefined()
                {
                    let _ = call(&chart, "resize", &[]);
                }
            }
        });
        let _ =
            window.add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref());
        // One listener for the page's lifetime, so it is deliberately never dropped.
        on_resize.forget();
    }
}

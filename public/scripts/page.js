// The page script: what a signed-in page does in the browser when it has no card step. It is
// plain JavaScript of a few kilobytes, so the records pages, the access log and the home page
// load no WebAssembly (only pages that talk to the card do; see src/ui/scripts.rs). Every page
// is whole without it: the warning below is the only thing that needs it, charts are drawn
// above tables that hold the same data, and the number toggle is a form that also works
// without scripts.
//
// What the server renders for it, and this script reads:
// - `#idle-warning`: the notice before the session ends for inactivity (WCAG 2.2.1), hidden,
//   with its texts and the warning time in data attributes;
// - `.chart__canvas[data-option]`: a chart's drawing area with its ECharts option as JSON and
//   the URL of the portal's own ECharts build, loaded only when a page has a chart;
// - `form[data-reveal]`: the insured-number toggle, which flips in place instead of reloading.
//
// Loaded with `defer` and the page's CSP nonce; everything it adds (the ECharts script) is
// allowed through 'strict-dynamic'. Never uses inline style attributes in markup.
(() => {
  "use strict";

  // How often the server is asked for the time left, in one-second ticks.
  const POLL_EVERY = 30;

  /** Calls one of the portal's server functions without arguments; rejects on any non-2xx. */
  function callServer(endpoint) {
    return fetch(`/api/auth/${endpoint}`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: "{}",
    }).then((res) => (res.ok ? res.json() : Promise.reject(new Error(`${endpoint}: ${res.status}`))));
  }

  /** The notice before the session ends, counted down here and checked with the server. */
  function idleWarning(box) {
    const warnAt = Number(box.dataset.warnSeconds);
    const text = box.querySelector(".idle-warning__text");
    const stay = box.querySelector("button");
    // When the session ends (browser milliseconds) and whether that is the absolute limit,
    // which "stay signed in" cannot move.
    let deadline = null;
    let ticks = 0;
    let warning = false;
    let timer = null;

    const keep = (left) => {
      deadline = { at: Date.now() + left.seconds * 1000, absolute: left.absolute };
    };
    const secondsLeft = () => Math.max(0, Math.ceil((deadline.at - Date.now()) / 1000));

    function show(seconds) {
      const now = seconds <= warnAt;
      if (now) {
        const time = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
        const template = deadline.absolute ? box.dataset.textAbsolute : box.dataset.text;
        text.textContent = template.replace("{time}", time);
        stay.hidden = deadline.absolute;
      }
      box.hidden = !now;
      if (now && !warning && !deadline.absolute) {
        // Keyboard and screen-reader users meet the one action at once.
        requestAnimationFrame(() => stay.focus());
      }
      warning = now;
    }

    function ask() {
      callServer("session_left").then(
        (left) => {
          if (left) {
            keep(left);
          } else {
            // The session has ended: say so on the sign-in page.
            deadline = null;
            clearInterval(timer);
            window.location.href = "/sign-in?ended=1";
          }
        },
        // A network hiccup: keep counting down and ask again later.
        () => {},
      );
    }

    function tick() {
      if (!deadline) return;
      const seconds = secondsLeft();
      show(seconds);
      ticks += 1;
      if (seconds === 0 || ticks % POLL_EVERY === 0) ask();
    }

    stay.addEventListener("click", () => {
      stay.disabled = true;
      callServer("stay_signed_in")
        .then(keep, () => {})
        .finally(() => {
          stay.disabled = false;
          if (deadline) show(secondsLeft());
        });
    });

    // Asking does not extend the session, so activity in another tab counts too.
    callServer("session_left").then(
      (left) => {
        if (left) {
          keep(left);
          timer = setInterval(tick, 1000);
        }
      },
      () => {},
    );
  }

  /** Draws every chart of the page once the portal's ECharts build has loaded. */
  function charts(areas) {
    const drawAll = () => {
      for (const area of areas) draw(area);
      // Charts size from their container; one listener resizes every chart on the page.
      window.addEventListener("resize", () => {
        for (const area of areas) window.echarts.getInstanceByDom(area)?.resize();
      });
    };
    if (window.echarts) {
      drawAll();
      return;
    }
    const library = document.createElement("script");
    library.src = areas[0].dataset.library;
    library.addEventListener("load", drawAll);
    document.head.append(library);
  }

  function draw(area) {
    try {
      const option = JSON.parse(area.dataset.option);
      if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
        // Options with media queries keep their settings under `baseOption`.
        (option.baseOption ?? option).animation = false;
      }
      area.hidden = false;
      area.style.height = `${area.dataset.height}px`;
      const locale = document.documentElement.lang === "en" ? "EN" : "JA";
      window.echarts.init(area, null, { renderer: "canvas", locale }).setOption(option);
    } catch (error) {
      // The table below holds the same data; a chart that cannot be drawn stays hidden.
      area.hidden = true;
      console.warn("chart not drawn", error);
    }
  }

  /** The insured-number toggle: flips in place; without this script it reloads the page. */
  function reveal(form) {
    const target = document.getElementById(form.dataset.reveal);
    const button = form.querySelector("button");
    const field = form.querySelector('input[name="show"]');
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const shown = button.getAttribute("aria-pressed") !== "true";
      target.textContent = shown ? form.dataset.full : form.dataset.masked;
      button.textContent = shown ? form.dataset.hideLabel : form.dataset.showLabel;
      button.setAttribute("aria-pressed", String(shown));
      field.value = shown ? "" : "number";
    });
  }

  const box = document.getElementById("idle-warning");
  if (box) idleWarning(box);
  const areas = [...document.querySelectorAll(".chart__canvas[data-option]")];
  if (areas.length > 0) charts(areas);
  for (const form of document.querySelectorAll("form[data-reveal]")) reveal(form);

  // The end-to-end tests wait for this mark before using what needs scripts. On a page that
  // also loads the WebAssembly, its last island sets the mark once the islands have run.
  if (!document.querySelector('link[rel="modulepreload"]')) {
    document.body.dataset.hydrated = "true";
  }
})();

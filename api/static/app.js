// VoiceLoop front-end behaviour. Loaded with `defer` after htmx.min.js (and
// chart.umd.min.js on pages with charts). Must work under a strict CSP
// (script-src 'self'; style-src 'self'): no eval, no inline handlers, no
// <style> injection. Element .style changes via the CSSOM (as Chart.js does)
// are not affected by that CSP.
(() => {
  "use strict";

  const TOAST_MS = 6000;

  // ---- Toasts --------------------------------------------------------------

  function armToast(toast) {
    if (toast.dataset.toastArmed) return;
    toast.dataset.toastArmed = "1";
    const expire = () => {
      // Give readers more time while they hover or keyboard-focus the toast
      // (WCAG 2.2.1, timing adjustable): re-check later instead of removing.
      if (toast.matches(":hover, :focus-within")) setTimeout(expire, TOAST_MS);
      else toast.remove();
    };
    setTimeout(expire, TOAST_MS);
  }

  function armToastsIn(node) {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    if (node.matches("#toasts .toast")) armToast(node);
    node.querySelectorAll("#toasts .toast").forEach(armToast);
  }

  // A MutationObserver catches toasts however they arrive (normal swap, OOB
  // swap, or #toasts itself being replaced), without relying on htmx events.
  new MutationObserver((records) => {
    for (const r of records) r.addedNodes.forEach(armToastsIn);
  }).observe(document.body, { childList: true, subtree: true });
  armToastsIn(document.body);

  document.addEventListener("click", (e) => {
    const close = e.target.closest("#toasts .toast .toast-close");
    if (close) close.closest(".toast").remove();
  });

  // ---- Charts --------------------------------------------------------------

  const specs = new WeakMap(); // canvas -> data-chart string it was built from

  const SPARKLINE = {
    scales: { x: { display: false }, y: { display: false } },
    plugins: { legend: { display: false }, tooltip: { enabled: false } },
    elements: { point: { radius: 0 } },
  };

  const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

  // Deep merge so page-supplied options refine (not wipe) the defaults.
  function merge(target, ...sources) {
    for (const src of sources) {
      for (const [k, v] of Object.entries(src || {})) {
        if (k === "__proto__" || k === "constructor" || k === "prototype") continue;
        target[k] = isObj(v) ? merge(isObj(target[k]) ? target[k] : {}, v) : v;
      }
    }
    return target;
  }

  function initChart(canvas) {
    const raw = canvas.dataset.chart;
    const existing = window.Chart.getChart(canvas);
    if (existing && specs.get(canvas) === raw) return; // already built from this spec
    let spec;
    try {
      spec = JSON.parse(raw);
    } catch (err) {
      console.warn("VoiceLoop: invalid data-chart JSON", canvas, err);
      return;
    }
    if (existing) existing.destroy();
    const sparkline = canvas.hasAttribute("data-chart-sparkline");
    new window.Chart(canvas, {
      type: spec.type || "line",
      data: { labels: spec.labels || [], datasets: spec.datasets || [] },
      options: merge({ responsive: true, animation: false }, sparkline && SPARKLINE, spec.options),
    });
    specs.set(canvas, raw);
  }

  function initCharts(root) {
    if (!window.Chart) return; // Chart.js is only included on pages that chart
    // Charts whose canvas was swapped out would otherwise stay in Chart.js's
    // registry (and keep their ResizeObserver) forever.
    Object.values(window.Chart.instances).forEach((c) => {
      if (!c.canvas || !c.canvas.isConnected) c.destroy();
    });
    if (root.matches && root.matches("canvas[data-chart]")) initChart(root);
    root.querySelectorAll("canvas[data-chart]").forEach(initChart);
  }

  // htmx:load fires for every piece of content htmx adds (incl. OOB swaps and
  // history restores) and once for <body> at start-up; initChart is idempotent.
  initCharts(document);
  document.addEventListener("htmx:load", (e) => initCharts(e.detail.elt || document));

  // ---- Confirm -------------------------------------------------------------

  // Plain (non-htmx) submits. htmx calls preventDefault() on submits it
  // handles, before this bubbling listener runs, so those are skipped here and
  // confirmed once via htmx:confirm below.
  document.addEventListener("submit", (e) => {
    if (e.defaultPrevented) return;
    const msg = (e.submitter && e.submitter.dataset.confirm) || e.target.dataset.confirm;
    if (msg && !window.confirm(msg)) e.preventDefault();
  });

  document.addEventListener("htmx:confirm", (e) => {
    const d = e.detail;
    const submitter = d.triggeringEvent && d.triggeringEvent.submitter;
    const msg = (submitter && submitter.dataset.confirm) || d.elt.dataset.confirm;
    if (!msg) return; // fires for every htmx request; most need no prompt
    e.preventDefault();
    // true = skip htmx's own hx-confirm prompt, so the user is asked once.
    if (window.confirm(msg)) d.issueRequest(true);
  });

  // ---- Double-submit guard -------------------------------------------------

  const submitButtons = (form) =>
    Array.from(form.elements).filter((el) => el.type === "submit" || el.type === "image");

  // beforeSend (not beforeRequest): form values are already collected, so
  // disabling the submitter cannot drop its name/value, and the request can no
  // longer be cancelled, so htmx:afterRequest is guaranteed to follow.
  document.addEventListener("htmx:beforeSend", (e) => {
    const form = e.detail.elt;
    if (!(form instanceof HTMLFormElement)) return;
    for (const btn of submitButtons(form)) {
      if (btn.disabled) continue; // leave buttons the page disabled itself
      btn.dataset.busyDisabled = "1";
      btn.disabled = true;
      btn.setAttribute("aria-busy", "true");
    }
  });

  document.addEventListener("htmx:afterRequest", (e) => {
    const form = e.detail.elt;
    if (!(form instanceof HTMLFormElement)) return;
    for (const btn of submitButtons(form)) {
      if (!btn.dataset.busyDisabled) continue;
      delete btn.dataset.busyDisabled;
      btn.disabled = false;
      btn.removeAttribute("aria-busy");
    }
  });

  // ---- Inline errors: after a form comes back with errors, put focus on the first one, so
  // keyboard and screen-reader users land where the fix is needed.
  document.addEventListener("htmx:afterSettle", (e) => {
    const target = e.detail.target;
    if (!(target instanceof Element)) return;
    const invalid = target.querySelector('[aria-invalid="true"]');
    if (invalid instanceof HTMLElement) invalid.focus();
  });

  // ---- Upload progress: a form's <progress> follows the bytes sent.
  document.addEventListener("htmx:xhr:progress", (e) => {
    const form = e.detail.elt;
    const bar = form instanceof HTMLFormElement ? form.querySelector("progress") : null;
    if (!bar || !e.detail.lengthComputable) return;
    bar.hidden = false;
    bar.value = Math.round((100 * e.detail.loaded) / e.detail.total);
  });
})();

// Loading, empty and error states, the same on every page.
import { h } from "./dom.js";

export const loading = (what = "Loading…") =>
  h("p", { class: "state loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), what);

export const empty = (...what) => h("div", { class: "state empty", role: "status" }, ...what);

export function errorBox(err, retry) {
  const msg = err && err.message ? err.message : String(err);
  const box = h(
    "div",
    { class: `state error${err && err.kind === "rate" ? " rate" : ""}`, role: "alert", "data-error-kind": (err && err.kind) || "unknown" },
    h("p", { class: "error-title" }, msg),
    err && err.detail && err.detail !== msg ? h("p", { class: "error-detail" }, err.detail) : null,
  );
  if (retry) {
    const btn = h("button", { type: "button", class: "btn", onclick: () => retry() }, "Try again");
    if (err && err.kind === "rate" && err.retryAfter) {
      btn.disabled = true;
      let left = err.retryAfter;
      btn.textContent = `Try again (${left} s)`;
      const t = setInterval(() => {
        left -= 1;
        if (!btn.isConnected) return clearInterval(t);
        if (left <= 0) {
          clearInterval(t);
          btn.disabled = false;
          btn.textContent = "Try again";
        } else btn.textContent = `Try again (${left} s)`;
      }, 1000);
    }
    box.append(btn);
  }
  return box;
}

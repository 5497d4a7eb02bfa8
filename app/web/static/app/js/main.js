// Router: the URL's hash holds the page and its state, so a link reopens the same view.
//   #/?q=...&source_id=...      search        #/articles/ID?hl=ITEM   reader
//   #/speakers/ID               speaker       #/places/ID             place
//   #/dashboard?metric=...      dashboard
import { API_BASE } from "./api.js";
import { clear } from "./dom.js";
import { parseHash } from "./route.js";
import { errorBox, loading } from "./states.js";
import { searchView } from "./search.js";
import { readerView } from "./reader.js";
import { speakerView } from "./speaker.js";
import { placeView } from "./place.js";
import { dashboardView } from "./dashboard.js";

const main = document.getElementById("main");
let current = null; // AbortController of the page on screen

function routeFor(parts) {
  const [head, id] = parts;
  if (!head || head === "search") return ["search", searchView];
  if (head === "articles" && id) return ["reader", readerView];
  if (head === "speakers" && id) return ["speaker", speakerView];
  if (head === "places" && id) return ["place", placeView];
  if (head === "dashboard") return ["dashboard", dashboardView];
  return ["notfound", null];
}

async function render() {
  if (current) current.abort();
  const ctrl = new AbortController();
  current = ctrl;
  const { parts, params } = parseHash();
  const [name, view] = routeFor(parts);
  document.documentElement.dataset.view = name;
  for (const a of document.querySelectorAll("[data-nav]")) {
    if (a.dataset.nav === name) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  main.dataset.state = "loading";
  main.setAttribute("aria-busy", "true");
  clear(main).append(loading());
  const done = (state) => {
    if (ctrl.signal.aborted) return;
    main.dataset.state = state;
    main.setAttribute("aria-busy", "false");
  };
  if (!view) {
    main.append(errorBox({ message: "There is no such page.", kind: "notfound" }));
    document.title = "Not found · Conflict News";
    return done("error");
  }
  try {
    const state = await view(main, { id: parts[1], params, signal: ctrl.signal, navigate });
    done(state || "ready");
  } catch (err) {
    if (err && err.name === "AbortError") return;
    if (ctrl.signal.aborted) return;
    clear(main);
    main.append(errorBox(err, render));
    done("error");
  }
}

export function navigate(hash, { replace = false } = {}) {
  if (hash === location.hash) return render();
  if (replace) {
    history.replaceState(null, "", hash);
    render();
  } else location.hash = hash;
}

window.addEventListener("hashchange", () => {
  render();
  main.focus({ preventScroll: true });
  window.scrollTo(0, 0);
});

// The skip link must not change the route.
document.querySelector("[data-skip]")?.addEventListener("click", (e) => {
  e.preventDefault();
  main.focus();
});

// "/" focuses the search box, as on most search sites.
document.addEventListener("keydown", (e) => {
  if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
  const t = e.target;
  if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
  const box = document.querySelector("#q");
  if (box) {
    e.preventDefault();
    box.focus();
  }
});

if (API_BASE) {
  for (const a of document.querySelectorAll("[data-api-link]")) a.href = `${API_BASE}/docs`;
  // Keep ?api= on every in-app link: it lives in the page URL's query, outside the hash.
}

render();

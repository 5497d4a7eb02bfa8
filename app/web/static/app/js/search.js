// Search and browse: query, facets as filters, snippets, more results on scroll.
import { get } from "./api.js";
import { h, clear, snippetNodes, fmtDate, countryName, humanise, monthLabel } from "./dom.js";
import { loading, empty, errorBox } from "./states.js";
import { hashFor, articleHash, placeHash } from "./route.js";

// URL key -> [API parameter, facet name, heading]
const FILTERS = [
  ["source_id", "source", "Source"],
  ["country", "country", "Country"],
  ["speaker_id", "speaker", "Speaker"],
  ["month", "month", "Month"],
];
const STATE_KEYS = ["q", "sort", ...FILTERS.map((f) => f[0])];

export function stateFrom(params) {
  const st = {};
  for (const k of STATE_KEYS) if (params.get(k)) st[k] = params.get(k);
  return st;
}

// What /v1/articles is asked for a search state.
export function apiParams(st) {
  const p = { limit: 20, facets: "source,country,speaker,metric,month" };
  if (st.q) p.q = st.q;
  if (st.sort) p.sort = st.sort;
  else if (!st.q) p.sort = "date";
  if (st.source_id) p.source_id = st.source_id;
  if (st.country) p.country = st.country;
  if (st.speaker_id) p.speaker_id = st.speaker_id;
  const m = /^(\d{4})-(\d{2})$/.exec(st.month || "");
  if (m) {
    const y = +m[1];
    const mo = +m[2];
    p.published_from = `${m[1]}-${m[2]}-01T00:00:00Z`;
    const ny = mo === 12 ? y + 1 : y;
    const nm = mo === 12 ? 1 : mo + 1;
    p.published_to = `${ny}-${String(nm).padStart(2, "0")}-01T00:00:00Z`;
  }
  return p;
}

const facetLabel = (name, b) => (name === "country" ? countryName(b.value) : name === "month" ? monthLabel(b.value) : name === "metric" ? humanise(b.label) : b.label);

export function articleCard(a, { snippet = true } = {}) {
  const places = (a.locations || []).slice(0, 4);
  return h(
    "li",
    { class: "result", dataset: { articleId: a.id } },
    h("h3", null, h("a", { href: articleHash(a.id), dataset: { articleLink: a.id } }, a.title)),
    h(
      "p",
      { class: "meta" },
      a.source ? h("span", null, a.source.name) : null,
      a.published_at ? h("time", { datetime: a.published_at }, fmtDate(a.published_at)) : null,
      a.quote_count !== undefined ? h("span", null, `${a.quote_count} quotes · ${a.statistic_count} figures`) : null,
      places.length
        ? h("span", { class: "places" }, places.map((l, i) => [i ? ", " : "", h("a", { href: placeHash(l.id) }, l.name)]))
        : null,
    ),
    snippet && a.snippet ? h("p", { class: "snippet" }, snippetNodes(a.snippet)) : null,
  );
}

export async function searchView(main, { params, signal, navigate }) {
  const st = stateFrom(params);
  document.title = st.q ? `${st.q} · Conflict News` : "Conflict News";
  clear(main);
  const go = (next) => navigate(hashFor("/", next));

  const q = h("input", { id: "q", name: "q", type: "search", value: st.q || "", placeholder: 'e.g. "grain corridor" -rumour', "aria-label": "Search articles", autocomplete: "off" });
  const sort = h(
    "select",
    { id: "sort", name: "sort", "aria-label": "Order" },
    h("option", { value: "" }, st.q ? "Most relevant" : "Newest first"),
    st.q ? h("option", { value: "date" }, "Newest first") : null,
  );
  sort.value = st.sort === "date" && st.q ? "date" : "";
  const form = h(
    "form",
    {
      class: "search",
      role: "search",
      onsubmit: (e) => {
        e.preventDefault();
        const next = { ...st, q: q.value.trim() || null, sort: sort.value || null };
        if (!next.q && next.sort === "relevance") next.sort = null;
        go(next);
      },
    },
    q,
    sort,
    h("button", { class: "btn primary", type: "submit" }, "Search"),
  );
  const help = h(
    "details",
    { class: "syntax" },
    h("summary", null, "Search syntax"),
    h(
      "table",
      null,
      h("tbody", null,
        [
          ["ceasefire talks", "both words (talks finds talk)"],
          ['"grain corridor"', "the phrase"],
          ["humanit*", "words starting with humanit"],
          ["Kharkiv OR Kharkov", "either"],
          ["ceasefire -rumour", "the first, not the second"],
        ].map(([a, b]) => h("tr", null, h("td", null, h("code", null, a)), h("td", null, b))),
      ),
    ),
  );
  const chips = h("div", { class: "chips", "aria-label": "Active filters" });
  // On a phone the filters fold away above the results (below them, the endless list
  // would keep pushing them out of reach).
  const facets = h("div", { class: "facet-list" });
  const facetBox = h("details", { class: "facets", open: matchMedia("(min-width: 801px)").matches },
    h("summary", null, "Filters"), facets);
  const list = h("ol", { class: "results", id: "results" });
  const status = h("p", { class: "count", role: "status" });
  const more = h("div", { class: "more" });
  const results = h("section", { class: "results-col", "aria-label": "Results" }, status, list, more);
  main.append(h("h1", { class: "visually-hidden" }, "Search articles"), form, help, chips, h("div", { class: "search-grid" }, h("aside", { "aria-label": "Filters" }, facetBox), results));
  list.before(loading("Searching…"));

  const base = apiParams(st);
  const page = await get("/v1/articles", base, { signal });
  results.querySelector(".loading")?.remove();

  // Active filters, labelled from the facets of the filtered result.
  for (const [key, name, heading] of FILTERS) {
    if (!st[key]) continue;
    const bucket = (page.facets?.[name] || []).find((b) => String(b.value) === st[key]);
    const text = bucket ? facetLabel(name, bucket) : name === "country" ? countryName(st[key]) : name === "month" ? monthLabel(st[key]) : st[key];
    chips.append(
      h("button", { type: "button", class: "chip", dataset: { filter: key }, "aria-label": `Remove filter ${heading}: ${text}`, onclick: () => go({ ...st, [key]: null }) },
        `${heading}: ${text} `, h("span", { "aria-hidden": "true" }, "×")),
    );
  }
  if (Object.keys(st).some((k) => FILTERS.some((f) => f[0] === k))) {
    chips.append(h("button", { type: "button", class: "chip clear", onclick: () => go({ q: st.q, sort: st.sort }) }, "Clear filters"));
  }

  for (const [key, name, heading] of FILTERS) {
    const buckets = page.facets?.[name] || [];
    if (!buckets.length) continue;
    facets.append(
      h("section", { class: "facet", dataset: { facet: name } },
        h("h2", null, heading),
        h("ul", null, buckets.map((b) => {
          const active = st[key] === String(b.value);
          return h("li", null,
            h("button", {
              type: "button", class: `facet-btn${active ? " active" : ""}`, "aria-pressed": active ? "true" : "false",
              dataset: { facet: name, value: b.value },
              onclick: () => go({ ...st, [key]: active ? null : String(b.value) }),
            }, h("span", null, facetLabel(name, b)), h("span", { class: "n" }, String(b.count))));
        })),
      ),
    );
  }
  // Articles cannot be filtered by metric (no such parameter on /v1/articles): the metric
  // facet shows the counts and opens the chart of that figure instead.
  const metrics = page.facets?.metric || [];
  if (metrics.length) {
    facets.append(
      h("section", { class: "facet", dataset: { facet: "metric" } },
        h("h2", null, "Figures"),
        h("ul", null, metrics.map((b) => h("li", null,
          h("a", { class: "facet-btn", href: hashFor("/dashboard", { metric: b.value }), dataset: { facet: "metric", value: b.value }, title: "Chart this figure" },
            h("span", null, facetLabel("metric", b)), h("span", { class: "n" }, String(b.count)))))),
      ),
    );
  }
  if (page.facets_sampled) facets.append(h("p", { class: "note" }, "Counts over the newest 1,000 matches."));

  if (!page.data.length) {
    results.replaceChildren(empty(h("p", null, st.q ? `No article matches “${st.q}”` : "No articles yet", Object.keys(st).length > 1 ? " with these filters." : "."),
      Object.keys(st).length ? h("p", null, h("a", { href: "#/" }, "Start again")) : null));
    return "empty";
  }
  let shown = 0;
  const add = (items) => {
    for (const a of items) list.append(articleCard(a));
    shown += items.length;
    status.textContent = `${shown}${cursor ? "+" : ""} article${shown === 1 ? "" : "s"}`;
  };
  let cursor = page.next_cursor;
  add(page.data);

  // More on scroll: a button (keyboard, no-JS-observer fallback) that the observer presses.
  let busy = false;
  const btn = h("button", { type: "button", class: "btn", id: "more" }, "More results");
  const loadMore = async () => {
    if (busy || !cursor) return;
    busy = true;
    btn.disabled = true;
    btn.textContent = "Loading…";
    try {
      const next = await get("/v1/articles", { ...base, cursor, facets: null }, { signal });
      cursor = next.next_cursor;
      add(next.data);
      more.querySelector(".state")?.remove();
    } catch (err) {
      if (err.name === "AbortError") return;
      more.querySelector(".state")?.remove();
      more.prepend(errorBox(err, null));
    } finally {
      busy = false;
      btn.disabled = false;
      btn.textContent = "More results";
      if (!cursor) {
        btn.remove();
        more.append(h("p", { class: "note end" }, "End of results."));
      }
    }
  };
  btn.addEventListener("click", loadMore);
  if (cursor) {
    more.append(btn);
    const io = new IntersectionObserver((entries) => {
      if (!btn.isConnected) return io.disconnect();
      if (entries.some((e) => e.isIntersecting)) loadMore();
    }, { rootMargin: "400px" });
    io.observe(btn);
    signal.addEventListener("abort", () => io.disconnect());
  }
  return "ready";
}

// The article reader: the clean body with every quote and figure highlighted from its
// offsets, a details panel for the selected highlight, quotes by speaker, a table of figures.
import { get, stats } from "./api.js";
import { h, fmtDate, fmtNumber, countryName, humanise } from "./dom.js";
import { spansOf, renderHighlighted } from "./highlight.js";
import { articleHash, speakerHash, placeHash, hashFor } from "./route.js";

const QUALIFIERS = {
  exact: "", approximately: "about", over: "over", at_least: "at least", nearly: "nearly",
  up_to: "up to", vague: "an unspecified number, in the order of",
};

export function figureValue(st) {
  const v = fmtNumber(st.value);
  const range = st.value_max !== null && st.value_max !== undefined ? `${v}–${fmtNumber(st.value_max)}` : v;
  const unit = st.unit === "percent" ? "%" : st.unit ? ` ${humanise(st.unit)}` : "";
  return `${range}${unit}`;
}

function dl(rows) {
  return h("dl", { class: "facts" }, rows.filter((r) => r[1] !== null && r[1] !== undefined && r[1] !== "").map(([k, v]) => [h("dt", null, k), h("dd", null, v)]));
}

export async function readerView(main, { id, params, signal }) {
  const article = await get(`/v1/articles/${encodeURIComponent(id)}`, null, { signal });
  const t0 = performance.now();
  main.replaceChildren();
  document.title = `${article.title} · Conflict News`;
  const byId = new Map();
  for (const q of article.quotes || []) byId.set(q.id, { kind: "quote", item: q });
  for (const st of article.statistics || []) byId.set(st.id, { kind: "statistic", item: st });
  const placeByName = new Map((article.locations || []).map((l) => [l.name.toLowerCase(), l]));
  const placeLink = (name) => {
    if (!name) return null;
    const loc = placeByName.get(String(name).toLowerCase());
    return loc ? h("a", { href: placeHash(loc.id) }, name) : name;
  };

  // Header
  const header = h(
    "header",
    { class: "article-head" },
    h("p", { class: "crumbs" }, h("a", { href: "#/" }, "← Search")),
    h("h1", null, article.title),
    h(
      "p",
      { class: "meta" },
      article.source ? h("span", null, article.source.name) : null,
      article.published_at ? h("time", { datetime: article.published_at }, fmtDate(article.published_at)) : null,
      article.authors && article.authors.length ? h("span", null, `By ${article.authors.join(", ")}`) : null,
      article.word_count ? h("span", null, `${fmtNumber(article.word_count)} words`) : null,
      article.read_time_minutes ? h("span", null, `${article.read_time_minutes} min read`) : null,
      article.url ? h("a", { href: article.url, rel: "noopener noreferrer external", target: "_blank" }, "Original") : null,
    ),
    (article.locations || []).length
      ? h("p", { class: "places" }, "Places: ", article.locations.map((l, i) => [i ? ", " : "", h("a", { href: placeHash(l.id) }, l.name), l.country_code ? ` (${countryName(l.country_code)})` : ""]))
      : null,
    h(
      "p",
      { class: "legend", "aria-label": "Legend" },
      h("span", { class: "hl hl-direct" }, "direct quote"),
      h("span", { class: "hl hl-reported" }, "reported speech"),
      h("span", { class: "hl hl-stat" }, "figure"),
    ),
  );

  // Body with highlights
  const { spans, skipped } = spansOf(article);
  const body = h("div", { class: "article-body", id: "article-body", lang: article.language || null });
  body.append(renderHighlighted(article.body || "", spans));
  stats.timings.readerBody = performance.now() - t0; // the highlighted body alone, before layout

  const details = h("section", { class: "details", id: "details", "aria-live": "polite", "aria-label": "Selected highlight" },
    h("p", { class: "note" }, "Select a highlighted passage (click, or Tab then Enter) to see who said it or what the figure is."));

  let active = null;
  const select = (itemId, { scroll = false, focus = false } = {}) => {
    const entry = byId.get(itemId);
    if (!entry) return;
    for (const el of body.querySelectorAll(".hl.active")) el.classList.remove("active");
    const els = body.querySelectorAll(`[data-id="${CSS.escape(itemId)}"]`);
    for (const el of els) el.classList.add("active");
    active = itemId;
    const close = h("button", { type: "button", class: "close", "aria-label": "Close details", onclick: () => {
      details.classList.remove("open");
      const back = body.querySelector(`[data-id="${CSS.escape(itemId)}"]`);
      if (back) back.focus({ preventScroll: true });
    } }, "×");
    details.replaceChildren(close, detailsFor(entry));
    details.classList.add("open");
    const first = els[0];
    if (first && scroll) first.scrollIntoView({ block: "center", behavior: "instant" });
    if (first && focus) first.focus({ preventScroll: true });
    history.replaceState(null, "", articleHash(article.id, itemId));
  };
  const detailsFor = ({ kind, item }) => {
    if (kind === "quote") {
      const sp = item.speaker;
      return h("div", { class: `detail detail-quote`, dataset: { detailId: item.id } },
        h("h2", null, item.kind === "direct" ? "Direct quote" : "Reported speech"),
        h("blockquote", null, item.text),
        dl([
          ["Speaker", sp ? (sp.id ? h("a", { href: speakerHash(sp.id) }, sp.name) : sp.name) : "unknown"],
          ["Role", sp && sp.role],
          ["Organisation", sp && sp.organisation],
          ["Cue", item.cue],
          ["Context", item.context],
        ]));
    }
    return h("div", { class: "detail detail-stat", dataset: { detailId: item.id } },
      h("h2", null, `Figure: ${humanise(item.metric)}`),
      h("blockquote", null, item.text),
      dl([
        ["Value", figureValue(item)],
        ["Range", item.value_max !== null && item.value_max !== undefined ? `${fmtNumber(item.value)} to ${fmtNumber(item.value_max)}` : null],
        ["Qualifier", item.qualifier && item.qualifier !== "exact" ? QUALIFIERS[item.qualifier] || humanise(item.qualifier) : item.qualifier],
        ["Subject", item.subject],
        ["Place", placeLink(item.location)],
        ["Cited", item.cited_by],
        ["Metric", h("a", { href: hashFor("/dashboard", { metric: item.metric }) }, `chart ${humanise(item.metric)}`)],
      ]));
  };
  const fromEvent = (e) => e.target.closest && e.target.closest(".hl[data-id]");
  body.addEventListener("click", (e) => {
    const el = fromEvent(e);
    if (el) select(el.dataset.id);
  });
  details.addEventListener("keydown", (e) => {
    if (e.key === "Escape") details.querySelector(".close")?.click();
  });
  body.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" && e.key !== " ") return;
    const el = fromEvent(e);
    if (el) {
      e.preventDefault();
      select(el.dataset.id);
    }
  });

  // Quotes by speaker, in order of first appearance
  const groups = new Map();
  for (const q of [...(article.quotes || [])].sort((a, b) => a.start - b.start)) {
    const key = q.speaker ? q.speaker.id || q.speaker.name : "—";
    if (!groups.has(key)) groups.set(key, { speaker: q.speaker, quotes: [] });
    groups.get(key).quotes.push(q);
  }
  const jump = (itemId) => h("button", { type: "button", class: "jump", onclick: () => select(itemId, { scroll: true, focus: true }) });
  const quotesBox = h("section", { class: "side-quotes", "aria-label": "Quotes by speaker" },
    h("h2", null, `Quotes (${(article.quotes || []).length})`),
    groups.size
      ? [...groups.values()].map(({ speaker, quotes }) => h("div", { class: "speaker-group" },
          h("h3", null, speaker && speaker.id ? h("a", { href: speakerHash(speaker.id) }, speaker.name) : speaker ? speaker.name : "Unattributed",
            speaker && speaker.role ? h("span", { class: "role" }, `, ${speaker.role}`) : null),
          h("ul", null, quotes.map((q) => h("li", { class: q.kind === "direct" ? "q-direct" : "q-reported" },
            (() => { const b = jump(q.id); b.textContent = q.kind === "direct" ? `“${q.text}”` : q.text; return b; })()))),
        ))
      : h("p", { class: "note" }, "No quotes in this article."));

  const figs = [...(article.statistics || [])].sort((a, b) => a.start - b.start);
  const figuresBox = h("section", { class: "side-figures", "aria-label": "Figures" },
    h("h2", null, `Figures (${figs.length})`),
    figs.length
      ? h("div", { class: "table-wrap" }, h("table", { class: "figures" },
          h("thead", null, h("tr", null, ["Metric", "Value", "Qualifier", "Place", "Cited"].map((c) => h("th", { scope: "col" }, c)))),
          h("tbody", null, figs.map((st) => h("tr", { dataset: { statId: st.id } },
            h("td", null, (() => { const b = jump(st.id); b.textContent = humanise(st.metric); return b; })()),
            h("td", { class: "num" }, figureValue(st)),
            h("td", null, st.qualifier === "exact" ? "" : humanise(st.qualifier)),
            h("td", null, placeLink(st.location)),
            h("td", null, st.cited_by || "")))),
        ))
      : h("p", { class: "note" }, "No figures in this article."));

  const problems = skipped.length
    ? h("p", { class: "note warn" }, `${skipped.length} item(s) have offsets outside the body and are listed but not highlighted.`)
    : null;

  main.append(h("article", { class: "reader" }, header, h("div", { class: "reader-grid" },
    h("div", { class: "reader-main" }, problems, body),
    h("div", { class: "reader-side" }, details, quotesBox, figuresBox))));
  void main.offsetHeight; // style and layout are part of the render
  stats.timings.reader = performance.now() - t0;
  stats.timings.readerHighlights = spans.length;

  const hl = params.get("hl");
  if (hl && byId.has(hl)) select(hl, { scroll: true });
  return "ready";
}

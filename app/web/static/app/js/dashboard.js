// Dashboard: a chart of /v1/statistics/series (basis=reports) for a metric, place and interval chosen on the
// page (each point opens the figures and articles behind it), and a map of places.
import { get, stats } from "./api.js";
import { h, s, append, clear, fmtNumber, fmtDate, humanise, countryName } from "./dom.js";
import { loading, empty, errorBox } from "./states.js";
import { hashFor, articleHash, placeHash } from "./route.js";
import { figureValue } from "./reader.js";
import { drawMap } from "./map.js";

const MEASURES = { max: "largest figure", sum: "sum of figures", count: "number of figures" };

function periodEnd(period, interval) {
  const d = new Date(`${period}T00:00:00Z`);
  if (interval === "month") d.setUTCMonth(d.getUTCMonth() + 1);
  else d.setUTCDate(d.getUTCDate() + (interval === "week" ? 7 : 1));
  return d.toISOString().replace(".000Z", "Z");
}

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });

export function drawChart(series, measure, onPick, width = 720) {
  // Drawn at the width it is shown at, so text stays readable on a phone.
  const W = Math.round(Math.max(300, Math.min(900, width))), H = W < 500 ? 240 : 300, L = 48, R = 28, T = 16, B = 40;
  const pts = series.data;
  const times = pts.map((p) => Date.parse(`${p.period}T00:00:00Z`));
  const t0 = Math.min(...times), t1 = Math.max(...times);
  const ymax = niceMax(Math.max(...pts.map((p) => p[measure] || 0)));
  const x = (t) => (t1 === t0 ? L + (W - L - R) / 2 : L + ((t - t0) / (t1 - t0)) * (W - L - R));
  const y = (v) => T + (1 - v / ymax) * (H - T - B);
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "group", "aria-label": `${humanise(series.metric)}, ${MEASURES[measure]} per ${series.interval}` });
  for (let i = 0; i <= 4; i++) {
    const v = (ymax * i) / 4;
    svg.append(s("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: "grid" }), s("text", { x: L - 6, y: y(v) + 4, class: "tick", "text-anchor": "end" }, compact.format(v)));
  }
  let lastLabel = -Infinity;
  pts.forEach((p, i) => {
    const at = x(times[i]);
    if (at - lastLabel < 70) return;
    lastLabel = at;
    svg.append(s("text", { x: x(times[i]), y: H - B + 18, class: "tick", "text-anchor": "middle" }, p.period.slice(0, series.interval === "month" ? 7 : 10)));
  });
  svg.append(s("path", { class: "line", d: pts.map((p, i) => `${i ? "L" : "M"}${x(times[i]).toFixed(1)},${y(p[measure] || 0).toFixed(1)}`).join("") }));
  pts.forEach((p, i) => {
    const label = `${p.period}: ${MEASURES[measure]} ${fmtNumber(p[measure])} (${p.count} figure${p.count === 1 ? "" : "s"})`;
    const g = s("g", { class: "pt", tabindex: "0", role: "button", "aria-label": label, dataset: { period: p.period } },
      s("title", null, label),
      s("circle", { cx: x(times[i]), cy: y(p[measure] || 0), r: 6 }),
      s("circle", { cx: x(times[i]), cy: y(p[measure] || 0), r: 14, class: "hit" }));
    g.addEventListener("click", () => onPick(p, g));
    g.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        onPick(p, g);
      }
    });
    svg.append(g);
  });
  return svg;
}

async function pointPanel(panel, series, p, { signal }) {
  panel.replaceChildren(loading("Loading the figures behind this point…"));
  const articleIds = [...new Set(p.articles)];
  const shown = articleIds.slice(0, 20);
  const params = { metric: series.metric, published_from: `${p.period}T00:00:00Z`, published_to: periodEnd(p.period, series.interval), limit: 100 };
  if (series.unit) params.unit = series.unit;
  if (series.location_id) params.location_id = series.location_id;
  else if (series.location) params.location = series.location;
  const [figs, ...arts] = await Promise.all([
    get("/v1/statistics", params, { signal }),
    ...shown.map((aid) => get(`/v1/articles/${encodeURIComponent(aid)}`, null, { signal }).catch((err) => (err.name === "AbortError" ? Promise.reject(err) : { id: aid, title: aid }))),
  ]);
  const titles = new Map(arts.map((a) => [a.id, a]));
  const wanted = new Set(p.statistics);
  const rows = figs.data;
  append(clear(panel), [
    h("h3", null, `${p.period.slice(0, series.interval === "month" ? 7 : 10)}: ${p.count} figure${p.count === 1 ? "" : "s"}`),
    h("p", { class: "meta" }, `largest ${fmtNumber(p.max)} · smallest ${fmtNumber(p.min)} · sum ${fmtNumber(p.sum)}`),
    h("h4", null, `Articles (${articleIds.length})`),
    h("ul", { class: "point-articles" }, shown.map((aid) => {
      const a = titles.get(aid);
      return h("li", null, h("a", { href: articleHash(aid, p.statistics.find((sid, i) => p.articles[i] === aid)), dataset: { pointArticle: aid } }, a ? a.title : aid),
        a && a.published_at ? h("span", { class: "meta" }, ` ${fmtDate(a.published_at)}`) : null);
    })),
    articleIds.length > shown.length ? h("p", { class: "note" }, `and ${articleIds.length - shown.length} more`) : null,
    h("h4", null, "Figures"),
    rows.length
      ? h("div", { class: "table-wrap" }, h("table", { class: "figures" },
          h("thead", null, h("tr", null, ["Value", "As reported (opens the article)"].map((c) => h("th", { scope: "col" }, c)))),
          h("tbody", null, rows.map((st) => h("tr", { class: wanted.has(st.id) ? "counted" : null },
            h("td", { class: "num" }, figureValue(st)),
            h("td", null, h("a", { href: articleHash(st.article_id, st.id), dataset: { pointStat: st.id } }, st.text),
              st.location ? h("span", { class: "meta" }, ` ${st.location}`) : null))))))
      : empty("No figures listed."),
  ]);
}

export async function dashboardView(main, { params, signal, navigate }) {
  document.title = "Dashboard · Conflict News";
  const st = {
    metric: params.get("metric") || "",
    interval: params.get("interval") || "month",
    location_id: params.get("location_id") || "",
    measure: MEASURES[params.get("measure")] ? params.get("measure") : "max",
  };
  const go = (next) => navigate(hashFor("/dashboard", { ...st, ...next, measure: (next.measure ?? st.measure) === "max" ? null : next.measure ?? st.measure, interval: (next.interval ?? st.interval) === "month" ? null : next.interval ?? st.interval }));

  // At most three requests before the page is usable: metrics (from the facets), places,
  // and the series itself (in parallel with the others when the URL names the metric).
  const metricsP = get("/v1/articles", { limit: 1, facets: "metric" }, { signal });
  const placesP = get("/v1/locations", { limit: 100 }, { signal });
  const seriesFor = (metric) => {
    // Every figure as reported, by publication: what the point panel lists behind a point.
    const p = { metric, interval: st.interval, basis: "reports" };
    if (st.location_id) p.location_id = st.location_id;
    return get("/v1/statistics/series", p, { signal });
  };
  let seriesP = st.metric ? seriesFor(st.metric) : null;
  const [facets, places] = await Promise.all([metricsP, placesP]);
  clear(main);
  const metrics = (facets.facets?.metric || []).map((b) => b.value);
  if (st.metric && !metrics.includes(st.metric)) metrics.unshift(st.metric);
  if (!st.metric) {
    st.metric = metrics.includes("killed") ? "killed" : metrics.find((m) => m !== "other") || metrics[0] || "";
    if (st.metric) seriesP = seriesFor(st.metric);
  }

  const sel = (id, label, options, value, key) => {
    const el = h("select", { id, name: key }, options.map(([v, t]) => h("option", { value: v }, t)));
    el.value = value;
    el.addEventListener("change", () => go({ [key]: el.value }));
    return h("label", { for: id }, h("span", null, label), el);
  };
  const allPlaces = [...places.data].sort((a, b) => a.name.localeCompare(b.name));
  if (st.location_id && !allPlaces.some((l) => l.id === st.location_id)) allPlaces.unshift({ id: st.location_id, name: st.location_id });
  const controls = h("form", { class: "controls", onsubmit: (e) => e.preventDefault() },
    sel("metric", "Figure", metrics.map((m) => [m, humanise(m)]), st.metric, "metric"),
    sel("place", "Place", [["", "All places"], ...allPlaces.map((l) => [l.id, l.name + (l.country_code ? ` (${l.country_code})` : "")])], st.location_id, "location_id"),
    sel("interval", "Per", [["day", "day"], ["week", "week"], ["month", "month"]], st.interval, "interval"),
    sel("measure", "Show", Object.entries(MEASURES), st.measure, "measure"));

  const chartBox = h("div", { class: "chart-box", id: "chart" });
  const panel = h("section", { class: "point-panel", id: "point", "aria-live": "polite", "aria-label": "Selected point" },
    h("p", { class: "note" }, "Select a point to see the figures and articles behind it."));
  const mapBox = h("div", { class: "map-box", id: "map" });
  const placeList = h("div", { class: "table-wrap" });
  main.append(h("h1", null, "Dashboard"), controls,
    h("section", { class: "dash-chart", "aria-label": "Chart" }, h("h2", null, st.metric ? `${humanise(st.metric)} over time` : "Figures over time"), h("div", { class: "chart-grid" }, chartBox, panel)),
    h("section", { class: "dash-map", "aria-label": "Map of places" }, h("h2", null, "Places mentioned"), mapBox, placeList));

  if (!seriesP) chartBox.append(empty("No figures in the database yet."));
  else {
    chartBox.append(loading("Loading the series…"));
    const series = await seriesP;
    clear(chartBox);
    series.location_id = st.location_id || null;
    if (!series.data.length) chartBox.append(empty(`No ${humanise(st.metric)} figures${st.location_id ? " for this place" : ""}.`));
    else {
      let pick = null;
      const onPick = (p, g) => {
        for (const el of chartBox.querySelectorAll(".pt.active")) el.classList.remove("active");
        g.classList.add("active");
        if (pick) pick.abort();
        pick = new AbortController();
        const sig = pick.signal;
        signal.addEventListener("abort", () => pick && pick.abort());
        pointPanel(panel, series, p, { signal: sig }).catch((err) => {
          if (err.name !== "AbortError") panel.replaceChildren(errorBox(err, () => onPick(p, g)));
        });
      };
      chartBox.append(drawChart(series, st.measure, onPick, chartBox.clientWidth || 720),
        h("p", { class: "note" }, `${series.data.length} ${series.interval}s with figures; each point is the ${MEASURES[st.measure]} reported in articles published then, every report counted (a figure repeated by several articles counts each time; the estimates count each once).`));
    }
  }
  stats.timings.dashboardUsable = performance.now();

  // The map and the full place list come after the page is usable.
  const all = [...places.data];
  const renderPlaces = () => {
    clear(placeList).append(all.length
      ? h("table", { class: "places-table" },
          h("thead", null, h("tr", null, ["Place", "Country", "Articles"].map((c) => h("th", { scope: "col" }, c)))),
          h("tbody", null, [...all].sort((a, b) => (b.article_count || 0) - (a.article_count || 0) || a.name.localeCompare(b.name)).map((l) => h("tr", null,
            h("td", null, h("a", { href: placeHash(l.id) }, l.name)),
            h("td", null, l.country_code ? countryName(l.country_code) : ""),
            h("td", { class: "num" }, fmtNumber(l.article_count)))))) : empty("No places yet."));
  };
  renderPlaces();
  drawMap(mapBox, all, { signal }).catch((err) => {
    if (err.name !== "AbortError") mapBox.replaceChildren(errorBox(err, null));
  });
  const rest = async () => {
    let cursor = places.next_cursor;
    for (let i = 0; cursor && i < 20 && !signal.aborted; i++) {
      const next = await get("/v1/locations", { limit: 100, cursor }, { signal });
      all.push(...next.data);
      cursor = next.next_cursor;
      renderPlaces();
      await drawMap(mapBox, all, { signal });
    }
  };
  rest().catch((err) => {
    if (err.name !== "AbortError") placeList.prepend(errorBox(err, null));
  });
  return "ready";
}

// A place: where it is, the articles that mention it and the figures reported there.
import { get } from "./api.js";
import { h, fmtNumber, countryName, humanise } from "./dom.js";
import { empty } from "./states.js";
import { articleCard } from "./search.js";
import { figureValue } from "./reader.js";
import { articleHash, hashFor } from "./route.js";

export async function placeView(main, { id, signal }) {
  const [place, articles, figures] = await Promise.all([
    get(`/v1/locations/${encodeURIComponent(id)}`, null, { signal }),
    get("/v1/articles", { location_id: id, sort: "date", limit: 50 }, { signal }),
    get("/v1/statistics", { location_id: id, limit: 100 }, { signal }),
  ]);
  document.title = `${place.name} · Conflict News`;
  main.replaceChildren();
  const hasCoords = place.latitude !== null && place.latitude !== undefined;
  main.append(h("article", { class: "place" },
    h("p", { class: "crumbs" }, h("a", { href: "#/dashboard" }, "← Dashboard")),
    h("h1", null, place.name),
    h("dl", { class: "facts" },
      h("dt", null, "Kind"), h("dd", null, humanise(place.kind) || "—"),
      h("dt", null, "Country"), h("dd", null, place.country_code ? h("a", { href: `#/?country=${encodeURIComponent(place.country_code)}` }, countryName(place.country_code)) : "—"),
      h("dt", null, "Coordinates"), h("dd", null, hasCoords ? `${place.latitude.toFixed(3)}, ${place.longitude.toFixed(3)}` : "not known"),
      h("dt", null, "Articles"), h("dd", null, fmtNumber(place.article_count ?? articles.data.length))),
    h("h2", null, "Articles"),
    articles.data.length ? h("ol", { class: "results" }, articles.data.map((a) => articleCard(a, { snippet: false }))) : empty("No articles."),
    articles.next_cursor ? h("p", null, h("a", { href: hashFor("/", {}) }, "More in search")) : null,
    h("h2", null, "Figures reported here"),
    figures.data.length
      ? h("div", { class: "table-wrap" }, h("table", { class: "figures" },
          h("thead", null, h("tr", null, ["Metric", "Value", "Text", ""].map((c) => h("th", { scope: "col" }, c)))),
          h("tbody", null, figures.data.map((st) => h("tr", null,
            h("td", null, h("a", { href: hashFor("/dashboard", { metric: st.metric, location_id: id }) }, humanise(st.metric))),
            h("td", { class: "num" }, figureValue(st)),
            h("td", null, st.text),
            h("td", null, h("a", { href: articleHash(st.article_id, st.id) }, "in the article")))))))
      : empty("No figures."),
  ));
  return "ready";
}

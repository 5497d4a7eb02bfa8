// A speaker: name, aliases, roles seen, quotes across articles (newest first), each linking
// into the reader at the quote.
import { get } from "./api.js";
import { h, fmtDate, fmtNumber } from "./dom.js";
import { empty, errorBox } from "./states.js";
import { articleHash } from "./route.js";

export async function speakerView(main, { id, signal }) {
  const enc = encodeURIComponent(id);
  const [speaker, quotes, articles] = await Promise.all([
    get(`/v1/speakers/${enc}`, null, { signal }),
    get("/v1/quotes", { speaker_id: id, sort: "date", limit: 100 }, { signal }),
    // Quotes carry only their article's id: the titles and dates come from this list.
    get("/v1/articles", { speaker_id: id, sort: "date", limit: 100 }, { signal }),
  ]);
  document.title = `${speaker.name} · Conflict News`;
  main.replaceChildren();
  const arts = new Map(articles.data.map((a) => [a.id, a]));
  const list = h("ol", { class: "quote-list", id: "speaker-quotes" });
  const addQuotes = (items) => {
    for (const q of items) {
      const a = arts.get(q.article_id);
      list.append(h("li", { class: q.kind === "direct" ? "q-direct" : "q-reported", dataset: { quoteId: q.id } },
        h("blockquote", null, h("a", { href: articleHash(q.article_id, q.id), dataset: { quoteLink: q.id } }, q.kind === "direct" ? `“${q.text}”` : q.text)),
        h("p", { class: "meta" },
          h("span", null, q.kind === "direct" ? "direct" : "reported"),
          q.speaker && q.speaker.role ? h("span", null, q.speaker.role) : null,
          a ? h("span", null, a.title) : null,
          a && a.published_at ? h("time", { datetime: a.published_at }, fmtDate(a.published_at)) : null,
          a && a.source ? h("span", null, a.source.name) : null)));
    }
  };
  addQuotes(quotes.data);
  let cursor = quotes.next_cursor;
  const more = h("div", { class: "more" });
  if (cursor) {
    const btn = h("button", { type: "button", class: "btn" }, "More quotes");
    btn.addEventListener("click", async () => {
      btn.disabled = true;
      try {
        const next = await get("/v1/quotes", { speaker_id: id, sort: "date", limit: 100, cursor }, { signal });
        cursor = next.next_cursor;
        addQuotes(next.data);
        if (!cursor) btn.remove();
      } catch (err) {
        if (err.name !== "AbortError") more.prepend(errorBox(err, null));
      } finally {
        btn.disabled = false;
      }
    });
    more.append(btn);
  }
  main.append(h("article", { class: "speaker" },
    h("p", { class: "crumbs" }, h("a", { href: "#/" }, "← Search")),
    h("h1", null, speaker.name),
    h("dl", { class: "facts" },
      speaker.organisation ? [h("dt", null, "Organisation"), h("dd", null, speaker.organisation)] : null,
      h("dt", null, "Also named"), h("dd", null, speaker.aliases && speaker.aliases.length ? speaker.aliases.join(", ") : "—"),
      h("dt", null, "Roles seen"), h("dd", null, speaker.roles && speaker.roles.length ? h("ul", { class: "roles" }, speaker.roles.map((r) => h("li", null, r))) : "—"),
      h("dt", null, "Quoted"), h("dd", null, `${fmtNumber(speaker.quote_count)} times in ${fmtNumber(speaker.article_count)} article${speaker.article_count === 1 ? "" : "s"}`)),
    h("p", null, h("a", { href: `#/?speaker_id=${encodeURIComponent(id)}` }, "Articles quoting this speaker")),
    h("h2", null, "Quotes, newest first"),
    quotes.data.length ? list : empty("No quotes."),
    more));
  return quotes.data.length ? "ready" : "empty";
}

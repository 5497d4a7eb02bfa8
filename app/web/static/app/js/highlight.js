// Highlights from offsets, never from searching the text.
//
// The API's `start`/`end` count Unicode code points (Python string indices); JavaScript
// strings count UTF-16 units, so offsets are mapped first when the body has characters
// outside the Basic Multilingual Plane.
//
// Nesting rule: spans are opened in order of start (the longer first when two start
// together, a quote before a figure when both are equal), so a span inside another (a figure
// inside a quote) is a child element and every element's text is exactly body[start:end].
// Two spans that cross (A starts first, B starts inside A and ends after it) cannot both be
// single elements: A stays whole and B is split at A's end into fragments that all carry B's
// `data-id`; every fragment after the first has `data-cont`. The fragments of B, read in
// order, are exactly body[start:end]. Spans out of range or empty are left out (and listed).

export function codePointToUtf16(body) {
  if (!/[\uD800-\uDFFF]/.test(body)) return null;
  const map = [];
  let unit = 0;
  for (const ch of body) {
    map.push(unit);
    unit += ch.length;
  }
  map.push(unit);
  return map;
}

export function spansOf(article) {
  const body = article.body || "";
  const map = codePointToUtf16(body);
  const limit = map ? map.length - 1 : body.length;
  const conv = (i) => (map ? map[i] : i);
  const spans = [];
  const skipped = [];
  const add = (item, kind) => {
    const ok =
      Number.isInteger(item.start) && Number.isInteger(item.end) &&
      item.start >= 0 && item.end <= limit && item.start < item.end;
    if (!ok) {
      skipped.push(item);
      return;
    }
    spans.push({ item, kind, start: conv(item.start), end: conv(item.end) });
  };
  for (const q of article.quotes || []) add(q, "quote");
  for (const st of article.statistics || []) add(st, "statistic");
  spans.sort((a, b) => a.start - b.start || b.end - a.end || (a.kind === "quote" ? -1 : 1) - (b.kind === "quote" ? -1 : 1));
  return { spans, skipped };
}

function spanElement(span, cont) {
  const el = document.createElement("span");
  const it = span.item;
  el.className =
    span.kind === "quote" ? `hl hl-quote hl-${it.kind === "direct" ? "direct" : "reported"}` : "hl hl-stat";
  el.dataset.kind = span.kind;
  el.dataset.id = it.id;
  if (cont) el.dataset.cont = "1";
  else {
    el.tabIndex = 0;
    el.setAttribute("role", "button");
    el.setAttribute("aria-label", label(span));
  }
  return el;
}

function label(span) {
  const it = span.item;
  if (span.kind === "quote") {
    const who = it.speaker ? it.speaker.name : "unknown speaker";
    return `${it.kind === "direct" ? "Quote" : "Reported speech"} by ${who}`;
  }
  return `Figure: ${String(it.metric || "").replace(/_/g, " ")} ${it.value ?? ""}`;
}

// Returns a DocumentFragment holding the body with every span highlighted.
export function renderHighlighted(body, spans) {
  const root = document.createDocumentFragment();
  const stack = []; // {span, el}
  const parent = () => (stack.length ? stack[stack.length - 1].el : root);
  let pos = 0;
  let i = 0;
  const text = (to) => {
    if (to > pos) parent().append(document.createTextNode(body.slice(pos, to)));
    pos = Math.max(pos, to);
  };
  while (i < spans.length || stack.length) {
    const nextStart = i < spans.length ? spans[i].start : Infinity;
    let minEnd = Infinity;
    for (const e of stack) if (e.span.end < minEnd) minEnd = e.span.end;
    if (stack.length && minEnd <= nextStart) {
      text(minEnd);
      const k = stack.findIndex((e) => e.span.end === minEnd);
      const popped = stack.splice(k);
      for (const e of popped) {
        if (e.span.end > minEnd) {
          const el = spanElement(e.span, true);
          parent().append(el);
          stack.push({ span: e.span, el });
        }
      }
    } else {
      text(nextStart);
      const span = spans[i++];
      const el = spanElement(span, false);
      parent().append(el);
      stack.push({ span, el });
    }
  }
  text(body.length);
  return root;
}

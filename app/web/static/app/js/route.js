// Hash URLs: "#/path?key=value". The hash holds all state, so any link reopens the view.
export function parseHash() {
  const raw = location.hash.replace(/^#/, "") || "/";
  const [path, query = ""] = raw.split("?");
  return { parts: path.split("/").filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(query) };
}

export function hashFor(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== null && v !== undefined && v !== "") q.set(k, v);
  const qs = q.toString();
  return `#${path}${qs ? `?${qs}` : ""}`;
}

export const articleHash = (id, hl) => hashFor(`/articles/${encodeURIComponent(id)}`, { hl });
export const speakerHash = (id) => `#/speakers/${encodeURIComponent(id)}`;
export const placeHash = (id) => `#/places/${encodeURIComponent(id)}`;

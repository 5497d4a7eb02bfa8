// The only module that talks to the API. Counts requests (for the budget checks) and turns
// every failure into an ApiError a view can show.

const meta = document.querySelector('meta[name="cn-api"]');
const fromUrl = new URL(location.href).searchParams.get("api");
export const API_BASE = (fromUrl || (meta && meta.content) || "").replace(/\/+$/, "");

export const stats = (window.__cn = window.__cn || { requests: 0, timings: {} });

export class ApiError extends Error {
  constructor(kind, message, { status = 0, retryAfter = null, detail = "" } = {}) {
    super(message);
    this.kind = kind; // "network" | "rate" | "http" | "notfound"
    this.status = status;
    this.retryAfter = retryAfter;
    this.detail = detail;
  }
}

export function apiUrl(path, params) {
  const base = API_BASE || location.origin;
  const url = new URL(base + path);
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== null && v !== undefined && v !== "") url.searchParams.set(k, String(v));
  }
  return url.toString();
}

function retryAfterSeconds(header) {
  if (!header) return null;
  const n = Number(header);
  if (Number.isFinite(n)) return Math.max(0, Math.ceil(n));
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

export async function get(path, params, { signal } = {}) {
  stats.requests += 1;
  let resp;
  try {
    resp = await fetch(apiUrl(path, params), { headers: { Accept: "application/json" }, signal });
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    throw new ApiError("network", `The API at ${API_BASE || location.origin} cannot be reached.`);
  }
  if (resp.ok) return resp.json();
  let problem = {};
  try {
    problem = await resp.json();
  } catch {
    problem = {};
  }
  const detail = problem.detail || problem.title || resp.statusText;
  if (resp.status === 429) {
    const secs = retryAfterSeconds(resp.headers.get("Retry-After"));
    const when = secs === null ? "in a little while" : `in ${secs} second${secs === 1 ? "" : "s"}`;
    throw new ApiError("rate", `Too many requests: try again ${when}.`, {
      status: 429,
      retryAfter: secs,
      detail,
    });
  }
  if (resp.status === 404) throw new ApiError("notfound", "Not found.", { status: 404, detail });
  throw new ApiError("http", `The API answered ${resp.status}.`, { status: resp.status, detail });
}

// A world outline (world-atlas, Natural Earth 1:110m land) in an equirectangular projection,
// with a circle per place that has coordinates, sized by its article count.
import { feature } from "../vendor/topojson-client/index.js";
import { s, fmtNumber } from "./dom.js";
import { placeHash } from "./route.js";

const W = 960, H = 500, TOP = 84, BOTTOM = -58; // latitudes shown
const px = (lon) => ((lon + 180) / 360) * W;
const py = (lat) => ((TOP - lat) / (TOP - BOTTOM)) * H;

let landPath = null;
async function land(signal) {
  if (landPath) return landPath;
  const resp = await fetch(new URL("../vendor/world-atlas/land-110m.json", import.meta.url), { signal });
  if (!resp.ok) throw new Error("The world outline could not be loaded.");
  const topo = await resp.json();
  const geo = feature(topo, topo.objects.land);
  const parts = [];
  // Rings that cross the antimeridian are unwrapped (no jump of more than 180°) and, where
  // they then run past ±180°, drawn a second time shifted by 360°; the frame clips the rest.
  const ring = (r, shift) =>
    r.map(([lon, lat], i) => `${i ? "L" : "M"}${px(lon + shift).toFixed(1)},${py(lat).toFixed(1)}`).join("") + "Z";
  const addRing = (r) => {
    const u = [];
    let prev = null;
    for (const [lon, lat] of r) {
      let l = lon;
      if (prev !== null) while (l - prev > 180) l -= 360;
      if (prev !== null) while (prev - l > 180) l += 360;
      u.push([l, lat]);
      prev = l;
    }
    parts.push(ring(u, 0));
    const lo = Math.min(...u.map((c) => c[0]));
    const hi = Math.max(...u.map((c) => c[0]));
    if (hi > 180) parts.push(ring(u, -360));
    if (lo < -180) parts.push(ring(u, 360));
  };
  for (const f of geo.features || [geo]) {
    const g = f.geometry;
    const polys = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
    for (const poly of polys) for (const r of poly) addRing(r);
  }
  landPath = parts.join("");
  return landPath;
}

export async function drawMap(box, places, { signal }) {
  const d = await land(signal);
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, class: "map", role: "group", "aria-label": "World map of places mentioned; the table below lists them all" },
    s("rect", { x: 0, y: 0, width: W, height: H, class: "sea" }),
    s("path", { d, class: "land" }));
  const located = places.filter((l) => Number.isFinite(l.latitude) && Number.isFinite(l.longitude));
  located.sort((a, b) => (b.article_count || 0) - (a.article_count || 0)); // small circles on top
  for (const l of located) {
    const n = l.article_count || 0;
    const label = `${l.name}: ${fmtNumber(n)} article${n === 1 ? "" : "s"}`;
    svg.append(s("a", { href: placeHash(l.id), class: "place-dot", "aria-label": label, dataset: { placeId: l.id } },
      s("title", null, label),
      s("circle", { cx: px(l.longitude).toFixed(1), cy: py(l.latitude).toFixed(1), r: (3 + Math.sqrt(n) * 3).toFixed(1) })));
  }
  box.replaceChildren(svg);
  box.dataset.places = String(located.length);
}

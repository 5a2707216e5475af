/**
 * A Scene as an inline SVG element: viewBox-sized, so it scales to its container (width 100%);
 * every text is XML-escaped, so labels taken from a sheet cannot inject markup.
 */
import type { Dash, Scene, Shape, Stroke, TextPart } from "./scene.js";

export const escapeXml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** Coordinates to two decimals: enough for any screen, and a third of the bytes. */
const n = (v: number): string => String(Math.round(v * 100) / 100);

const DASHES: Record<Dash, string | undefined> = { solid: undefined, dashed: "7 4", dotted: "1.5 3.5" };

function strokeAttrs(stroke: Stroke | undefined): string {
  if (!stroke) return ` stroke="none"`;
  const dash = DASHES[stroke.dash ?? "solid"];
  return ` stroke="${stroke.color}" stroke-width="${n(stroke.width)}"${dash ? ` stroke-dasharray="${dash}"` : ""}`;
}

const dataAttrs = (data: Readonly<Record<string, string>> | undefined): string =>
  data ? Object.entries(data).map(([k, v]) => ` data-${k.replace(/[^a-z0-9-]/g, "")}="${escapeXml(v)}"`).join("") : "";

function tspans(parts: readonly TextPart[], size: number): string {
  // shifted pieces move the baseline by dy, and the next piece moves it back
  let shift = 0;
  return parts
    .map((p) => {
      const target = p.shift === "sup" ? -0.38 * size : p.shift === "sub" ? 0.25 * size : 0;
      const dy = target - shift;
      shift = target;
      const attrs = `${dy !== 0 ? ` dy="${n(dy)}"` : ""}${p.shift ? ` font-size="${n(size * 0.72)}"` : ""}`;
      return attrs === "" ? escapeXml(p.text) : `<tspan${attrs}>${escapeXml(p.text)}</tspan>`;
    })
    .join("");
}

const ANCHOR = { start: "start", middle: "middle", end: "end" } as const;

function shapeSvg(s: Shape): string {
  switch (s.kind) {
    case "path": {
      const d = s.points.map((p, i) => `${i === 0 ? "M" : "L"}${n(p[0])} ${n(p[1])}`).join("") + (s.closed ? "Z" : "");
      return `<path d="${d}" fill="${s.fill ?? "none"}"${strokeAttrs(s.stroke)}${dataAttrs(s.data)}/>`;
    }
    case "rect":
      return `<rect x="${n(s.x)}" y="${n(s.y)}" width="${n(s.width)}" height="${n(s.height)}" fill="${s.fill ?? "none"}"${strokeAttrs(s.stroke)}${dataAttrs(s.data)}/>`;
    case "circle":
      return `<circle cx="${n(s.cx)}" cy="${n(s.cy)}" r="${n(s.r)}" fill="${s.fill ?? "none"}"${strokeAttrs(s.stroke)}${dataAttrs(s.data)}/>`;
    case "text": {
      const rotate = s.vertical ? ` transform="rotate(-90 ${n(s.x)} ${n(s.y)})"` : "";
      return `<text x="${n(s.x)}" y="${n(s.y)}" font-size="${n(s.size)}" text-anchor="${ANCHOR[s.anchor]}"${s.bold ? ` font-weight="bold"` : ""}${rotate}>${tspans(s.parts, s.size)}</text>`;
    }
  }
}

/** The SVG element of a scene. */
export function sceneToSvg(scene: Scene): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n(scene.width)} ${n(scene.height)}" width="100%" role="img" aria-label="${escapeXml(scene.title)}" font-family="Helvetica, Arial, sans-serif" fill="#1d2430" style="max-width: ${n(scene.width)}px; height: auto;">`,
    `<title>${escapeXml(scene.title)}</title>`,
    `<rect x="0" y="0" width="${n(scene.width)}" height="${n(scene.height)}" fill="#ffffff"/>`,
    ...scene.shapes.map(shapeSvg),
    `</svg>`,
  ].join("\n");
}

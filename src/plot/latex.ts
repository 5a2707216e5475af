/**
 * A Scene as LaTeX for pdflatex without extra packages: a `picture` environment (LaTeX kernel) whose
 * lines, fills and markers are PDF drawing operators passed through `\pdfliteral` (a pdfTeX
 * primitive), with the texts placed by `\put`. TikZ would be the usual choice, but it is not part
 * of every installation (a minimal TeX Live has no pgf); this needs only pdfTeX and graphicx
 * (`\rotatebox` for the y-axis label). Texts are escaped, so a label cannot become a command.
 */
import type { Color, Dash, Scene, Shape, Stroke, TextPart } from "./scene.js";

/** Printed width of a scene in big points (the width of the text block less a margin). */
export const LATEX_WIDTH_BP = 420;

const SPECIAL: Record<string, string> = {
  "\\": "\\textbackslash{}", "{": "\\{", "}": "\\}", "#": "\\#", $: "\\$", "%": "\\%", "&": "\\&", _: "\\_",
  "^": "\\textasciicircum{}", "~": "\\textasciitilde{}",
};

export const escapeLatexText = (s: string): string => s.replace(/[\\{}#$%&_^~]/g, (c) => SPECIAL[c]!);

const n = (v: number): string => String(Math.round(v * 100) / 100);

const rgb = (c: Color): string =>
  [1, 3, 5].map((i) => n(parseInt(c.slice(i, i + 2), 16) / 255)).join(" ");

const DASHES: Record<Dash, string> = { solid: "[] 0 d", dashed: "[7 4] 0 d", dotted: "[0.01 3.5] 0 d" };

function strokeOps(s: Stroke): string {
  return `${rgb(s.color)} RG ${n(s.width)} w ${DASHES[s.dash ?? "solid"]}`;
}

/** Paint operator: fill, stroke, or both. */
const paint = (fill: Color | undefined, stroke: Stroke | undefined): string => (fill && stroke ? "B" : fill ? "f" : "S");

/** PDF operators of one shape, in the scene's coordinates with y flipped (PDF's y points up). */
function shapeOps(s: Shape, height: number): string | undefined {
  const y = (v: number): number => height - v;
  const style = (fill: Color | undefined, stroke: Stroke | undefined): string =>
    [fill ? `${rgb(fill)} rg` : "", stroke ? strokeOps(stroke) : ""].filter((x) => x !== "").join(" ");
  switch (s.kind) {
    case "path": {
      if (s.points.length === 0 || (!s.fill && !s.stroke)) return undefined;
      const path = s.points.map((p, i) => `${n(p[0])} ${n(y(p[1]))} ${i === 0 ? "m" : "l"}`).join(" ") + (s.closed ? " h" : "");
      return `${style(s.fill, s.stroke)} ${path} ${paint(s.fill, s.stroke)}`;
    }
    case "rect":
      if (!s.fill && !s.stroke) return undefined;
      return `${style(s.fill, s.stroke)} ${n(s.x)} ${n(y(s.y + s.height))} ${n(s.width)} ${n(s.height)} re ${paint(s.fill, s.stroke)}`;
    case "circle": {
      if (!s.fill && !s.stroke) return undefined;
      // four Bézier quarter arcs
      const k = 0.5523 * s.r, cx = s.cx, cy = y(s.cy), r = s.r;
      const arc = [
        `${n(cx + r)} ${n(cy)} m`,
        `${n(cx + r)} ${n(cy + k)} ${n(cx + k)} ${n(cy + r)} ${n(cx)} ${n(cy + r)} c`,
        `${n(cx - k)} ${n(cy + r)} ${n(cx - r)} ${n(cy + k)} ${n(cx - r)} ${n(cy)} c`,
        `${n(cx - r)} ${n(cy - k)} ${n(cx - k)} ${n(cy - r)} ${n(cx)} ${n(cy - r)} c`,
        `${n(cx + k)} ${n(cy - r)} ${n(cx + r)} ${n(cy - k)} ${n(cx + r)} ${n(cy)} c h`,
      ].join(" ");
      return `${style(s.fill, s.stroke)} ${arc} ${paint(s.fill, s.stroke)}`;
    }
    case "text":
      return undefined;
  }
}

function textLatex(parts: readonly TextPart[]): string {
  return parts
    .map((p) => {
      const t = escapeLatexText(p.text);
      return p.shift === "sub" ? `\\textsubscript{${t}}` : p.shift === "sup" ? `\\textsuperscript{${t}}` : t;
    })
    .join("");
}

/** LaTeX for the scene: a picture of the scene's width scaled to LATEX_WIDTH_BP. */
export function sceneToLatex(scene: Scene): string {
  const unit = LATEX_WIDTH_BP / scene.width;
  const ops = scene.shapes.map((s) => shapeOps(s, scene.height)).filter((o): o is string => o !== undefined);
  const texts = scene.shapes.flatMap((s) => {
    if (s.kind !== "text") return [];
    // font size in points: viewBox units times the unit, rounded (fonts come in whole sizes)
    const size = Math.max(5, Math.round(s.size * unit));
    const font = `\\fontsize{${size}}{${Math.round(size * 1.2)}}\\selectfont${s.bold ? "\\bfseries" : ""}`;
    const body = `{${font} ${textLatex(s.parts)}}`;
    // makebox(0,0)[l]/[r]/[] anchors the text's start, end or middle at the point; [b] its baseline
    const align = s.anchor === "start" ? "lb" : s.anchor === "end" ? "rb" : "b";
    const put = s.vertical
      ? `\\put(${n(s.x)},${n(scene.height - s.y)}){\\rotatebox{90}{\\makebox(0,0)[b]{${body}}}}`
      : `\\put(${n(s.x)},${n(scene.height - s.y)}){\\makebox(0,0)[${align}]{${body}}}`;
    return [put];
  });
  // the literal's origin is the point where it is put; `cm` scales scene units to big points
  const literal = `\\put(0,0){\\pdfliteral{q ${unit.toFixed(5)} 0 0 ${unit.toFixed(5)} 0 0 cm 1 J 1 j\n${ops.join("\n")}\nQ}}`;
  return [
    // a comment naming the figure, reduced to characters that mean nothing to TeX
    `% ${scene.title.replace(/[^\p{L}\p{N} .,:;()=+\-*/|'<>]/gu, " ")}`,
    `\\begin{center}`,
    `\\setlength{\\unitlength}{${unit.toFixed(5)}bp}%`,
    `\\begin{picture}(${n(scene.width)},${n(scene.height)})`,
    literal,
    ...texts,
    `\\end{picture}`,
    `\\end{center}`,
  ].join("\n");
}

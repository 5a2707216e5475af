/**
 * A plot as drawing primitives in one coordinate system (the SVG viewBox: x to the right, y down,
 * in abstract units). The SVG and LaTeX writers both draw from this, so every format shows the
 * same geometry.
 */

import type { Scale } from "./scale.js";

export type Point = readonly [number, number];

/** A colour as #rrggbb. */
export type Color = `#${string}`;

export type Dash = "solid" | "dashed" | "dotted";

export interface Stroke {
  readonly color: Color;
  readonly width: number;
  readonly dash?: Dash;
}

/** A piece of text; `sub` and `sup` pieces are set smaller, below or above the baseline. */
export interface TextPart {
  readonly text: string;
  readonly shift?: "sub" | "sup";
}

export type Anchor = "start" | "middle" | "end";

/** Machine-readable facts attached to a shape (SVG data-* attributes): what it shows. */
export type ShapeData = Readonly<Record<string, string>>;

export type Shape =
  | { readonly kind: "path"; readonly points: readonly Point[]; readonly closed?: boolean; readonly stroke?: Stroke; readonly fill?: Color; readonly data?: ShapeData }
  | { readonly kind: "rect"; readonly x: number; readonly y: number; readonly width: number; readonly height: number; readonly fill?: Color; readonly stroke?: Stroke; readonly data?: ShapeData }
  | { readonly kind: "circle"; readonly cx: number; readonly cy: number; readonly r: number; readonly fill?: Color; readonly stroke?: Stroke; readonly data?: ShapeData }
  | {
      readonly kind: "text";
      readonly x: number;
      /** The baseline. */
      readonly y: number;
      readonly parts: readonly TextPart[];
      readonly anchor: Anchor;
      readonly size: number;
      /** Rotated a quarter turn counter-clockwise about (x, y), reading upwards (a y-axis label). */
      readonly vertical?: boolean;
      readonly bold?: boolean;
    };

export interface Scene {
  readonly width: number;
  readonly height: number;
  /** How data coordinates map to the drawing (absent for charts without two numeric axes). */
  readonly frame?: { readonly x: Scale; readonly y: Scale };
  /** What the plot shows, in words (the SVG title, for screen readers). */
  readonly title: string;
  readonly shapes: readonly Shape[];
}

/** Plain text of text parts (subscripts written after an underscore). */
export const plainText = (parts: readonly TextPart[]): string =>
  parts.map((p) => (p.shift === "sub" ? `_${p.text}` : p.shift === "sup" ? `^${p.text}` : p.text)).join("");

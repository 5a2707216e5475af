/** Plots as data → drawing primitives (Scene) → SVG or LaTeX. */
export type { Scene, Shape, Point, TextPart, Color } from "./scene.js";
export { sceneToSvg, escapeXml } from "./svg.js";
export { sceneToLatex } from "./latex.js";
export { levelLines, clipPolyline, clipSegment, type Grid, type LevelLines } from "./contour.js";
export { contourPlot, iterationPlot, boundaryPlot, magnitudePlot, nameLabel, classOf, defaultLevels } from "./plots.js";
export type { ContourPlotSpec, IterationPlotSpec, BoundaryPlotSpec, Path, Series, LabelledPoint, MagnitudeBar } from "./plots.js";

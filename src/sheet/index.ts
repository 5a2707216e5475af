export { buildSheets, buildSheet, sheetFiles } from "./build.js";
export type { BuildOptions, BuildResult } from "./build.js";
export type { Block, Chunk, ChunkOptions, SheetError, SheetFormat, SheetMode } from "./types.js";
export { SHEET_FORMATS } from "./types.js";

export { buildSheets, buildSheet, sheetFiles } from "./build.js";
export type { BuildOptions, BuildResult } from "./build.js";
export type { Block, Chunk, ChunkOptions, SheetError, SheetMode } from "./types.js";

export type { Definition, Program } from "./types.js";
export * from "./resolve.js";

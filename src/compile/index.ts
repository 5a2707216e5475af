export { compile, compileGradient } from "./compile.js";
export type { DataColumns, ValueFunction, GradientFunction, ValueAndGradient } from "./compile.js";
export { codegen } from "./codegen.js";
export type { CodegenOptions, GeneratedSource } from "./codegen.js";
export { LANGUAGES, type LanguageName } from "./languages.js";
export type { CompileOptions, Reduce } from "./prepare.js";

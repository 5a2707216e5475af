/**
 * The derive library: parse formulas and programs, differentiate and simplify them, print them as
 * text or LaTeX, evaluate them. The CLI (`bin/derive.js`) is a thin layer over this API.
 */
export * from "./ast/index.js";
export { DeriveError, type SourcePosition } from "./errors.js";
export { parseProgram, parseExpression, canonicalName } from "./parse/index.js";
export type { Program, Definition } from "./program/index.js";
export { inline, expandedDefinitions, dependencyOrder } from "./program/index.js";
export { FUNCTIONS, lookupFunction, getFunction, lookupConstant } from "./functions/index.js";
export type { FunctionDef, ConstantDef, Domain } from "./functions/index.js";
export { differentiate, derivative, differentiateProgram, gradient, hessian } from "./diff/index.js";
export type { DiffStep, DiffOptions, ProgramDiffOptions } from "./diff/index.js";
export { programDerivative } from "./diff/sequence.js";
export { simplify, operatorCount } from "./simplify/index.js";
export { toText, toLatex, latexName, programToText, programToLatex } from "./render/index.js";
export { evaluate, type Bindings } from "./numeric/index.js";
export { compile, compileGradient, codegen, LANGUAGES } from "./compile/index.js";
export type { CompileOptions, Reduce, DataColumns, ValueFunction, GradientFunction, ValueAndGradient, CodegenOptions, GeneratedSource, LanguageName } from "./compile/index.js";
export { gradientDescent, parseSchedule, programObjective, finiteDifferenceCheck, train, gridPredictions, createRandom, loadData, parseGrid, exactValue, scalarText } from "./numeric/api.js";
export type { Scalar, StepSchedule, Objective, DescentOptions, DescentResult, DescentRow, FdCheckOptions, FdCheckResult, FdComponent, TrainOptions, TrainResult, Restart, GridAxis, GridPredictions, Random, DataSet } from "./numeric/api.js";
export { checkText, checkDocument, checkInput } from "./verify/index.js";
export type { CheckReport, StepReport, Verdict } from "./verify/index.js";

/** Checking hand derivations: claims, chains and whole documents; the first wrong step and why. */
export { checkText, checkDocument, checkInput, givenContext, splitSides } from "./check.js";
export type { CheckReport, StepReport, Verdict } from "./types.js";
export { checkReportHtml } from "./report.js";

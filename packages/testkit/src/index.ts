export type {
  DataDrivenArg,
  DataDrivenCase,
  DataDrivenFile,
  DataDrivenHandler,
} from "./datadriven.js";
export {
  dd,
  parseDataDriven,
  parseDirective,
  rewriteDataDriven,
  runDataDriven,
} from "./datadriven.js";
export { freePort } from "./ports.js";
export type { TempDir } from "./temp-dir.js";
export { makeTempDir } from "./temp-dir.js";

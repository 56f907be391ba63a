export { freePort } from "./ports.js";
export type { TempDir } from "./temp-dir.js";
export { makeTempDir } from "./temp-dir.js";

import { kubekitVitestConfig } from "../../vitest.shared.js";

// One cluster for the whole suite, its steps in order.
export default kubekitVitestConfig({
  testTimeout: 300_000,
  hookTimeout: 300_000,
  fileParallelism: false,
});

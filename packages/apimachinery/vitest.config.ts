import { kubekitVitestConfig } from "../../vitest.shared.js";

export default kubekitVitestConfig();

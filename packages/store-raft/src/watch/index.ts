export type { WatchSink, WatchSpec, WatchStart } from "./watch-hub.js";
export { WatchHub } from "./watch-hub.js";

export type { RunningEtcd, StartEtcdOptions } from "./etcd.js";
export { EtcdStartError, startEtcd } from "./etcd.js";
export { freePort } from "./ports.js";
export type { TempDir } from "./temp-dir.js";
export { makeTempDir } from "./temp-dir.js";

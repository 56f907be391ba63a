// The runtime pieces live in @kubekit/runtime-host (kubekit up runs them
// too); tests keep importing them from here.
export type {
  BridgeNetwork,
  BridgeNetworkOptions,
  BusyboxImage,
  BusyboxImageOptions,
  Containerd,
  ContainerdConfigValues,
  ContainerdOptions,
  ImportImageOptions,
} from "@kubekit/runtime-host";
export {
  buildBusyboxImage,
  detectSnapshotter,
  importImage,
  normalizeRepository,
  PAUSE_COMMAND,
  renderConfig,
  startContainerd,
  writeBridgeNetwork,
} from "@kubekit/runtime-host";
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
export type { RunningEtcd, StartEtcdOptions } from "./etcd.js";
export { EtcdStartError, startEtcd } from "./etcd.js";
export { eventually } from "./eventually.js";
export type { KvInput, KvOp, KvOutput } from "./kv-model.js";
export { describeKvOp, kvModel } from "./kv-model.js";
export type {
  CheckOptions,
  HistoryOp,
  LinearizabilityResult,
  SequentialModel,
  Verdict,
} from "./linearizability.js";
export { checkLinearizability } from "./linearizability.js";
export type { TestCert, TestPki } from "./pki.js";
export { createTestPki } from "./pki.js";
export { freePort } from "./ports.js";
export type { TcpProxy, TcpProxyOptions } from "./tcp-proxy.js";
export { startTcpProxy } from "./tcp-proxy.js";
export type { TempDir } from "./temp-dir.js";
export { makeTempDir } from "./temp-dir.js";

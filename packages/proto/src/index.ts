/**
 * `@kubekit/proto`: every protobuf interface between kubekit's packages, as
 * protobuf-es messages and Connect service descriptors.
 *
 * Each interface is a namespace here and a subpath export of its own
 * (`@kubekit/proto/scheduler`, `/proxy`, ...); import the subpath to keep
 * bundles small.
 *
 * @packageDocumentation
 */
export * as cri from "./cri.js";
export * as csi from "./csi.js";
export * as etcd from "./etcd.js";
export * as proxy from "./proxy.js";
export * as raft from "./raft.js";
export * as scheduler from "./scheduler.js";
export * as store from "./store.js";

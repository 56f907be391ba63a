/**
 * `@kubekit/example-local-cluster`: a single-node cluster composed in
 * TypeScript from kubekit's packages (see `local-cluster.ts`).
 *
 * @packageDocumentation
 */
export { type LocalCluster, type LocalClusterOptions, startLocalCluster } from "./local-cluster.js";

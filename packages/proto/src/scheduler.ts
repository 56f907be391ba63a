/**
 * `kubekit.scheduler.v1`: the interface between kubekit's scheduler and
 * out-of-process scheduler plugins (Filter and Score, batched per cycle).
 *
 * @packageDocumentation
 */
export * from "./gen/kubekit/scheduler/v1/scheduler_pb.js";

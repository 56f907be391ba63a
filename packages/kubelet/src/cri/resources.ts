import { create } from "@bufbuild/protobuf";
import { parseQuantity, quantityMilliValue, quantityValue } from "@kubekit/apimachinery";
import { type LinuxContainerResources, LinuxContainerResourcesSchema } from "@kubekit/proto/cri";
import type { Container, PodQOSClass } from "../api/types.js";
import { effectiveRequest } from "../status/qos.js";

/** The smallest cpu.shares the kernel accepts; what a container with no CPU request gets. */
export const MIN_CPU_SHARES = 2n;
/** cpu.shares of one whole CPU. */
export const SHARES_PER_CPU = 1024n;
/** The CFS period the kubelet uses unless configured otherwise: 100 ms. */
export const DEFAULT_CPU_PERIOD_US = 100_000n;
/** The smallest CFS quota: 1 ms. */
export const MIN_CPU_QUOTA_US = 1_000n;

/** OOM score adjustment of Guaranteed pods' containers. */
export const GUARANTEED_OOM_SCORE_ADJ = -997n;
/** OOM score adjustment of BestEffort pods' containers. */
export const BEST_EFFORT_OOM_SCORE_ADJ = 1000n;

/** cpu.shares for a number of millicores: proportional, never below {@link MIN_CPU_SHARES}. */
export function milliCpuToShares(milliCpu: bigint): bigint {
  if (milliCpu === 0n) return MIN_CPU_SHARES;
  const shares = (milliCpu * SHARES_PER_CPU) / 1000n;
  return shares < MIN_CPU_SHARES ? MIN_CPU_SHARES : shares;
}

/** The CFS quota for a CPU limit in millicores over `periodUs`; 0 means unlimited. */
export function milliCpuToQuota(milliCpu: bigint, periodUs: bigint): bigint {
  if (milliCpu === 0n) return 0n;
  const quota = (milliCpu * periodUs) / 1000n;
  return quota < MIN_CPU_QUOTA_US ? MIN_CPU_QUOTA_US : quota;
}

/**
 * The OOM score adjustment for a container: fixed for Guaranteed and
 * BestEffort; for Burstable, lower the larger a share of the node's memory
 * the container requests, kept strictly between the two fixed values.
 */
export function oomScoreAdj(
  qos: PodQOSClass,
  memoryRequestBytes: bigint,
  memoryCapacityBytes: bigint,
): bigint {
  if (qos === "Guaranteed") return GUARANTEED_OOM_SCORE_ADJ;
  if (qos === "BestEffort") return BEST_EFFORT_OOM_SCORE_ADJ;
  const capacity = memoryCapacityBytes > 0n ? memoryCapacityBytes : 1n;
  const adj = 1000n - (1000n * memoryRequestBytes) / capacity;
  const floor = 1000n + GUARANTEED_OOM_SCORE_ADJ;
  if (adj < floor) return floor;
  if (adj === BEST_EFFORT_OOM_SCORE_ADJ) return adj - 1n;
  return adj;
}

/** Node facts the resource translation needs. */
export interface ResourceContext {
  /** The pod's QoS class (see `podQosClass`). */
  qos: PodQOSClass;
  /** The node's memory capacity in bytes, for the Burstable OOM score. */
  memoryCapacityBytes: bigint;
  /** CFS period; {@link DEFAULT_CPU_PERIOD_US} unless the kubelet is configured otherwise. */
  cpuPeriodUs?: bigint;
}

/**
 * A container's requests and limits as Linux cgroup settings: CPU request as
 * shares, CPU limit as quota over the period, memory limit in bytes, and the
 * OOM score adjustment of its QoS class.
 */
export function linuxContainerResources(
  container: Container,
  context: ResourceContext,
): LinuxContainerResources {
  const cpuRequest = effectiveRequest(container, "cpu");
  const cpuLimit = container.resources?.limits?.cpu;
  const memoryLimit = container.resources?.limits?.memory;
  const memoryRequest = effectiveRequest(container, "memory");
  const period = context.cpuPeriodUs ?? DEFAULT_CPU_PERIOD_US;
  const resources = create(LinuxContainerResourcesSchema, {
    cpuShares: milliCpuToShares(
      cpuRequest === undefined ? 0n : quantityMilliValue(parseQuantity(cpuRequest)),
    ),
    oomScoreAdj: oomScoreAdj(
      context.qos,
      memoryRequest === undefined ? 0n : quantityValue(parseQuantity(memoryRequest)),
      context.memoryCapacityBytes,
    ),
  });
  if (memoryLimit !== undefined)
    resources.memoryLimitInBytes = quantityValue(parseQuantity(memoryLimit));
  if (cpuLimit !== undefined) {
    const quota = milliCpuToQuota(quantityMilliValue(parseQuantity(cpuLimit)), period);
    if (quota > 0n) {
      resources.cpuQuota = quota;
      resources.cpuPeriod = period;
    }
  }
  return resources;
}

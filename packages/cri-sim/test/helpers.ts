import type { RandomBytes } from "../src/index.js";

/**
 * A deterministic random source: call k returns bytes that start with `k`
 * (big-endian) followed by `fill`, so IDs are predictable and distinct.
 */
export function countingRandom(fill = 0xab): RandomBytes & { calls: () => number } {
  let calls = 0;
  const random = (length: number) => {
    calls += 1;
    const bytes = new Uint8Array(length).fill(fill);
    new DataView(bytes.buffer).setUint32(0, calls);
    return bytes;
  };
  return Object.assign(random, { calls: () => calls });
}

/** A pod sandbox config with the metadata a kubelet sends. */
export function sandboxConfig(
  name: string,
  extra: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    hostNetwork?: boolean;
  } = {},
) {
  return {
    metadata: { name, namespace: "default", uid: `${name}-uid`, attempt: 0 },
    labels: extra.labels ?? {},
    annotations: extra.annotations ?? {},
    logDirectory: `/var/log/pods/default_${name}`,
    linux: extra.hostNetwork ? { securityContext: { namespaceOptions: { network: 2 } } } : {},
  };
}

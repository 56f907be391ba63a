/**
 * Whether a store answers a watch progress request only after every
 * earlier event, so a consistent list may trust it: etcd fixed this in
 * 3.4.31 and 3.5.13 (upstream's apiserver checks the same versions before
 * it serves consistent lists from its cache); kubekit's store-raft sends
 * the answer on the same ordered stream as the events.
 */
export function progressRequestsInOrder(version: string): boolean {
  if (version.includes("kubekit")) return true;
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) return false;
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (major !== 3) return major > 3;
  if (minor === 4) return patch >= 31;
  if (minor === 5) return patch >= 13;
  return minor > 5;
}

import { createHash } from "node:crypto";

/**
 * A member's Raft ID, from its peer URL and the cluster token: every member
 * computes the same IDs from the same --initial-cluster, and `member add`
 * can compute a joining member's ID from the peer URL it is given, as
 * etcd's IDs come from URLs and the token. 52 bits, exact as a JS number.
 */
export function memberIdOf(peerUrl: string, clusterToken: string): number {
  const digest = createHash("sha256").update(`${peerUrl}\u0000${clusterToken}`).digest();
  return Number(digest.readBigUInt64BE(0) >> 12n) || 1;
}

/** The sources of time and randomness the meta helpers take, so tests can fix them. */
export interface MetaContext {
  /** The current time. */
  now: () => Date;
  /** A fresh UID (an RFC 4122 UUID in production). */
  newUid: () => string;
  /** A random number in [0, 1), as Math.random gives. */
  random: () => number;
}

/** A timestamp as Kubernetes writes metav1.Time: RFC 3339, whole seconds, UTC. */
export function formatTime(t: Date): string {
  return `${t.toISOString().slice(0, 19)}Z`;
}

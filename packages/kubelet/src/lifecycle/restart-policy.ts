import type { Pod } from "../api/types.js";

/**
 * Whether an exited container should run again under the pod's restart
 * policy: always under `Always`, after a failure under `OnFailure`, never
 * under `Never`. Init containers follow the same rule, except that under
 * `Always` a successful init container is done, not restarted.
 */
export function shouldRestart(pod: Pod, exitCode: number, init = false): boolean {
  const policy = pod.spec.restartPolicy ?? "Always";
  if (init) return exitCode !== 0 && policy !== "Never";
  if (policy === "Always") return true;
  if (policy === "OnFailure") return exitCode !== 0;
  return false;
}

import type { Pod } from "../api/types.js";
import type { ContainerInstance } from "./container-locator.js";
import { waitingReason } from "./pod-lookup.js";

/**
 * Which instance's log a request reads, or the 400 message upstream's
 * kubelet gives when there is none: the newest started instance; with
 * `previous`, the one before the current (while a crash-looping container
 * waits to restart, the current one is the last that exited).
 */
export function pickLogInstance(
  pod: Pod,
  container: string,
  instances: readonly ContainerInstance[],
  previous: boolean,
): { ok: true; instance: ContainerInstance } | { ok: false; message: string } {
  const podName = pod.metadata.name;
  const started = instances.filter((i) => i.state !== "created");
  const newest = started[0];
  const waiting = waitingReason(pod, container);
  if (previous) {
    // Waiting to restart: the newest exited instance is the "last terminated" one.
    const last = newest?.state === "exited" && waiting !== undefined ? newest : started[1];
    if (last) return { ok: true, instance: last };
    return {
      ok: false,
      message: `previous terminated container "${container}" in pod "${podName}" not found`,
    };
  }
  if (newest) return { ok: true, instance: newest };
  const why =
    waiting === "ErrImagePull"
      ? "image can't be pulled"
      : waiting === "ImagePullBackOff"
        ? "trying and failing to pull image"
        : (waiting ?? "ContainerCreating");
  return {
    ok: false,
    message: `container "${container}" in pod "${podName}" is waiting to start: ${why}`,
  };
}

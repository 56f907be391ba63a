import {
  type EventRecorder,
  isNotFound,
  type KubeObject,
  type ResourceClient,
} from "@kubekit/client";
import type { ControllerExpectations } from "./expectations.js";
import type { Pod } from "./types.js";

/** Whose pods a {@link deletePods} or {@link createPods} call writes, and where it reports. */
export interface PodControl {
  /** The owner's work-queue key, under which expectations are kept. */
  key: string;
  /** The owner, which events are about. */
  owner: KubeObject;
  expectations: ControllerExpectations;
  /** Pods, scoped to the owner's namespace. */
  pods: ResourceClient<Pod>;
  recorder: EventRecorder;
}

/**
 * Deletes `pods` one at a time, as upstream's PodControl does, with a
 * `SuccessfulDelete` event worded by `describe`. A deletion that fails
 * will never be observed, so it is marked observed at once; NotFound
 * counts as done, anything else is thrown.
 */
export async function deletePods(
  control: PodControl,
  pods: readonly Pod[],
  describe: (name: string) => string = (name) => `Deleted pod: ${name}`,
): Promise<void> {
  for (const pod of pods) {
    const name = pod.metadata?.name ?? "";
    try {
      await control.pods.delete(name);
      control.recorder.event(control.owner, "Normal", "SuccessfulDelete", describe(name));
    } catch (err) {
      control.expectations.deletionObserved(control.key);
      if (!isNotFound(err)) throw err;
    }
  }
}

/**
 * Creates `count` pods, the i-th from `podAt(i)`, one at a time with a
 * `SuccessfulCreate` event each. On the first failure it records
 * `FailedCreate` and throws: that creation and the ones never attempted
 * will not be observed, so they are marked observed first.
 */
export async function createPods(
  control: PodControl,
  count: number,
  podAt: (i: number) => Pod,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    try {
      const pod = await control.pods.create(podAt(i));
      control.recorder.event(
        control.owner,
        "Normal",
        "SuccessfulCreate",
        `Created pod: ${pod.metadata?.name}`,
      );
    } catch (err) {
      for (let j = i; j < count; j++) control.expectations.creationObserved(control.key);
      control.recorder.event(
        control.owner,
        "Warning",
        "FailedCreate",
        `Error creating: ${String(err)}`,
      );
      throw err;
    }
  }
}

/**
 * ImageLocality: prefers nodes that already have the pod's images, weighted
 * by image size and by how widely the image is spread (an image on every
 * node says little about this one).
 */
import type { Pod } from "../../api/types.js";
import type { CycleState } from "../../framework/cycle-state.js";
import type { Handle } from "../../framework/handle.js";
import { MAX_NODE_SCORE, type ScorePlugin } from "../../framework/interfaces.js";
import type { NodeInfo } from "../../framework/node-info.js";

/** The plugin's name. */
export const NAME = "ImageLocality";
const MB = 1024 * 1024;
/** Below this total, a node scores 0. */
export const MIN_THRESHOLD = 23 * MB;
/** Per container: above this total (times containers), a node scores 100. */
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/**
 * The image name as nodes report it: a missing tag means `:latest`.
 */
export function normalizedImageName(name: string): string {
  // A colon after the last slash is a tag (or a digest's algorithm); one before it is a registry port.
  return name.lastIndexOf(":") <= name.lastIndexOf("/") ? `${name}:latest` : name;
}

/** Builds the plugin; `handle.snapshot()` gives the node count for the spread factor. */
export function create(_args: unknown, handle: Handle) {
  // The pod's image names, normalized once per pod object rather than once per node.
  const imagesOf = new WeakMap<Pod, { names: string[]; containers: number }>();
  const podImages = (pod: Pod) => {
    let images = imagesOf.get(pod);
    if (!images) {
      const containers = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
      images = {
        names: containers.flatMap((c) => (c.image ? [normalizedImageName(c.image)] : [])),
        containers: containers.length,
      };
      imagesOf.set(pod, images);
    }
    return images;
  };
  return {
    name: NAME,
    score(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
      const { names, containers } = podImages(pod);
      let sum = 0;
      if (nodeInfo.imageStates.size > 0) {
        const totalNodes = handle.snapshot().list().length;
        for (const name of names) {
          const state = nodeInfo.imageStates.get(name);
          if (state && totalNodes > 0)
            sum += Math.trunc(state.sizeBytes * (state.numNodes / totalNodes));
        }
      }
      const max = MAX_CONTAINER_THRESHOLD * containers;
      const clamped = Math.min(Math.max(sum, MIN_THRESHOLD), max);
      return Math.trunc((MAX_NODE_SCORE * (clamped - MIN_THRESHOLD)) / (max - MIN_THRESHOLD));
    },
  } satisfies ScorePlugin;
}

import type { Client } from "@connectrpc/connect";
import type { ImageService } from "@kubekit/proto/cri";
import type { Container, Pod } from "../api/types.js";
import type { Backoff } from "../lifecycle/backoff.js";
import type { WaitingReason } from "../status/view.js";

/** An image could not be made available; `reason` is upstream's waiting reason. */
export class ImagePullError extends Error {
  override readonly name = "ImagePullError";
  constructor(
    readonly reason: "ErrImagePull" | "ImagePullBackOff" | "ErrImageNeverPull" | "InvalidImageName",
    message: string,
  ) {
    super(message);
  }

  /** As a container's waiting state. */
  toWaiting(): WaitingReason {
    return { reason: this.reason, message: this.message };
  }
}

/**
 * The pull policy the API server would default: `Always` for `:latest` or an
 * untagged image, `IfNotPresent` otherwise.
 */
export function effectivePullPolicy(container: Container): "Always" | "IfNotPresent" | "Never" {
  if (container.imagePullPolicy) return container.imagePullPolicy;
  const image = container.image;
  if (image.includes("@")) return "IfNotPresent";
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const tag = lastSegment.includes(":") ? lastSegment.slice(lastSegment.indexOf(":") + 1) : "";
  return tag === "" || tag === "latest" ? "Always" : "IfNotPresent";
}

/**
 * Makes a container's image available per its pull policy and returns the
 * image reference to create the container from. Failed pulls are held off
 * by `backoff`, keyed by pod and image: the first failure reports
 * ErrImagePull, attempts inside the backoff ImagePullBackOff.
 */
export async function ensureImage(
  images: Client<typeof ImageService>,
  backoff: Backoff,
  pod: Pod,
  container: Container,
  now: number,
): Promise<string> {
  const image = container.image;
  if (!image) throw new ImagePullError("InvalidImageName", "container has no image");
  const policy = effectivePullPolicy(container);
  if (policy !== "Always") {
    const { image: present } = await images.imageStatus({ image: { image } });
    if (present) return present.id || image;
    if (policy === "Never") {
      throw new ImagePullError(
        "ErrImageNeverPull",
        `Container image "${image}" is not present with pull policy of Never`,
      );
    }
  }
  const key = `${pod.metadata.uid}/${image}`;
  if (backoff.inBackoffSince(key, now)) {
    throw new ImagePullError("ImagePullBackOff", `Back-off pulling image "${image}"`);
  }
  try {
    const { imageRef } = await images.pullImage({ image: { image } });
    backoff.reset(key);
    return imageRef || image;
  } catch (error) {
    backoff.next(key, now);
    const detail = error instanceof Error ? error.message : String(error);
    throw new ImagePullError("ErrImagePull", `Failed to pull image "${image}": ${detail}`);
  }
}

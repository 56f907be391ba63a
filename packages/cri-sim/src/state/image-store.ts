import { createHash } from "node:crypto";
import { Code } from "@connectrpc/connect";
import { SimRuntimeError } from "./errors.js";
import { isDigestReference, normalizeImageReference } from "./image-reference.js";

/** One image the simulated runtime holds. */
export interface SimImage {
  /** `sha256:` + the SHA-256 of the normalized reference: the same reference always gives the same ID. */
  readonly id: string;
  readonly repoTags: string[];
  readonly repoDigests: string[];
  readonly sizeBytes: bigint;
}

/** Options of an {@link ImageStore}. */
export interface ImageStoreOptions {
  /** References whose pull fails with `NotFound`, as a registry's 404 does. */
  missingImages?: Iterable<string>;
  /** References held from the start (for example the sandbox image). */
  preloadedImages?: Iterable<string>;
  /** The size every simulated image reports. */
  imageSizeBytes?: bigint;
}

/** The default size of a simulated image: about a small distro base. */
export const DEFAULT_IMAGE_SIZE_BYTES = 5_000_000n;

/**
 * The images of one simulated runtime. Pulling "succeeds" for every
 * reference except the configured missing ones; nothing is downloaded.
 */
export class ImageStore {
  readonly #byId = new Map<string, SimImage>();
  readonly #missing: Set<string>;
  readonly #sizeBytes: bigint;

  constructor(options: ImageStoreOptions = {}) {
    this.#missing = new Set([...(options.missingImages ?? [])].map(normalizeImageReference));
    this.#sizeBytes = options.imageSizeBytes ?? DEFAULT_IMAGE_SIZE_BYTES;
    for (const reference of options.preloadedImages ?? []) this.pull(reference);
  }

  /** Makes `reference` missing (or present again) for later pulls. */
  setMissing(reference: string, missing: boolean): void {
    const normalized = normalizeImageReference(reference);
    if (missing) this.#missing.add(normalized);
    else this.#missing.delete(normalized);
  }

  /** "Pulls" `reference` and returns the image; `NotFound` for a missing one. */
  pull(reference: string): SimImage {
    const normalized = normalizeImageReference(reference);
    if (normalized === "") {
      throw new SimRuntimeError(Code.Unknown, "image reference must not be empty");
    }
    if (this.#missing.has(normalized)) {
      // Worded as containerd words a registry's 404, so logs and events read alike.
      throw new SimRuntimeError(
        Code.NotFound,
        `failed to pull and unpack image "${normalized}": failed to resolve reference "${normalized}": ${normalized}: not found`,
      );
    }
    const id = `sha256:${createHash("sha256").update(normalized).digest("hex")}`;
    const image = this.#byId.get(id) ?? {
      id,
      repoTags: [],
      repoDigests: [],
      sizeBytes: this.#sizeBytes,
    };
    const names = isDigestReference(normalized) ? image.repoDigests : image.repoTags;
    if (!names.includes(normalized)) names.push(normalized);
    this.#byId.set(id, image);
    return image;
  }

  /** The image `referenceOrId` names (a reference, short or not, or an image ID), if held. */
  find(referenceOrId: string): SimImage | undefined {
    const byId = this.#byId.get(referenceOrId) ?? this.#byId.get(`sha256:${referenceOrId}`);
    if (byId !== undefined) return byId;
    const normalized = normalizeImageReference(referenceOrId);
    for (const image of this.#byId.values()) {
      if (image.repoTags.includes(normalized) || image.repoDigests.includes(normalized)) {
        return image;
      }
    }
    return undefined;
  }

  /** Removes the image `referenceOrId` names, with all its names; absent images are fine. */
  remove(referenceOrId: string): void {
    const image = this.find(referenceOrId);
    if (image !== undefined) this.#byId.delete(image.id);
  }

  /** Every image held, in pull order. */
  list(): SimImage[] {
    return [...this.#byId.values()];
  }

  /** Bytes used by all images held. */
  get usedBytes(): bigint {
    return this.list().reduce((sum, image) => sum + image.sizeBytes, 0n);
  }
}

import type { Status } from "../errors/status.js";
import type { KubeObject } from "../types/object.js";

/** What a write comes to: the object to store, or the Status to answer with. */
export type WriteResult =
  | {
      ok: true;
      object: KubeObject;
      /** True when the update removed the last finalizer of an object being deleted: delete it instead of storing it. */
      deleteNow?: boolean;
    }
  | { ok: false; status: Status };

/** The parts of the request URL a write is checked against. */
export interface WriteTarget {
  /** The namespace in the URL ("" for cluster-scoped resources). */
  namespace: string;
  /** The name in the URL (updates and patches). */
  name?: string;
  /** `status` for writes to the status subresource. */
  subresource?: string;
}

/** The clock, randomness and field manager a write uses. */
export interface WriteContext {
  now: () => Date;
  newUid: () => string;
  random: () => number;
  /** The field manager (the `fieldManager` parameter, or one derived from the User-Agent). */
  manager: string;
}

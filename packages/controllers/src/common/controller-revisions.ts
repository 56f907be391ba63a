import {
  isAlreadyExists,
  isNotFound,
  type KubeObject,
  type OwnerReference,
  type ResourceClient,
} from "@kubekit/client";
import type { PodTemplateSpec } from "./types.js";

/** The label carrying the template hash on DaemonSet and StatefulSet pods and revisions. */
export const CONTROLLER_REVISION_HASH_LABEL = "controller-revision-hash";

/** apps/v1 ControllerRevision. */
export interface ControllerRevision extends KubeObject {
  data?: unknown;
  revision: number;
}

/** The number the next revision gets: one above the highest so far (upstream's NextRevision). */
export function nextRevision(revisions: readonly number[]): number {
  return revisions.reduce((max, r) => Math.max(max, r), 0) + 1;
}

/**
 * The `count` oldest of `items` beyond the `limit` newest, in `order`
 * (oldest first): what revisionHistoryLimit lets a controller delete.
 */
export function beyondHistoryLimit<T>(
  items: readonly T[],
  limit: number,
  order: (a: T, b: T) => number,
): T[] {
  const sorted = [...items].sort(order);
  return sorted.slice(0, Math.max(0, sorted.length - limit));
}

/** The ControllerRevision name for `owner`'s template with `hash` (upstream's ControllerRevisionName). */
export function controllerRevisionName(owner: KubeObject, hash: string): string {
  return `${owner.metadata?.name}-${hash}`;
}

/** A ControllerRevision recording `template` for `owner`, named `<owner>-<hash>`. */
export function newControllerRevision(
  owner: KubeObject,
  ownerRef: OwnerReference,
  template: unknown,
  hash: string,
  revision: number,
  labels: Record<string, string>,
): ControllerRevision {
  return {
    apiVersion: "apps/v1",
    kind: "ControllerRevision",
    metadata: {
      name: controllerRevisionName(owner, hash),
      namespace: owner.metadata?.namespace ?? "",
      labels: { ...labels, [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ownerReferences: [ownerRef],
    },
    // Upstream stores a strategic merge patch of the spec; the full template is its equivalent.
    data: { spec: { template: { ...(template as object), $patch: "replace" } } },
    revision,
  };
}

/** The template a revision recorded (see {@link newControllerRevision}). */
export function templateOfRevision(
  revision: ControllerRevision | undefined,
): PodTemplateSpec | undefined {
  const data = revision?.data as
    | { spec?: { template?: PodTemplateSpec & { $patch?: string } } }
    | undefined;
  const template = data?.spec?.template;
  if (!template) return undefined;
  const { $patch: _, ...rest } = template;
  return rest;
}

/** The revisions in `all` that name `owner` (by uid) among their owners. */
export function revisionsOwnedBy(
  owner: KubeObject,
  all: readonly ControllerRevision[],
): ControllerRevision[] {
  const uid = owner.metadata?.uid;
  return all.filter((r) => r.metadata?.ownerReferences?.some((o) => o.uid === uid));
}

/** What {@link syncCurrentRevision} needs: the owner, its current template and its revisions. */
export interface CurrentRevisionOptions {
  owner: KubeObject & { spec?: { template?: PodTemplateSpec } };
  ownerRef: OwnerReference;
  /** The current template's hash, which names its revision. */
  hash: string;
  /** The revisions the owner has (see {@link revisionsOwnedBy}). */
  owned: readonly ControllerRevision[];
  /** ControllerRevisions, scoped to the owner's namespace. */
  client: ResourceClient<ControllerRevision>;
}

/**
 * Makes sure the current template has its ControllerRevision, as upstream's
 * getAllRevisions / createRevision: created with the next revision number
 * when missing (AlreadyExists means another sync won), and raised to the
 * newest number when the template went back to an earlier revision's.
 * Resolves with the owned revisions, the created one included.
 */
export async function syncCurrentRevision(
  options: CurrentRevisionOptions,
): Promise<ControllerRevision[]> {
  const { owner, hash, client } = options;
  const owned = [...options.owned];
  const name = controllerRevisionName(owner, hash);
  const latest = nextRevision(owned.map((r) => r.revision ?? 0)) - 1;
  const existing = owned.find((r) => r.metadata?.name === name);
  if (!existing) {
    const template = owner.spec?.template;
    const revision = newControllerRevision(
      owner,
      options.ownerRef,
      template,
      hash,
      latest + 1,
      template?.metadata?.labels ?? {},
    );
    try {
      owned.push(await client.create(revision));
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  } else if ((existing.revision ?? 0) < latest) {
    // Rolling back to an earlier template makes its revision the newest again.
    await client.update({ ...existing, revision: latest + 1 });
  }
  return owned;
}

/** Deletes `revisions`, those already gone included. */
export async function deleteRevisions(
  client: ResourceClient<ControllerRevision>,
  revisions: readonly ControllerRevision[],
): Promise<void> {
  for (const r of revisions) {
    await client.delete(r.metadata?.name ?? "").catch((err) => {
      if (!isNotFound(err)) throw err;
    });
  }
}

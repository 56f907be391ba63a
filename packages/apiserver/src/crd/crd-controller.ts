import { formatTime } from "../meta/clock.js";
import type { ResourceDefinition } from "../registry/resource.js";
import { storageKeyPrefix } from "../registry/storage-key.js";
import type { ServerContext } from "../server/request-context.js";
import type { ObjectStore } from "../storage/object-store.js";
import { watchPrefix } from "../storage/watch-stream.js";
import type { KubeObject } from "../types/object.js";
import { indexWithCrds } from "./crd-resources.js";
import { desiredCrdStatus, statusChanged } from "./crd-status.js";
import { CRD_CLEANUP_FINALIZER, CRD_GROUP, CRD_RESOURCE, type Crd } from "./crd-types.js";

const CRD_PREFIX = storageKeyPrefix({
  group: CRD_GROUP,
  resource: CRD_RESOURCE,
  namespaced: false,
});
/** How soon a deleting CRD whose resources are not all gone yet is looked at again. */
const CLEANUP_RETRY_MS = 500;
/** How long to wait before watching again after the store watch broke. */
const REWATCH_MS = 1_000;

/** The running CRD controller. */
export interface CrdController {
  /** Stops watching CRDs. */
  stop(): void;
}

async function listAll(
  store: ObjectStore,
  prefix: string,
): Promise<{ items: KubeObject[]; revision: string }> {
  const items: KubeObject[] = [];
  let startKey: string | undefined;
  let revision = 0;
  for (;;) {
    const page = await store.list({
      prefix,
      limit: 500,
      ...(startKey ? { startKey } : {}),
      ...(revision ? { revision } : {}),
    });
    if (!page.ok) throw new Error(`listing ${prefix}: ${page.reason}`);
    revision = Number(page.value.revision);
    items.push(...page.value.items);
    if (!page.value.nextKey) return { items, revision: page.value.revision };
    startKey = page.value.nextKey;
  }
}

/**
 * Does in one loop what upstream's apiextensions controllers do: keeps
 * the served resource index in step with the stored CRDs (so their
 * resources appear in discovery and are served at once), writes each
 * CRD's status (accepted names, NamesAccepted, Established, stored
 * versions), and, for a CRD being deleted, deletes its custom resources
 * and then removes the cleanup finalizer. Resolves once the CRDs stored
 * at start are served.
 */
export async function startCrdController(
  ctx: ServerContext,
  builtins: readonly ResourceDefinition[],
  onError: (error: unknown) => void = () => {},
): Promise<CrdController> {
  const crds = new Map<string, Crd>();
  const abort = new AbortController();
  const retries = new Set<NodeJS.Timeout>();

  const rebuild = () => {
    const sorted = [...crds.values()].sort((a, b) =>
      (a.metadata?.creationTimestamp ?? "").localeCompare(b.metadata?.creationTimestamp ?? ""),
    );
    ctx.index = indexWithCrds(builtins, sorted);
  };

  const later = (name: string) => {
    const timer = setTimeout(() => {
      retries.delete(timer);
      const crd = crds.get(name);
      if (crd && !abort.signal.aborted) reconcile(crd).catch(onError);
    }, CLEANUP_RETRY_MS);
    retries.add(timer);
  };

  async function cleanup(crd: Crd): Promise<void> {
    const name = crd.metadata?.name ?? "";
    const prefix = storageKeyPrefix({
      group: crd.spec.group,
      resource: crd.spec.names.plural,
      namespaced: false,
    });
    const { items } = await listAll(ctx.store, prefix);
    let remaining = 0;
    for (const item of items) {
      const meta = item.metadata ?? {};
      const key = `${prefix}${meta.namespace ? `${meta.namespace}/` : ""}${meta.name}`;
      if ((meta.finalizers ?? []).length > 0) {
        // Objects with finalizers are marked deleted and wait for their finalizers, as a delete would.
        remaining++;
        if (!meta.deletionTimestamp)
          await ctx.store.update(
            key,
            {
              ...item,
              metadata: {
                ...meta,
                deletionTimestamp: formatTime(ctx.now()),
                deletionGracePeriodSeconds: 0,
              },
            },
            meta.resourceVersion ?? "",
          );
      } else {
        const deleted = await ctx.store.delete(key, meta.resourceVersion);
        if (!deleted.ok && deleted.reason !== "not-found") remaining++;
      }
    }
    if (remaining > 0) return later(name);
    const finalizers = (crd.metadata?.finalizers ?? []).filter((f) => f !== CRD_CLEANUP_FINALIZER);
    const key = `${CRD_PREFIX}${name}`;
    const rv = crd.metadata?.resourceVersion ?? "";
    if (finalizers.length === 0) await ctx.store.delete(key, rv);
    else await ctx.store.update(key, { ...crd, metadata: { ...crd.metadata, finalizers } }, rv);
  }

  async function reconcile(crd: Crd): Promise<void> {
    const others = [...crds.values()];
    const status = desiredCrdStatus(crd, builtins, others, ctx.now());
    const name = crd.metadata?.name ?? "";
    if (statusChanged(crd.status, status)) {
      // The write comes back through the watch, which reconciles again.
      await ctx.store.update(
        `${CRD_PREFIX}${name}`,
        { ...crd, status },
        crd.metadata?.resourceVersion ?? "",
      );
      return;
    }
    if (crd.metadata?.deletionTimestamp && crd.metadata.finalizers?.includes(CRD_CLEANUP_FINALIZER))
      await cleanup(crd);
  }

  const initial = await listAll(ctx.store, CRD_PREFIX);
  for (const item of initial.items) crds.set(item.metadata?.name ?? "", item as Crd);
  rebuild();
  for (const crd of crds.values()) reconcile(crd).catch(onError);

  const watchFrom = async (revision: bigint): Promise<void> => {
    for await (const item of watchPrefix(ctx.etcdTransport, {
      prefix: CRD_PREFIX,
      startRevision: revision,
      signal: abort.signal,
    })) {
      if (item.type === "expired") throw new Error("CRD watch expired");
      if (item.type !== "change") continue;
      revision = BigInt(item.change.resourceVersion) + 1n;
      const name = item.key.slice(CRD_PREFIX.length);
      const next = item.change.next as Crd | undefined;
      if (next) crds.set(name, next);
      else crds.delete(name);
      rebuild();
      if (next) reconcile(next).catch(onError);
    }
  };

  // Watch for as long as the server runs; after a break, list again and resume.
  (async () => {
    let revision = BigInt(initial.revision) + 1n;
    while (!abort.signal.aborted) {
      try {
        await watchFrom(revision);
      } catch (error) {
        if (abort.signal.aborted) return;
        onError(error);
      }
      if (abort.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, REWATCH_MS));
      try {
        const fresh = await listAll(ctx.store, CRD_PREFIX);
        crds.clear();
        for (const item of fresh.items) crds.set(item.metadata?.name ?? "", item as Crd);
        rebuild();
        for (const crd of crds.values()) reconcile(crd).catch(onError);
        revision = BigInt(fresh.revision) + 1n;
      } catch (error) {
        onError(error);
      }
    }
  })();

  return {
    stop() {
      abort.abort();
      for (const t of retries) clearTimeout(t);
    },
  };
}

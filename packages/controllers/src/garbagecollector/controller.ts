import {
  type DiscoveredResource,
  DiscoveryClient,
  type GroupVersionResource,
  isConflict,
  isNotFound,
  type KubeObject,
  type OwnerReference,
  type SharedInformer,
  type TimerHandle,
} from "@kubekit/client";
import { unwrapTombstone } from "../common/tombstone.js";
import { startWorkLoop } from "../common/work-loop.js";
import type { ControllerContext, ControllerDescriptor } from "../controller.js";
import { blockingDependents, decideDependent, type OwnerState } from "./decide.js";
import {
  FOREGROUND_FINALIZER,
  type GraphNode,
  isDeletingDependents,
  isOrphaning,
  nodeFor,
  ORPHAN_FINALIZER,
  OwnerGraph,
} from "./graph.js";

/** Resources the collector does not watch, as upstream's defaults (events are many and own nothing). */
const IGNORED = new Set(["/events", "events.k8s.io/events"]);
/** How often discovery is asked again for new resources (custom resources), as upstream's 30 s. */
const REDISCOVERY_MS = 30_000;

const gvrKey = (r: GroupVersionResource): string => `${r.group}/${r.resource}`;
const apiVersionOf = (r: GroupVersionResource): string =>
  r.group ? `${r.group}/${r.version}` : r.version;

/** True when the collector can use a discovered resource: listable, watchable and deletable. */
export function collectable(r: DiscoveredResource): boolean {
  return (
    r.preferred &&
    !r.resource.includes("/") &&
    ["list", "watch", "delete"].every((v) => r.verbs.includes(v)) &&
    !IGNORED.has(gvrKey(r))
  );
}

/**
 * Upstream's `garbagecollector` controller: builds an owner/dependent
 * graph from informers over every collectable resource, deletes
 * dependents whose owners are all gone (background propagation), orphans
 * the dependents of owners deleted with the `orphan` finalizer, and
 * deletes the blocking dependents of owners deleted in the foreground
 * before removing their `foregroundDeletion` finalizer.
 */
export const garbageCollectorController: ControllerDescriptor = {
  name: "garbagecollector",
  enabledByDefault: true,
  async start(ctx: ControllerContext, signal: AbortSignal) {
    const log = ctx.logger.child({ controller: "garbagecollector" });
    const discovery = new DiscoveryClient(ctx.client.http);
    const graph = new OwnerGraph();
    const informers = new Map<string, SharedInformer<KubeObject>>();
    const byKind = new Map<string, DiscoveredResource>();

    /** The resource of an owner reference: its exact version, else the kind in the group's served version. */
    const resourceForRef = (ref: OwnerReference): DiscoveredResource | undefined => {
      const group = ref.apiVersion.includes("/") ? ref.apiVersion.split("/")[0] : "";
      return byKind.get(`${ref.apiVersion}/${ref.kind}`) ?? byKind.get(`*/${group}/${ref.kind}`);
    };
    const patchMeta = (node: GraphNode, metadata: Record<string, unknown>) => {
      const client = ctx.client.resource(node.resource);
      const scoped = node.namespace ? client.namespace(node.namespace) : client;
      return scoped.patch(node.name, "merge", { metadata });
    };
    const deleteNode = async (
      node: GraphNode,
      propagationPolicy: "Background" | "Foreground" | "Orphan",
    ): Promise<void> => {
      const client = ctx.client.resource(node.resource);
      const scoped = node.namespace ? client.namespace(node.namespace) : client;
      try {
        await scoped.delete(node.name, { propagationPolicy, preconditions: { uid: node.uid } });
      } catch (err) {
        if (!isNotFound(err) && !isConflict(err)) throw err;
      }
    };
    /** Reads the object live (the graph may lag), checking uid and resourceVersion. */
    const live = async (node: GraphNode): Promise<KubeObject | undefined> => {
      const client = ctx.client.resource(node.resource);
      const scoped = node.namespace ? client.namespace(node.namespace) : client;
      try {
        const obj = await scoped.get(node.name);
        return obj.metadata?.uid === node.uid ? obj : undefined;
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    };

    const ownerState = async (dependent: GraphNode, ref: OwnerReference): Promise<OwnerState> => {
      const inGraph = graph.get(ref.uid);
      if (inGraph) return isDeletingDependents(inGraph) ? "waitingForDependentsDeletion" : "solid";
      // Not in the graph: it may be gone or the informer may lag; ask the apiserver.
      const resource = resourceForRef(ref);
      if (!resource) {
        log.warn({ ref }, "owner kind not served; keeping the dependent");
        return "solid";
      }
      const owner = await live({
        uid: ref.uid,
        resource,
        name: ref.name,
        ownerReferences: [],
        finalizers: [],
        ...(resource.namespaced && dependent.namespace ? { namespace: dependent.namespace } : {}),
      });
      if (!owner) return "dangling";
      const node = nodeFor(resource, owner);
      return node && isDeletingDependents(node) ? "waitingForDependentsDeletion" : "solid";
    };

    /** attemptToDelete: a dependent whose owners may be gone, or a foreground owner waiting. */
    const attemptToDelete = async (uid: string): Promise<void> => {
      const node = graph.get(uid);
      if (!node) return;
      if (node.deletionTimestamp) {
        if (!isDeletingDependents(node)) return;
        const dependents = graph.dependentsOf(uid);
        const blocking = blockingDependents(node, dependents);
        if (blocking.length === 0) {
          const current = await live(node);
          if (!current) return;
          // The graph may miss a dependent just created; the live owner's finalizers are the truth.
          await patchMeta(node, {
            resourceVersion: current.metadata?.resourceVersion,
            finalizers: (current.metadata?.finalizers ?? []).filter(
              (f) => f !== FOREGROUND_FINALIZER,
            ),
          });
          return;
        }
        for (const d of blocking) if (!d.deletionTimestamp) queue.add(`delete:${d.uid}`);
        return;
      }
      if (node.ownerReferences.length === 0) return;
      const states = new Map<string, OwnerState>();
      for (const ref of node.ownerReferences) states.set(ref.uid, await ownerState(node, ref));
      const decision = decideDependent(node, states, graph.dependentsOf(uid).length > 0);
      if (decision.action === "none") return;
      if (decision.action === "removeOwnerReferences") {
        const current = await live(node);
        if (!current) return;
        await patchMeta(node, {
          resourceVersion: current.metadata?.resourceVersion,
          ownerReferences: (current.metadata?.ownerReferences ?? []).filter(
            (r) => !decision.uids.includes(r.uid),
          ),
        });
        return;
      }
      log.debug({ uid, name: node.name, policy: decision.propagationPolicy }, "deleting dependent");
      await deleteNode(node, decision.propagationPolicy);
    };

    /** attemptToOrphan: an owner deleted with the orphan finalizer. */
    const attemptToOrphan = async (uid: string): Promise<void> => {
      const node = graph.get(uid);
      if (!node || !isOrphaning(node)) return;
      for (const dependent of graph.dependentsOf(uid)) {
        const current = await live(dependent);
        if (!current) continue;
        await patchMeta(dependent, {
          resourceVersion: current.metadata?.resourceVersion,
          ownerReferences: (current.metadata?.ownerReferences ?? []).filter((r) => r.uid !== uid),
        });
      }
      const current = await live(node);
      if (!current) return;
      await patchMeta(node, {
        resourceVersion: current.metadata?.resourceVersion,
        finalizers: (current.metadata?.finalizers ?? []).filter((f) => f !== ORPHAN_FINALIZER),
      });
    };

    const reconcile = async (key: string): Promise<void> => {
      // Decisions need the whole graph: wait until every informer has listed once.
      if ([...informers.values()].some((i) => !i.hasSynced())) {
        queue.addAfter(key, 200);
        return;
      }
      const [kind, uid = ""] = key.split(":");
      if (kind === "orphan") await attemptToOrphan(uid);
      else await attemptToDelete(uid);
    };
    const queue = startWorkLoop(
      ctx,
      "garbagecollector",
      signal,
      // Informers join as discovery finds resources; reconcile waits for them itself.
      Promise.resolve(true),
      reconcile,
    );

    const onChange = (resource: GroupVersionResource, obj: KubeObject): void => {
      const node = nodeFor(resource, obj);
      if (!node) return;
      const old = graph.upsert(node);
      const refsChanged =
        !old || JSON.stringify(old.ownerReferences) !== JSON.stringify(node.ownerReferences);
      if (node.ownerReferences.length > 0 && refsChanged) queue.add(`delete:${node.uid}`);
      if (isOrphaning(node)) queue.add(`orphan:${node.uid}`);
      if (isDeletingDependents(node)) {
        queue.add(`delete:${node.uid}`);
        if (!old || !isDeletingDependents(old)) {
          for (const d of graph.dependentsOf(node.uid)) queue.add(`delete:${d.uid}`);
        }
      }
    };
    const onRemove = (obj: KubeObject): void => {
      const uid = obj.metadata?.uid;
      if (!uid) return;
      const old = graph.remove(uid);
      for (const d of graph.dependentsOf(uid)) queue.add(`delete:${d.uid}`);
      // An owner waiting for this dependent may now be free.
      for (const ref of old?.ownerReferences ?? []) {
        const owner = graph.get(ref.uid);
        if (owner && isDeletingDependents(owner)) queue.add(`delete:${owner.uid}`);
      }
    };

    /** Adds informers for collectable resources not watched yet; true if it added any. */
    const watchResources = async (): Promise<boolean> => {
      discovery.invalidate();
      const resources = (await discovery.resources(signal)).filter(collectable);
      let added = false;
      for (const r of resources) {
        byKind.set(`${apiVersionOf(r)}/${r.kind}`, r);
        byKind.set(`*/${r.group}/${r.kind}`, r);
        const key = gvrKey(r);
        if (informers.has(key)) continue;
        const gvr: GroupVersionResource = {
          group: r.group,
          version: r.version,
          resource: r.resource,
          namespaced: r.namespaced,
        };
        const informer = ctx.informers.informerFor<KubeObject>(gvr);
        informer.addEventHandler({
          onAdd: (obj) => onChange(gvr, obj),
          onUpdate: (_o, obj) => onChange(gvr, obj),
          onDelete: (obj) => onRemove(unwrapTombstone(obj)),
        });
        informers.set(key, informer);
        added = true;
      }
      return added;
    };

    await watchResources();
    // New resource types (custom resources) join the graph as they appear.
    const rediscover = (): void => {
      timer = ctx.clock.setTimeout(() => {
        watchResources()
          .then((added) => {
            if (added && !signal.aborted) ctx.informers.start(signal);
          })
          .catch((err) => log.warn({ err }, "rediscovery failed"))
          .finally(() => {
            if (!signal.aborted) rediscover();
          });
      }, REDISCOVERY_MS);
    };
    let timer: TimerHandle | undefined;
    rediscover();
    signal.addEventListener("abort", () => timer && ctx.clock.clearTimeout(timer), { once: true });
  },
};

import {
  type DiscoveredResource,
  DiscoveryClient,
  isMethodNotSupported,
  isNotFound,
  type KubeObject,
  Resources,
  resourcePath,
} from "@kubekit/client";
import { startSyncedWorkLoop } from "../common/work-loop.js";
import type { ControllerContext, ControllerDescriptor } from "../controller.js";
import { type DeletionOutcome, deletionConditions, type NamespaceCondition } from "./conditions.js";

const NAME = "namespace";
/** The spec finalizer this controller owns. */
export const KUBERNETES_FINALIZER = "kubernetes";
/** How soon a namespace whose content is still going is looked at again. */
const REMAINING_RECHECK_MS = 2_000;

interface Namespace extends KubeObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: string; conditions?: NamespaceCondition[] };
}

const resourceLabel = (r: DiscoveredResource) =>
  r.group ? `${r.resource}.${r.group}` : `${r.resource}.`;

/**
 * Starts the namespace controller: when a namespace is deleted, it
 * deletes every object of every namespaced resource discovery lists in
 * it, reports progress in the namespace's deletion conditions, and once
 * nothing is left removes the `kubernetes` finalizer through
 * `namespaces/NAME/finalize`, which lets the apiserver remove it.
 */
export function startNamespaceController(ctx: ControllerContext, signal: AbortSignal): void {
  const log = ctx.logger.child({ controller: NAME });
  const informer = ctx.informers.informerFor<Namespace>(Resources.namespaces);
  const nsClient = ctx.client.resource<Namespace>(Resources.namespaces);
  const discovery = new DiscoveryClient(ctx.client.http);
  const loop = startSyncedWorkLoop(ctx, NAME, signal, sync);

  const enqueue = (ns: Namespace) => {
    if (ns.metadata?.deletionTimestamp) loop.add(ns.metadata.name ?? "");
  };
  informer.addEventHandler({ onAdd: enqueue, onUpdate: (_o, ns) => enqueue(ns) });

  async function sync(name: string): Promise<void> {
    let ns: Namespace;
    try {
      ns = await nsClient.get(name);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (!ns.metadata?.deletionTimestamp) return;
    if (!(ns.spec?.finalizers ?? []).includes(KUBERNETES_FINALIZER)) return;

    const outcome = await deleteContent(name);
    const now = new Date(ctx.clock.now()).toISOString().replace(/\.\d+Z$/, "Z");
    const conditions = mergeConditions(
      ns.status?.conditions ?? [],
      deletionConditions(outcome, now),
    );
    if (JSON.stringify(conditions) !== JSON.stringify(ns.status?.conditions ?? [])) {
      ns = await nsClient.updateStatus({
        ...ns,
        status: { ...(ns.status ?? {}), phase: "Terminating", conditions },
      });
    }
    if (
      outcome.discoveryFailed ||
      outcome.contentFailures.length > 0 ||
      outcome.remaining.size > 0
    ) {
      log.debug(
        { namespace: name, remaining: Object.fromEntries(outcome.remaining) },
        "content remaining",
      );
      loop.addAfter(name, REMAINING_RECHECK_MS);
      return;
    }
    const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== KUBERNETES_FINALIZER);
    try {
      // PUT namespaces/NAME/finalize: only spec.finalizers changes.
      await ctx.client.http.request({
        method: "PUT",
        path: resourcePath(Resources.namespaces, { name, subresource: "finalize" }),
        body: { ...ns, spec: { ...(ns.spec ?? {}), finalizers } },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** One pass over every namespaced resource: delete what is there, then count what is left. */
  async function deleteContent(namespace: string): Promise<DeletionOutcome> {
    const outcome: DeletionOutcome = {
      contentFailures: [],
      remaining: new Map(),
      finalizersRemaining: new Map(),
    };
    let resources: DiscoveredResource[];
    try {
      discovery.invalidate();
      resources = (await discovery.resources()).filter(
        (r) =>
          r.namespaced && r.preferred && r.verbs.includes("list") && r.verbs.includes("delete"),
      );
    } catch (err) {
      outcome.discoveryFailed = String((err as Error).message ?? err);
      return outcome;
    }
    await Promise.all(
      resources.map(async (r) => {
        const client = ctx.client
          .resource({ group: r.group, version: r.version, resource: r.resource, namespaced: true })
          .namespace(namespace);
        try {
          const { items } = await client.list();
          await Promise.all(
            items
              .filter((o) => !o.metadata?.deletionTimestamp)
              .map((o) =>
                client
                  .delete(o.metadata?.name ?? "", { propagationPolicy: "Background" })
                  .catch((err) => {
                    if (!isNotFound(err)) throw err;
                  }),
              ),
          );
          const left = (await client.list()).items;
          if (left.length > 0) outcome.remaining.set(resourceLabel(r), left.length);
          for (const o of left) {
            for (const f of o.metadata?.finalizers ?? []) {
              outcome.finalizersRemaining.set(f, (outcome.finalizersRemaining.get(f) ?? 0) + 1);
            }
          }
        } catch (err) {
          if (isNotFound(err) || isMethodNotSupported(err)) return;
          outcome.contentFailures.push(
            `${resourceLabel(r)}: ${String((err as Error).message ?? err)}`,
          );
        }
      }),
    );
    return outcome;
  }
}

/** The deletion conditions replace their namesakes; other conditions stay. */
function mergeConditions(
  current: NamespaceCondition[],
  next: NamespaceCondition[],
): NamespaceCondition[] {
  const types = new Set(next.map((c) => c.type));
  const kept = current.filter((c) => !types.has(c.type));
  return [
    ...kept,
    ...next.map((c) => {
      const old = current.find((o) => o.type === c.type);
      return old && old.status === c.status && old.reason === c.reason && old.message === c.message
        ? old
        : c;
    }),
  ];
}

/** The `namespace` controller, on by default. */
export const namespaceControllerDescriptor: ControllerDescriptor = {
  name: NAME,
  enabledByDefault: true,
  start: (ctx, signal) => startNamespaceController(ctx, signal),
};

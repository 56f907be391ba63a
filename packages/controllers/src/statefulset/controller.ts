import { isAlreadyExists, type OwnerReference, splitMetaNamespaceKey } from "@kubekit/client";
import {
  type ControllerRevision,
  controllerRevisionName,
  revisionsOwnedBy,
  syncCurrentRevision,
  templateOfRevision,
} from "../common/controller-revisions.js";
import { enqueueEveryChange } from "../common/enqueue-handlers.js";
import { ControllerExpectations } from "../common/expectations.js";
import { controlledBy, ensureControllerIndex } from "../common/owner-index.js";
import { controllerKeyOf, controllerRefFor } from "../common/owner-references.js";
import { deletePods } from "../common/pod-control.js";
import { podExpectationHandlers } from "../common/pod-expectation-events.js";
import { ControllerResources } from "../common/resources.js";
import { templateHash } from "../common/template-hash.js";
import type { Pod, PodTemplateSpec } from "../common/types.js";
import { startSyncedWorkLoop } from "../common/work-loop.js";
import type { ControllerContext, ControllerDescriptor } from "../controller.js";
import { decideStatefulSet } from "./decide-statefulset.js";
import {
  claimsFor,
  newStatefulPod,
  type PersistentVolumeClaim,
  type StatefulSet,
} from "./stateful-pod.js";

const KIND = "StatefulSet";

/** The controller reference a StatefulSet puts on its pods and revisions. */
export function statefulSetControllerRef(sts: StatefulSet): OwnerReference {
  return controllerRefFor(sts, "apps/v1", KIND);
}

/**
 * Upstream's `statefulset` controller: pods with stable names, network
 * identities and claims, created and removed in ordinal order
 * (OrderedReady) or all at once (Parallel), updated from the highest
 * ordinal down to the partition, with template history in
 * ControllerRevisions.
 */
export const statefulSetController: ControllerDescriptor = {
  name: "statefulset",
  enabledByDefault: true,
  start(ctx: ControllerContext, signal: AbortSignal) {
    const sets = ctx.informers.informerFor<StatefulSet>(ControllerResources.statefulSets);
    const pods = ctx.informers.informerFor<Pod>(ControllerResources.pods);
    ensureControllerIndex(pods);
    const revisions = ctx.informers.informerFor<ControllerRevision>(
      ControllerResources.controllerRevisions,
    );
    const claims = ctx.informers.informerFor<PersistentVolumeClaim>(
      ControllerResources.persistentVolumeClaims,
    );
    const stsClient = ctx.client.resource<StatefulSet>(ControllerResources.statefulSets);
    const podClient = ctx.client.resource<Pod>(ControllerResources.pods);
    const revisionClient = ctx.client.resource<ControllerRevision>(
      ControllerResources.controllerRevisions,
    );
    const claimClient = ctx.client.resource<PersistentVolumeClaim>(
      ControllerResources.persistentVolumeClaims,
    );
    const recorder = ctx.eventRecorder("statefulset-controller");
    const now = () => ctx.clock.now();
    const expectations = new ControllerExpectations(ctx.clock);

    /** The revision of the current template, created if missing; returns the owned revisions too. */
    const syncRevisions = async (
      sts: StatefulSet,
    ): Promise<{ update: string; owned: ControllerRevision[] }> => {
      const namespace = sts.metadata?.namespace ?? "";
      // A collision count of 0 is left out of the hash, so revision names stay what they were.
      const hash = templateHash(sts.spec?.template, sts.status?.collisionCount || undefined);
      const owned = await syncCurrentRevision({
        owner: sts,
        ownerRef: statefulSetControllerRef(sts),
        hash,
        owned: revisionsOwnedBy(sts, revisions.lister().namespace(namespace).list()),
        client: revisionClient.namespace(namespace),
      });
      return { update: controllerRevisionName(sts, hash), owned };
    };

    const reconcile = async (key: string): Promise<void> => {
      const { namespace = "", name } = splitMetaNamespaceKey(key);
      const sts = sets.lister().namespace(namespace).get(name);
      if (!sts) {
        expectations.delete(key);
        return;
      }
      if (sts.metadata?.deletionTimestamp || !expectations.satisfied(key)) return;
      const owned = controlledBy(pods, namespace, sts.metadata?.uid);
      const { update, owned: revs } = await syncRevisions(sts);
      const currentName = sts.status?.currentRevision;
      const current =
        revs.some((r) => r.metadata?.name === currentName) && currentName ? currentName : update;
      const templates = new Map<string, PodTemplateSpec | undefined>([
        [update, sts.spec?.template],
        [
          current,
          current === update
            ? sts.spec?.template
            : templateOfRevision(revs.find((r) => r.metadata?.name === current)),
        ],
      ]);
      const decision = decideStatefulSet(sts, owned, current, update, now());

      const ns = podClient.namespace(namespace);
      if (decision.create.length > 0 || decision.delete.length > 0) {
        expectations.expect(key, decision.create.length, decision.delete.length);
      }
      for (const e of decision.events) recorder.event(sts, e.type, e.reason, e.message);
      await deletePods(
        { key, owner: sts, expectations, pods: ns, recorder },
        decision.delete,
        (podName) => `delete Pod ${podName} in StatefulSet ${name} successful`,
      );
      for (let i = 0; i < decision.create.length; i++) {
        const { ordinal, revision } = decision.create[i] as { ordinal: number; revision: string };
        const podName = `${name}-${ordinal}`;
        try {
          // Claims first, so the pod never starts without its storage.
          for (const claim of claimsFor(sts, ordinal)) {
            if (
              claims
                .lister()
                .namespace(namespace)
                .get(claim.metadata?.name ?? "")
            )
              continue;
            try {
              await claimClient.namespace(namespace).create(claim);
              recorder.event(
                sts,
                "Normal",
                "SuccessfulCreate",
                `create Claim ${claim.metadata?.name} Pod ${podName} in StatefulSet ${name} success`,
              );
            } catch (err) {
              if (!isAlreadyExists(err)) throw err;
            }
          }
          const template = templates.get(revision) ?? sts.spec?.template ?? {};
          await ns.create(
            newStatefulPod(sts, statefulSetControllerRef(sts), template, ordinal, revision),
          );
          recorder.event(
            sts,
            "Normal",
            "SuccessfulCreate",
            `create Pod ${podName} in StatefulSet ${name} successful`,
          );
        } catch (err) {
          for (let j = i; j < decision.create.length; j++) expectations.creationObserved(key);
          if (isAlreadyExists(err)) return; // a pod of that name is on its way out; its delete event requeues
          recorder.event(
            sts,
            "Warning",
            "FailedCreate",
            `create Pod ${podName} in StatefulSet ${name} failed error: ${String(err)}`,
          );
          throw err;
        }
      }
      const status = { ...sts.status, ...decision.status };
      if (JSON.stringify(status) !== JSON.stringify(sts.status ?? {})) {
        await stsClient.namespace(namespace).updateStatus({ ...sts, status });
      }
      const minReady = sts.spec?.minReadySeconds ?? 0;
      if (minReady > 0 && decision.status.readyReplicas > decision.status.availableReplicas) {
        queue.addAfter(key, minReady * 1000);
      }
    };

    const queue = startSyncedWorkLoop(ctx, "statefulset", signal, reconcile);
    sets.addEventHandler(enqueueEveryChange((key) => queue.add(key)));
    pods.addEventHandler(
      podExpectationHandlers<Pod>(
        expectations,
        (p) => controllerKeyOf(p, KIND),
        (key) => queue.add(key),
      ),
    );
  },
};

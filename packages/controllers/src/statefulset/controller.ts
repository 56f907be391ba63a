import {
  isAlreadyExists,
  isNotFound,
  type KubeObject,
  type OwnerReference,
  splitMetaNamespaceKey,
} from "@kubekit/client";
import type { ControllerContext, ControllerDescriptor } from "../controller.js";
import { ControllerExpectations } from "../workload-common/expectations.js";
import { keyOf, unwrap } from "../workload-common/owner-references.js";
import { WorkloadResources } from "../workload-common/resources.js";
import {
  type ControllerRevision,
  newControllerRevision,
  templateHash,
} from "../workload-common/revision-hash.js";
import { startQueue } from "../workload-common/run-queue.js";
import type { Pod, PodTemplateSpec } from "../workload-common/types.js";
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
  return {
    apiVersion: "apps/v1",
    kind: KIND,
    name: sts.metadata?.name ?? "",
    uid: sts.metadata?.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
}

const ownerKeyOf = (obj: KubeObject): string | undefined => {
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller && r.kind === KIND);
  return ref ? `${obj.metadata?.namespace}/${ref.name}` : undefined;
};

/** The template a revision recorded (see newControllerRevision). */
function templateOf(revision: ControllerRevision | undefined): PodTemplateSpec | undefined {
  const data = revision?.data as
    | { spec?: { template?: PodTemplateSpec & { $patch?: string } } }
    | undefined;
  const template = data?.spec?.template;
  if (!template) return undefined;
  const { $patch: _, ...rest } = template;
  return rest;
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
    const sets = ctx.informers.informerFor<StatefulSet>(WorkloadResources.statefulSets);
    const pods = ctx.informers.informerFor<Pod>(WorkloadResources.pods);
    const revisions = ctx.informers.informerFor<ControllerRevision>(
      WorkloadResources.controllerRevisions,
    );
    const claims = ctx.informers.informerFor<PersistentVolumeClaim>(
      WorkloadResources.persistentVolumeClaims,
    );
    const stsClient = ctx.client.resource<StatefulSet>(WorkloadResources.statefulSets);
    const podClient = ctx.client.resource<Pod>(WorkloadResources.pods);
    const revisionClient = ctx.client.resource<ControllerRevision>(
      WorkloadResources.controllerRevisions,
    );
    const claimClient = ctx.client.resource<PersistentVolumeClaim>(
      WorkloadResources.persistentVolumeClaims,
    );
    const recorder = ctx.eventRecorder("statefulset-controller");
    const now = () => ctx.clock.now();
    const expectations = new ControllerExpectations(now);

    /** The revision of the current template, created if missing; returns the owned revisions too. */
    const syncRevisions = async (
      sts: StatefulSet,
    ): Promise<{ update: string; owned: ControllerRevision[] }> => {
      const namespace = sts.metadata?.namespace ?? "";
      const owned = revisions
        .lister()
        .namespace(namespace)
        .list()
        .filter((r) => r.metadata?.ownerReferences?.some((o) => o.uid === sts.metadata?.uid));
      const hash = templateHash(sts.spec?.template, sts.status?.collisionCount ?? 0);
      const name = `${sts.metadata?.name}-${hash}`;
      const maxRevision = Math.max(0, ...owned.map((r) => r.revision ?? 0));
      const existing = owned.find((r) => r.metadata?.name === name);
      if (!existing) {
        const revision = newControllerRevision(
          sts,
          statefulSetControllerRef(sts),
          sts.spec?.template,
          hash,
          maxRevision + 1,
          sts.spec?.template?.metadata?.labels ?? {},
        );
        try {
          owned.push(await revisionClient.namespace(namespace).create(revision));
        } catch (err) {
          if (!isAlreadyExists(err)) throw err;
        }
      } else if ((existing.revision ?? 0) < maxRevision) {
        await revisionClient
          .namespace(namespace)
          .update({ ...existing, revision: maxRevision + 1 });
      }
      return { update: name, owned };
    };

    const reconcile = async (key: string): Promise<void> => {
      const { namespace = "", name } = splitMetaNamespaceKey(key);
      const sts = sets.lister().namespace(namespace).get(name);
      if (!sts) {
        expectations.delete(key);
        return;
      }
      if (sts.metadata?.deletionTimestamp || !expectations.satisfied(key)) return;
      const owned = pods
        .lister()
        .namespace(namespace)
        .list()
        .filter((p) =>
          p.metadata?.ownerReferences?.some((r) => r.controller && r.uid === sts.metadata?.uid),
        );
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
            : templateOf(revs.find((r) => r.metadata?.name === current)),
        ],
      ]);
      const decision = decideStatefulSet(sts, owned, current, update, now());

      const ns = podClient.namespace(namespace);
      if (decision.create.length > 0 || decision.delete.length > 0) {
        expectations.expect(key, decision.create.length, decision.delete.length);
      }
      for (const e of decision.events) recorder.event(sts, e.type, e.reason, e.message);
      for (const pod of decision.delete) {
        try {
          await ns.delete(pod.metadata?.name ?? "");
          recorder.event(
            sts,
            "Normal",
            "SuccessfulDelete",
            `delete Pod ${pod.metadata?.name} in StatefulSet ${name} successful`,
          );
        } catch (err) {
          expectations.deletionObserved(key);
          if (!isNotFound(err)) throw err;
        }
      }
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

    const queue = startQueue(ctx, signal, "statefulset", reconcile);
    sets.addEventHandler({
      onAdd: (s) => queue.add(keyOf(s)),
      onUpdate: (_o, s) => queue.add(keyOf(s)),
      onDelete: (s) => queue.add(keyOf(unwrap(s))),
    });
    pods.addEventHandler({
      onAdd: (p) => {
        const key = ownerKeyOf(p);
        if (!key) return;
        expectations.creationObserved(key);
        queue.add(key);
      },
      onUpdate: (o, p) => {
        const key = ownerKeyOf(p);
        if (!key) return;
        if (!o.metadata?.deletionTimestamp && p.metadata?.deletionTimestamp)
          expectations.deletionObserved(key);
        queue.add(key);
      },
      onDelete: (d) => {
        const p = unwrap(d);
        const key = ownerKeyOf(p);
        if (!key) return;
        if (!p.metadata?.deletionTimestamp) expectations.deletionObserved(key);
        queue.add(key);
      },
    });
  },
};

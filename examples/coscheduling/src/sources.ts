/**
 * Two PodGroupSources: informers on the apiserver (what the scheduler
 * command hands plugins through `handle.informerFactory`), and plain maps
 * for tests and embedders.
 */
import type { KubeObject, SharedInformerFactory } from "@kubekit/client";
import { Resources } from "@kubekit/client";
import { type Pod, podKey } from "@kubekit/scheduler-plugins";
import { POD_GROUP_LABEL, POD_GROUPS, type PodGroup, type PodGroupSource } from "./pod-group.js";

const BY_GROUP = "scheduling.x-k8s.io/pod-group";

function finished(pod: Pod): boolean {
  return pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
}

/**
 * PodGroups and pods from informers of `factory` (a PodGroup informer on the
 * dynamic client, and the shared pod informer with an index by group). Ask
 * before the factory starts, as upstream plugins do in their factory.
 */
export function informerPodGroupSource(factory: SharedInformerFactory): PodGroupSource {
  const groups = factory.informerFor<KubeObject>(POD_GROUPS);
  const pods = factory.informerFor<KubeObject>(Resources.pods, {
    indexers: {
      [BY_GROUP]: (obj) => {
        const p = obj as unknown as Pod;
        const g = p.metadata.labels?.[POD_GROUP_LABEL];
        return g ? [`${p.metadata.namespace ?? "default"}/${g}`] : [];
      },
    },
  });
  return {
    podGroup: (namespace, name) =>
      groups.indexer.getByKey(`${namespace}/${name}`) as unknown as PodGroup | undefined,
    podsOf: (namespace, name) =>
      (pods.indexer.byIndex(BY_GROUP, `${namespace}/${name}`) as unknown as Pod[]).filter(
        (p) => !finished(p),
      ),
  };
}

/** A PodGroupSource over maps the caller fills (tests, simulations). */
export class InMemoryPodGroupSource implements PodGroupSource {
  readonly groups = new Map<string, PodGroup>();
  readonly pods = new Map<string, Pod>();

  addGroup(group: PodGroup): void {
    this.groups.set(`${group.metadata.namespace ?? "default"}/${group.metadata.name}`, group);
  }

  addPod(pod: Pod): void {
    this.pods.set(podKey(pod), pod);
  }

  podGroup(namespace: string, name: string): PodGroup | undefined {
    return this.groups.get(`${namespace}/${name}`);
  }

  podsOf(namespace: string, name: string): Pod[] {
    return [...this.pods.values()].filter(
      (p) =>
        (p.metadata.namespace ?? "default") === namespace &&
        p.metadata.labels?.[POD_GROUP_LABEL] === name &&
        !finished(p),
    );
  }
}

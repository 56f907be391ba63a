import {
  type Clock,
  type KubeObject,
  listerWatcherFor,
  type ResourceClient,
  SharedInformer,
} from "@kubekit/client";
import type { Pod } from "../api/types.js";
import type { PodSource } from "../runtime/seams.js";
import { podUpdateNeedsSync } from "./pod-change.js";
import { isMirrorPod } from "./static-pods.js";

/** Settings of an {@link ApiPodSource}. */
export interface ApiPodSourceOptions {
  pods: ResourceClient<KubeObject>;
  nodeName: string;
  clock: Clock;
  /** Called after a pod of this node was added or removed, or its spec or metadata changed. */
  onChange?: (pod: Pod) => void;
  onError?: (error: unknown) => void;
}

/**
 * The pods bound to this node, from the apiserver: an informer on pods
 * with `fieldSelector=spec.nodeName=<node>` (what upstream's kubelet
 * watches). Mirror pods are left out: their static pods run from files.
 */
export class ApiPodSource implements PodSource {
  readonly informer: SharedInformer<KubeObject>;

  constructor(options: ApiPodSourceOptions) {
    this.informer = new SharedInformer<KubeObject>({
      listerWatcher: listerWatcherFor(options.pods, {
        fieldSelector: `spec.nodeName=${options.nodeName}`,
      }),
      clock: options.clock,
      name: `pods@${options.nodeName}`,
      ...(options.onError ? { onError: options.onError } : {}),
    });
    const onChange = options.onChange;
    if (onChange) {
      this.informer.addEventHandler({
        onAdd: (obj) => onChange(obj as unknown as Pod),
        onUpdate: (old, obj) => {
          if (podUpdateNeedsSync(old as unknown as Pod, obj as unknown as Pod)) {
            onChange(obj as unknown as Pod);
          }
        },
        onDelete: (obj) => onChange(("obj" in obj ? obj.obj : obj) as unknown as Pod),
      });
    }
  }

  /** Lists and watches until `signal` aborts. */
  run(signal: AbortSignal): Promise<void> {
    return this.informer.run(signal);
  }

  hasSynced(): boolean {
    return this.informer.hasSynced();
  }

  pods(): readonly Pod[] {
    return (this.informer.indexer.list() as unknown as Pod[]).filter((pod) => !isMirrorPod(pod));
  }

  /** The API's copy of a pod, by namespace and name. */
  get(namespace: string, name: string): Pod | undefined {
    return this.informer.lister().namespace(namespace).get(name) as unknown as Pod | undefined;
  }
}

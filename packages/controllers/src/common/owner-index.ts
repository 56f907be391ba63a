import { getControllerOf, type KubeObject, type SharedInformer } from "@kubekit/client";

/** The informer index of objects by `namespace/controller-uid` (`namespace/` for orphans). */
export const CONTROLLER_INDEX = "kubekit.io/controller";

const controllerIndexValue = (obj: KubeObject): string[] => [
  `${obj.metadata?.namespace ?? ""}/${getControllerOf(obj)?.uid ?? ""}`,
];

/** Adds the controller index to `informer` unless another controller already did (before it starts). */
export function ensureControllerIndex<T extends KubeObject>(informer: SharedInformer<T>): void {
  if (!informer.indexer.hasIndex(CONTROLLER_INDEX)) {
    informer.addIndexers({ [CONTROLLER_INDEX]: controllerIndexValue });
  }
}

/**
 * The objects in `namespace` controlled by `uid`, and the orphans there:
 * everything a controller may keep, release or adopt, without scanning the
 * whole namespace (upstream lists the namespace; the result is the same).
 */
export function ownedAndOrphans<T extends KubeObject>(
  informer: SharedInformer<T>,
  namespace: string,
  uid: string,
): T[] {
  if (uid === "") return informer.indexer.byIndex(CONTROLLER_INDEX, `${namespace}/`);
  return [
    ...informer.indexer.byIndex(CONTROLLER_INDEX, `${namespace}/${uid}`),
    ...informer.indexer.byIndex(CONTROLLER_INDEX, `${namespace}/`),
  ];
}

/** The objects in `namespace` whose controller reference names `uid`, from the controller index. */
export function controlledBy<T extends KubeObject>(
  informer: SharedInformer<T>,
  namespace: string,
  uid: string | undefined,
): T[] {
  if (!uid) return [];
  return informer.indexer.byIndex(CONTROLLER_INDEX, `${namespace}/${uid}`);
}

import type { ResourceDefinition } from "../registry/resource.js";
import { isRecord, type KubeObject } from "../types/object.js";

type Obj = Record<string, unknown>;

const child = (parent: Obj, key: string): Obj => {
  if (!isRecord(parent[key])) parent[key] = {};
  return parent[key] as Obj;
};

/**
 * A Job without `spec.manualSelector: true` gets its selector from the
 * server, as upstream's job strategy generates it once the uid is known:
 * the pod template is labelled with the Job's uid and name (the
 * `batch.kubernetes.io/` labels and the legacy `controller-uid` and
 * `job-name`), and a missing selector becomes `controller-uid = uid`.
 */
export function generateJobSelector(job: KubeObject): void {
  const spec = isRecord(job.spec) ? (job.spec as Obj) : undefined;
  const uid = job.metadata?.uid;
  const name = job.metadata?.name;
  if (!spec || spec.manualSelector === true || !uid || !name) return;
  const labels = child(child(spec, "template"), "metadata");
  const templateLabels = child(labels, "labels");
  for (const [key, value] of [
    ["batch.kubernetes.io/controller-uid", uid],
    ["batch.kubernetes.io/job-name", name],
    ["controller-uid", uid],
    ["job-name", name],
  ] as const) {
    if (templateLabels[key] === undefined) templateLabels[key] = value;
  }
  if (spec.selector === undefined) {
    spec.selector = { matchLabels: { "batch.kubernetes.io/controller-uid": uid } };
  }
}

const NOT_READY = "node.kubernetes.io/not-ready";
const UNREACHABLE = "node.kubernetes.io/unreachable";
/** Upstream's `--default-not-ready-toleration-seconds` and `--default-unreachable-toleration-seconds`. */
export const DEFAULT_TOLERATION_SECONDS = 300;

/**
 * The DefaultTolerationSeconds admission plugin: a new pod that does not
 * already tolerate the NoExecute `not-ready` / `unreachable` node taints
 * gets a 300 s toleration for each, so it is evicted 5 minutes after its
 * node fails rather than at once.
 */
export function addDefaultTolerations(pod: KubeObject): void {
  const spec = isRecord(pod.spec) ? (pod.spec as Obj) : undefined;
  if (!spec) return;
  const tolerations = Array.isArray(spec.tolerations) ? (spec.tolerations as unknown[]) : [];
  const tolerates = (key: string): boolean =>
    tolerations.some(
      (t) => isRecord(t) && (t.key === key || !t.key) && (t.effect === "NoExecute" || !t.effect),
    );
  const added: Obj[] = [];
  for (const key of [NOT_READY, UNREACHABLE]) {
    if (!tolerates(key)) {
      added.push({
        key,
        operator: "Exists",
        effect: "NoExecute",
        tolerationSeconds: DEFAULT_TOLERATION_SECONDS,
      });
    }
  }
  if (added.length > 0) spec.tolerations = [...tolerations, ...added];
}

/** Create-time mutations that need the server's metadata (uid): what upstream does in strategies and admission. */
export function mutateOnCreate(def: ResourceDefinition, obj: KubeObject): KubeObject {
  if (def.group === "batch" && def.resource === "jobs") generateJobSelector(obj);
  if (def.group === "" && def.resource === "pods") addDefaultTolerations(obj);
  return obj;
}

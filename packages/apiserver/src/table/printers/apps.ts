import { containersAndImages, formatLabelSelector, formatLabels, get, num } from "../format.js";
import { age } from "../human-duration.js";
import { AGE_COLUMN, column, NAME_COLUMN, type RowPrinter } from "../table.js";

const CONTAINERS = column(
  "Containers",
  "string",
  "Names of the containers in the pod template.",
  1,
);
const IMAGES = column("Images", "string", "Images of the containers in the pod template.", 1);
const SELECTOR = column("Selector", "string", "The label selector of the pods it controls.", 1);

/** Deployments: Name, Ready, Up-to-date, Available, Age, Containers, Images, Selector. */
export const deploymentPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Ready", "string", "Ready replicas out of desired replicas."),
    column("Up-to-date", "integer", "Replicas running the latest pod template."),
    column("Available", "integer", "Replicas available to users."),
    AGE_COLUMN,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  cells(obj, now) {
    const [containers, images] = containersAndImages(get(obj.spec, "template", "spec"));
    return [
      obj.metadata?.name ?? "",
      `${num(obj.status, "readyReplicas")}/${num(obj.spec, "replicas")}`,
      num(obj.status, "updatedReplicas"),
      num(obj.status, "availableReplicas"),
      age(obj.metadata?.creationTimestamp, now),
      containers,
      images,
      formatLabelSelector(get(obj.spec, "selector")),
    ];
  },
};

/** ReplicaSets (and ReplicationControllers): Name, Desired, Current, Ready, Age, Containers, Images, Selector. */
export const replicaSetPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Desired", "integer", "Desired replicas."),
    column("Current", "integer", "Replicas that exist."),
    column("Ready", "integer", "Ready replicas."),
    AGE_COLUMN,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  cells(obj, now) {
    const [containers, images] = containersAndImages(get(obj.spec, "template", "spec"));
    const selector = get(obj.spec, "selector");
    // A ReplicationController's selector is a plain label map.
    const printed =
      obj.kind === "ReplicationController" ? formatLabels(selector) : formatLabelSelector(selector);
    return [
      obj.metadata?.name ?? "",
      num(obj.spec, "replicas"),
      num(obj.status, "replicas"),
      num(obj.status, "readyReplicas"),
      age(obj.metadata?.creationTimestamp, now),
      containers,
      images,
      printed,
    ];
  },
};

/** StatefulSets: Name, Ready, Age, Containers, Images. */
export const statefulSetPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Ready", "string", "Ready replicas out of desired replicas."),
    AGE_COLUMN,
    CONTAINERS,
    IMAGES,
  ],
  cells(obj, now) {
    const [containers, images] = containersAndImages(get(obj.spec, "template", "spec"));
    return [
      obj.metadata?.name ?? "",
      `${num(obj.status, "readyReplicas")}/${num(obj.spec, "replicas")}`,
      age(obj.metadata?.creationTimestamp, now),
      containers,
      images,
    ];
  },
};

/** DaemonSets: Name, Desired, Current, Ready, Up-to-date, Available, Node Selector, Age, Containers, Images, Selector. */
export const daemonSetPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Desired", "integer", "Nodes that should run the daemon pod."),
    column("Current", "integer", "Nodes running the daemon pod."),
    column("Ready", "integer", "Nodes whose daemon pod is ready."),
    column("Up-to-date", "integer", "Nodes running the latest pod template."),
    column("Available", "integer", "Nodes whose daemon pod is available."),
    column("Node Selector", "string", "The node selector of the pod template."),
    AGE_COLUMN,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  cells(obj, now) {
    const podSpec = get(obj.spec, "template", "spec");
    const [containers, images] = containersAndImages(podSpec);
    return [
      obj.metadata?.name ?? "",
      num(obj.status, "desiredNumberScheduled"),
      num(obj.status, "currentNumberScheduled"),
      num(obj.status, "numberReady"),
      num(obj.status, "updatedNumberScheduled"),
      num(obj.status, "numberAvailable"),
      formatLabels(get(podSpec, "nodeSelector")),
      age(obj.metadata?.creationTimestamp, now),
      containers,
      images,
      formatLabelSelector(get(obj.spec, "selector")),
    ];
  },
};

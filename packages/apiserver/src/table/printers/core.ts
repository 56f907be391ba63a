import { isRecord } from "../../types/object.js";
import { arr, formatLabels, get, num, orNone, str } from "../format.js";
import { age } from "../human-duration.js";
import { AGE_COLUMN, column, NAME_COLUMN, type RowPrinter } from "../table.js";

/** Namespaces: Name, Status, Age. */
export const namespacePrinter: RowPrinter = {
  columns: [NAME_COLUMN, column("Status", "string", "The namespace's phase."), AGE_COLUMN],
  cells: (obj, now) => [
    obj.metadata?.name ?? "",
    str(obj.status, "phase"),
    age(obj.metadata?.creationTimestamp, now),
  ],
};

/** ConfigMaps: Name, Data, Age. */
export const configMapPrinter: RowPrinter = {
  columns: [NAME_COLUMN, column("Data", "integer", "Number of keys."), AGE_COLUMN],
  cells: (obj, now) => {
    const count = (v: unknown): number => (isRecord(v) ? Object.keys(v).length : 0);
    return [
      obj.metadata?.name ?? "",
      count(obj.data) + count(obj.binaryData),
      age(obj.metadata?.creationTimestamp, now),
    ];
  },
};

/** Secrets: Name, Type, Data, Age. */
export const secretPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Type", "string", "The secret's type."),
    column("Data", "integer", "Number of keys."),
    AGE_COLUMN,
  ],
  cells: (obj, now) => [
    obj.metadata?.name ?? "",
    typeof obj.type === "string" ? obj.type : "",
    isRecord(obj.data) ? Object.keys(obj.data).length : 0,
    age(obj.metadata?.creationTimestamp, now),
  ],
};

/** ServiceAccounts: Name, Secrets, Age. */
export const serviceAccountPrinter: RowPrinter = {
  columns: [NAME_COLUMN, column("Secrets", "integer", "Number of token secrets."), AGE_COLUMN],
  cells: (obj, now) => [
    obj.metadata?.name ?? "",
    arr(obj, "secrets").length,
    age(obj.metadata?.creationTimestamp, now),
  ],
};

function servicePorts(spec: unknown): string {
  const ports = arr(spec, "ports").map((p) => {
    const nodePort = num(p, "nodePort");
    const protocol = str(p, "protocol") || "TCP";
    return nodePort > 0
      ? `${num(p, "port")}:${nodePort}/${protocol}`
      : `${num(p, "port")}/${protocol}`;
  });
  return orNone(ports.join(","));
}

function externalIp(spec: unknown, status: unknown): string {
  const external = arr(spec, "externalIPs").map(String);
  switch (str(spec, "type")) {
    case "ExternalName":
      return str(spec, "externalName");
    case "LoadBalancer": {
      const ingress = arr(get(status, "loadBalancer"), "ingress").map(
        (i) => str(i, "ip") || str(i, "hostname"),
      );
      const all = [...ingress, ...external].filter((s) => s !== "");
      return all.length > 0 ? all.join(",") : "<pending>";
    }
    default:
      return orNone(external.join(","));
  }
}

/** Services: Name, Type, Cluster-IP, External-IP, Port(s), Age, Selector. */
export const servicePrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Type", "string", "How the service is exposed."),
    column("Cluster-IP", "string", "The virtual IP inside the cluster."),
    column("External-IP", "string", "Addresses reachable from outside the cluster."),
    column("Port(s)", "string", "The ports the service exposes."),
    AGE_COLUMN,
    column("Selector", "string", "The labels of the pods it routes to.", 1),
  ],
  cells: (obj, now) => [
    obj.metadata?.name ?? "",
    str(obj.spec, "type"),
    orNone(str(obj.spec, "clusterIP")),
    externalIp(obj.spec, obj.status),
    servicePorts(obj.spec),
    age(obj.metadata?.creationTimestamp, now),
    formatLabels(get(obj.spec, "selector")),
  ],
};

function nodeStatus(node: unknown): string {
  const ready = arr(get(node, "status"), "conditions").find((c) => str(c, "type") === "Ready");
  const states = [
    ready === undefined ? "Unknown" : str(ready, "status") === "True" ? "Ready" : "NotReady",
  ];
  if (get(node, "spec", "unschedulable") === true) states.push("SchedulingDisabled");
  return states.join(",");
}

function nodeRoles(labels: unknown): string {
  if (!isRecord(labels)) return "<none>";
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels)) {
    if (k.startsWith("node-role.kubernetes.io/"))
      roles.add(k.slice("node-role.kubernetes.io/".length));
    else if (k === "kubernetes.io/role" && typeof v === "string" && v !== "") roles.add(v);
  }
  return orNone(
    [...roles]
      .filter((r) => r !== "")
      .sort()
      .join(","),
  );
}

const address = (node: unknown, type: string): string =>
  orNone(
    str(
      arr(get(node, "status"), "addresses").find((a) => str(a, "type") === type),
      "address",
    ),
  );

/** Nodes: Name, Status, Roles, Age, Version, and wide addresses, OS image, kernel, runtime. */
export const nodePrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Status", "string", "Whether the node is ready and schedulable."),
    column("Roles", "string", "The node's roles."),
    AGE_COLUMN,
    column("Version", "string", "The kubelet's version."),
    column("Internal-IP", "string", "The node's internal address.", 1),
    column("External-IP", "string", "The node's external address.", 1),
    column("OS-Image", "string", "The node's OS image.", 1),
    column("Kernel-Version", "string", "The node's kernel.", 1),
    column("Container-Runtime", "string", "The container runtime and version.", 1),
  ],
  cells: (obj, now) => [
    obj.metadata?.name ?? "",
    nodeStatus(obj),
    nodeRoles(obj.metadata?.labels),
    age(obj.metadata?.creationTimestamp, now),
    str(obj.status, "nodeInfo", "kubeletVersion"),
    address(obj, "InternalIP"),
    address(obj, "ExternalIP"),
    orNone(str(obj.status, "nodeInfo", "osImage")),
    orNone(str(obj.status, "nodeInfo", "kernelVersion")),
    orNone(str(obj.status, "nodeInfo", "containerRuntimeVersion")),
  ],
};

import { isRecord, type KubeObject } from "../../types/object.js";
import { arr, get, orNone, str } from "../format.js";
import { age } from "../human-duration.js";
import { AGE_COLUMN, column, NAME_COLUMN, type RowPrinter } from "../table.js";

const CREATED_AT = column("Created At", "date", "When the object was created.");

function endpointAddresses(obj: KubeObject): string {
  const subsets = arr(obj, "subsets");
  const all: string[] = [];
  for (const subset of subsets) {
    const ports = arr(subset, "ports");
    for (const address of arr(subset, "addresses")) {
      const ip = str(address, "ip");
      if (ports.length === 0) all.push(ip);
      for (const port of ports) all.push(`${ip}:${get(port, "port") ?? ""}`);
    }
  }
  if (all.length === 0) return "<none>";
  // kubectl shows three and counts the rest.
  return all.length > 3
    ? `${all.slice(0, 3).join(",")} + ${all.length - 3} more...`
    : all.join(",");
}

/** Endpoints: Name, Endpoints, Age. */
export const endpointsPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Endpoints", "string", "The endpoint addresses and ports."),
    AGE_COLUMN,
  ],
  cells: (obj, now) => [
    obj.metadata?.name ?? "",
    endpointAddresses(obj),
    age(obj.metadata?.creationTimestamp, now),
  ],
};

function accessModes(modes: unknown[]): string {
  const short: Record<string, string> = {
    ReadWriteOnce: "RWO",
    ReadOnlyMany: "ROX",
    ReadWriteMany: "RWX",
    ReadWriteOncePod: "RWOP",
  };
  return modes.map((m) => short[String(m)] ?? String(m)).join(",");
}

/** PersistentVolumeClaims: Name, Status, Volume, Capacity, Access Modes, StorageClass, VolumeAttributesClass, Age, VolumeMode. */
export const pvcPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Status", "string", "The claim's phase."),
    column("Volume", "string", "The bound volume."),
    column("Capacity", "string", "The bound capacity."),
    column("Access Modes", "string", "How the volume may be mounted."),
    column("StorageClass", "string", "The storage class asked for."),
    column("VolumeAttributesClass", "string", "The volume attributes class."),
    AGE_COLUMN,
    column("VolumeMode", "string", "Filesystem or Block.", 1),
  ],
  cells: (obj, now) => {
    const bound = str(obj.status, "phase") === "Bound";
    return [
      obj.metadata?.name ?? "",
      str(obj.status, "phase"),
      str(obj.spec, "volumeName"),
      bound ? str(obj.status, "capacity", "storage") : "",
      bound ? accessModes(arr(obj.status, "accessModes")) : "",
      str(obj.spec, "storageClassName"),
      orNone(str(obj.spec, "volumeAttributesClassName")),
      age(obj.metadata?.creationTimestamp, now),
      orNone(str(obj.spec, "volumeMode")),
    ];
  },
};

/** PersistentVolumes: Name, Capacity, Access Modes, Reclaim Policy, Status, Claim, StorageClass, VolumeAttributesClass, Reason, Age, VolumeMode. */
export const pvPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Capacity", "string", "The volume's capacity."),
    column("Access Modes", "string", "How the volume may be mounted."),
    column("Reclaim Policy", "string", "What happens when the claim goes."),
    column("Status", "string", "The volume's phase."),
    column("Claim", "string", "The claim bound to it."),
    column("StorageClass", "string", "The volume's storage class."),
    column("VolumeAttributesClass", "string", "The volume attributes class."),
    column("Reason", "string", "Why the volume is in this phase."),
    AGE_COLUMN,
    column("VolumeMode", "string", "Filesystem or Block.", 1),
  ],
  cells: (obj, now) => {
    const claim = get(obj.spec, "claimRef");
    return [
      obj.metadata?.name ?? "",
      str(obj.spec, "capacity", "storage"),
      accessModes(arr(obj.spec, "accessModes")),
      str(obj.spec, "persistentVolumeReclaimPolicy"),
      str(obj.status, "phase"),
      claim === undefined ? "" : `${str(claim, "namespace")}/${str(claim, "name")}`,
      str(obj.spec, "storageClassName"),
      orNone(str(obj.spec, "volumeAttributesClassName")),
      str(obj.status, "reason"),
      age(obj.metadata?.creationTimestamp, now),
      orNone(str(obj.spec, "volumeMode")),
    ];
  },
};

const DEFAULT_CLASS_ANNOTATIONS = [
  "storageclass.kubernetes.io/is-default-class",
  "storageclass.beta.kubernetes.io/is-default-class",
];

/** StorageClasses: Name (marked default), Provisioner, ReclaimPolicy, VolumeBindingMode, AllowVolumeExpansion, Age. */
export const storageClassPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Provisioner", "string", "The volume plugin that provisions volumes."),
    column("ReclaimPolicy", "string", "What happens to released volumes."),
    column("VolumeBindingMode", "string", "When volumes are bound."),
    column("AllowVolumeExpansion", "string", "Whether claims may grow."),
    AGE_COLUMN,
  ],
  cells: (obj, now) => {
    const annotations = obj.metadata?.annotations ?? {};
    const isDefault = DEFAULT_CLASS_ANNOTATIONS.some((a) => annotations[a] === "true");
    return [
      `${obj.metadata?.name ?? ""}${isDefault ? " (default)" : ""}`,
      typeof obj.provisioner === "string" ? obj.provisioner : "",
      typeof obj.reclaimPolicy === "string" ? obj.reclaimPolicy : "Delete",
      typeof obj.volumeBindingMode === "string" ? obj.volumeBindingMode : "Immediate",
      String(obj.allowVolumeExpansion === true),
      age(obj.metadata?.creationTimestamp, now),
    ];
  },
};

/** Leases: Name, Holder, Age. */
export const leasePrinter: RowPrinter = {
  columns: [NAME_COLUMN, column("Holder", "string", "Who holds the lease."), AGE_COLUMN],
  cells: (obj, now) => [
    obj.metadata?.name ?? "",
    str(obj.spec, "holderIdentity"),
    age(obj.metadata?.creationTimestamp, now),
  ],
};

/** Roles and ClusterRoles: Name, Created At. */
export const rolePrinter: RowPrinter = {
  columns: [NAME_COLUMN, CREATED_AT],
  cells: (obj) => [obj.metadata?.name ?? "", obj.metadata?.creationTimestamp ?? null],
};

function subjects(obj: KubeObject, kind: string): string {
  return arr(obj, "subjects")
    .filter((s) => str(s, "kind") === kind)
    .map((s) =>
      kind === "ServiceAccount" ? `${str(s, "namespace")}/${str(s, "name")}` : str(s, "name"),
    )
    .join(", ");
}

/** RoleBindings and ClusterRoleBindings: Name, Role, Age, Users, Groups, ServiceAccounts. */
export const roleBindingPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Role", "string", "The role bound."),
    AGE_COLUMN,
    column("Users", "string", "Users bound.", 1),
    column("Groups", "string", "Groups bound.", 1),
    column("ServiceAccounts", "string", "Service accounts bound.", 1),
  ],
  cells: (obj, now) => {
    const ref = isRecord(obj.roleRef) ? obj.roleRef : {};
    return [
      obj.metadata?.name ?? "",
      `${String(ref.kind ?? "")}/${String(ref.name ?? "")}`,
      age(obj.metadata?.creationTimestamp, now),
      subjects(obj, "User"),
      subjects(obj, "Group"),
      subjects(obj, "ServiceAccount"),
    ];
  },
};

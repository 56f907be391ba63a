import { customResourcePrinter } from "../crd/printer-columns.js";
import type { ResourceDefinition } from "../registry/resource.js";
import type { KubeObject } from "../types/object.js";
import {
  daemonSetPrinter,
  deploymentPrinter,
  replicaSetPrinter,
  statefulSetPrinter,
} from "./printers/apps.js";
import { cronJobPrinter, jobPrinter } from "./printers/batch.js";
import {
  endpointsPrinter,
  leasePrinter,
  pvcPrinter,
  pvPrinter,
  roleBindingPrinter,
  rolePrinter,
  storageClassPrinter,
} from "./printers/cluster.js";
import {
  configMapPrinter,
  namespacePrinter,
  nodePrinter,
  secretPrinter,
  serviceAccountPrinter,
  servicePrinter,
} from "./printers/core.js";
import { eventPrinter } from "./printers/event.js";
import { podPrinter } from "./printers/pod.js";
import {
  column,
  type IncludeObject,
  NAME_COLUMN,
  partialObjectMetadata,
  type RowPrinter,
  type Table,
} from "./table.js";

/** What resources without their own printer show: Name and Created At, as upstream's default. */
export const defaultPrinter: RowPrinter = {
  columns: [NAME_COLUMN, column("Created At", "date", "When the object was created.")],
  cells: (obj) => [obj.metadata?.name ?? "", obj.metadata?.creationTimestamp ?? null],
};

const PRINTERS: Record<string, RowPrinter> = {
  "/pods": podPrinter,
  "/namespaces": namespacePrinter,
  "/configmaps": configMapPrinter,
  "/secrets": secretPrinter,
  "/serviceaccounts": serviceAccountPrinter,
  "/services": servicePrinter,
  "/nodes": nodePrinter,
  "/replicationcontrollers": replicaSetPrinter,
  "apps/deployments": deploymentPrinter,
  "apps/replicasets": replicaSetPrinter,
  "apps/statefulsets": statefulSetPrinter,
  "apps/daemonsets": daemonSetPrinter,
  "batch/jobs": jobPrinter,
  "batch/cronjobs": cronJobPrinter,
  "/events": eventPrinter,
  "/endpoints": endpointsPrinter,
  "/persistentvolumeclaims": pvcPrinter,
  "/persistentvolumes": pvPrinter,
  "storage.k8s.io/storageclasses": storageClassPrinter,
  "coordination.k8s.io/leases": leasePrinter,
  "rbac.authorization.k8s.io/roles": rolePrinter,
  "rbac.authorization.k8s.io/clusterroles": rolePrinter,
  "rbac.authorization.k8s.io/rolebindings": roleBindingPrinter,
  "rbac.authorization.k8s.io/clusterrolebindings": roleBindingPrinter,
};

/** The printer for a resource (the default one when it has none of its own). */
export function printerFor(
  def: Pick<ResourceDefinition, "group" | "resource" | "custom">,
): RowPrinter {
  if (def.custom) return customResourcePrinter(def.custom.printerColumns);
  return PRINTERS[`${def.group}/${def.resource}`] ?? defaultPrinter;
}

/** Options of a Table conversion. */
export interface TableOptions {
  now: Date;
  includeObject?: IncludeObject;
  /** Leave out the column definitions (kubectl's `--no-headers` on later pages). */
  noHeaders?: boolean;
  resourceVersion?: string;
  continue?: string;
}

/**
 * Converts objects to a metav1.Table with the columns kubectl shows for
 * their resource. Each row carries the object's metadata (the default
 * includeObject=Metadata), the whole object, or nothing.
 */
export function toTable(
  def: Pick<ResourceDefinition, "group" | "resource" | "custom">,
  objects: readonly KubeObject[],
  opts: TableOptions,
): Table {
  const printer = printerFor(def);
  const include = opts.includeObject ?? "Metadata";
  const metadata: Table["metadata"] = {};
  if (opts.resourceVersion !== undefined) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata,
    columnDefinitions: opts.noHeaders ? [] : [...printer.columns],
    rows: objects.map((obj) => {
      const row: Table["rows"][number] = { cells: printer.cells(obj, opts.now) };
      const conditions = printer.conditions?.(obj);
      if (conditions) row.conditions = conditions;
      if (include === "Metadata") row.object = partialObjectMetadata(obj);
      else if (include === "Object") row.object = obj;
      return row;
    }),
  };
}

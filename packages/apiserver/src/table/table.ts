import type { KubeObject, ObjectMeta } from "../types/object.js";

/** metav1.TableColumnDefinition. */
export interface TableColumnDefinition {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  format: string;
  description: string;
  /** 0 for columns kubectl always shows, 1 for `-o wide` ones. */
  priority: number;
}

/** A cell value. */
export type TableCell = string | number | boolean | null;

/** metav1.TableRow. */
export interface TableRow {
  cells: TableCell[];
  conditions?: { type: "Completed"; status: "True" | "False"; reason?: string; message?: string }[];
  object?: KubeObject;
}

/** metav1.Table: what `kubectl get` asks for with `Accept: ...;as=Table;g=meta.k8s.io;v=v1`. */
export interface Table {
  kind: "Table";
  apiVersion: "meta.k8s.io/v1" | "meta.k8s.io/v1beta1";
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

/** How much of each object to put in the rows (the `includeObject` query parameter). */
export type IncludeObject = "None" | "Metadata" | "Object";

/** Prints one object into the cells of its row. */
export interface RowPrinter {
  columns: readonly TableColumnDefinition[];
  cells(obj: KubeObject, now: Date): TableCell[];
  /** Row conditions, e.g. Completed for finished pods. */
  conditions?(obj: KubeObject): TableRow["conditions"];
}

/** A column definition. */
export function column(
  name: string,
  type: TableColumnDefinition["type"],
  description: string,
  priority = 0,
  format = "",
): TableColumnDefinition {
  return { name, type, format, description, priority };
}

/** The Name column every printer starts with. */
export const NAME_COLUMN = column(
  "Name",
  "string",
  "The object's name, unique within its namespace.",
  0,
  "name",
);
/** The Age column. */
export const AGE_COLUMN = column("Age", "string", "How long ago the object was created.");

/** The PartialObjectMetadata form of an object, for rows with includeObject=Metadata. */
export function partialObjectMetadata(obj: KubeObject): KubeObject {
  return {
    kind: "PartialObjectMetadata",
    apiVersion: "meta.k8s.io/v1",
    metadata: (obj.metadata ?? {}) as ObjectMeta,
  };
}

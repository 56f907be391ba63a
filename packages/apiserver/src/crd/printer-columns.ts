import { age } from "../table/human-duration.js";
import { column, NAME_COLUMN, type RowPrinter, type TableCell } from "../table/table.js";
import type { PrinterColumn } from "./crd-types.js";
import { evaluateJsonPath } from "./json-path.js";

// What a custom resource without additionalPrinterColumns shows, as upstream.
const DEFAULT_COLUMNS: PrinterColumn[] = [
  { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
];

function cell(type: string, values: unknown[], now: Date): TableCell {
  if (values.length === 0) return null;
  const value = values.length === 1 ? values[0] : values;
  if (type === "string" || typeof value === "object")
    return typeof value === "string" ? value : JSON.stringify(value);
  if (type === "integer" || type === "number") return typeof value === "number" ? value : null;
  if (type === "boolean") return typeof value === "boolean" ? value : null;
  // date: shown as an age, as upstream's CR table converter does
  if (typeof value !== "string") return null;
  return Number.isNaN(Date.parse(value)) ? "<invalid>" : age(value, now);
}

/**
 * The Table printer of a custom resource: Name, then the CRD version's
 * additionalPrinterColumns (or Age when it declares none), each cell read
 * from the object by its JSONPath; a path that finds nothing gives an
 * empty cell.
 */
export function customResourcePrinter(columns: readonly PrinterColumn[]): RowPrinter {
  const cols = columns.length > 0 ? columns : DEFAULT_COLUMNS;
  const type = (t: string) =>
    (["integer", "number", "boolean", "date"].includes(t) ? t : "string") as
      | "string"
      | "integer"
      | "number"
      | "boolean"
      | "date";
  return {
    columns: [
      NAME_COLUMN,
      ...cols.map((c) =>
        column(c.name, type(c.type), c.description ?? "", c.priority ?? 0, c.format ?? ""),
      ),
    ],
    cells: (obj, now) => [
      obj.metadata?.name ?? "",
      ...cols.map((c) => cell(c.type, evaluateJsonPath(obj, c.jsonPath), now)),
    ],
  };
}

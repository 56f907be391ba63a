import type { PrinterColumn, ScaleSubresource } from "./crd-types.js";
import type { JSONSchemaProps } from "./json-schema.js";

/**
 * What the write path, table output and subresources need to know about a
 * custom resource's version, beyond what discovery needs. Attached to its
 * ResourceDefinition as `custom`; built-in resources have none.
 */
export interface CustomResourceInfo {
  /** The CRD's name: `<plural>.<group>`. */
  crdName: string;
  /** This version's openAPIV3Schema (structural). */
  schema: JSONSchemaProps;
  /** Whether the status subresource is on: status then only changes through /status. */
  statusEnabled: boolean;
  /** The scale subresource's paths, when it is on. */
  scale?: ScaleSubresource;
  /** This version's additionalPrinterColumns (empty for the default Age column). */
  printerColumns: readonly PrinterColumn[];
  /** The CRD is being deleted: no new objects may be created. */
  terminating: boolean;
}

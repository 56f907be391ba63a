import type { KubeObject } from "../types/object.js";
import type { JSONSchemaProps } from "./json-schema.js";

/** apiextensions/v1 CustomResourceDefinitionNames. */
export interface CrdNames {
  plural: string;
  singular?: string;
  kind: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

/** apiextensions/v1 CustomResourceColumnDefinition: one `kubectl get` column. */
export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/** apiextensions/v1 CustomResourceSubresourceScale. */
export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/** apiextensions/v1 CustomResourceDefinitionVersion. */
export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: JSONSchemaProps };
  subresources?: { status?: Record<string, never>; scale?: ScaleSubresource };
  additionalPrinterColumns?: PrinterColumn[];
}

/** apiextensions/v1 CustomResourceDefinitionCondition. */
export interface CrdCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** apiextensions/v1 CustomResourceDefinition, as stored. */
export interface Crd extends KubeObject {
  spec: {
    group: string;
    names: CrdNames;
    scope: "Namespaced" | "Cluster";
    versions: CrdVersion[];
    conversion?: { strategy: string };
    preserveUnknownFields?: boolean;
  };
  status?: {
    conditions?: CrdCondition[];
    acceptedNames?: CrdNames;
    storedVersions?: string[];
  };
}

/** The finalizer that holds a deleted CRD until its custom resources are gone. */
export const CRD_CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

/** Where CRDs are served. */
export const CRD_GROUP = "apiextensions.k8s.io";
export const CRD_RESOURCE = "customresourcedefinitions";

/** True for the CRD resource itself. */
export function isCrdResource(def: { group: string; resource: string }): boolean {
  return def.group === CRD_GROUP && def.resource === CRD_RESOURCE;
}

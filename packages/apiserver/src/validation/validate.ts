import { isCrdResource } from "../crd/crd-types.js";
import { validateCrd, validateCrdUpdate } from "../crd/crd-validation.js";
import { validateCustomResource } from "../crd/schema-validate.js";
import type { Status } from "../errors/status.js";
import type { ResourceDefinition } from "../registry/resource.js";
import { isRecord, type KubeObject } from "../types/object.js";
import { validateConfigData } from "./config-data.js";
import { type FieldError, invalidStatus, invalidValue } from "./field-error.js";
import { FieldPath } from "./field-path.js";
import {
  nameValidatorFor,
  validateObjectMetaCreate,
  validateObjectMetaUpdate,
} from "./object-meta.js";
import { validatePodSpec, validatePodSpecUpdate } from "./pod-spec.js";
import { validateServiceSpec, validateServiceUpdate } from "./service.js";
import { validateJobSpec, validateReplicatedSpec } from "./workloads.js";

type Def = Pick<ResourceDefinition, "group" | "resource" | "kind" | "namespaced" | "custom">;

function specErrors(def: Def, obj: KubeObject): FieldError[] {
  if (def.custom) return validateCustomResource(def.custom.schema, obj);
  if (isCrdResource(def)) return validateCrd(obj);
  const spec = obj.spec;
  switch (`${def.group}/${def.resource}`) {
    case "/pods":
      return validatePodSpec(spec, FieldPath.root("spec"));
    case "/services":
      return validateServiceSpec(spec, FieldPath.root("spec"));
    case "/configmaps":
      return validateConfigData(obj, ["data", "binaryData"], "");
    case "/secrets":
      return validateConfigData(obj, ["data", "stringData"], "data");
    case "apps/deployments":
      return validateReplicatedSpec(spec, "deployment");
    case "apps/replicasets":
      return validateReplicatedSpec(spec, "replicaset");
    case "apps/statefulsets":
      return validateReplicatedSpec(spec, "statefulset");
    case "apps/daemonsets":
      return validateReplicatedSpec(spec, "daemonset");
    case "batch/jobs":
      return validateJobSpec(spec);
    default:
      return [];
  }
}

function specUpdateErrors(def: Def, obj: KubeObject, old: KubeObject): FieldError[] {
  if (isCrdResource(def)) return validateCrdUpdate(obj, old);
  const path = FieldPath.root("spec");
  switch (`${def.group}/${def.resource}`) {
    case "/pods":
      return validatePodSpecUpdate(obj.spec, old.spec, path);
    case "/services":
      return validateServiceUpdate(obj.spec, old.spec, path);
    case "apps/deployments":
    case "apps/replicasets":
    case "apps/statefulsets":
    case "apps/daemonsets": {
      // The selector of an apps/v1 controller is immutable.
      const now = isRecord(obj.spec) ? obj.spec.selector : undefined;
      const before = isRecord(old.spec) ? old.spec.selector : undefined;
      if (JSON.stringify(now) !== JSON.stringify(before)) {
        return [invalidValue(path.child("selector"), now, "field is immutable")];
      }
      return [];
    }
    default:
      return [];
  }
}

/** Field errors of an object about to be created (after defaulting). */
export function validateCreate(def: Def, obj: KubeObject): FieldError[] {
  const rules = {
    namespaced: def.namespaced,
    validateName: nameValidatorFor(def.group, def.resource),
  };
  return [...validateObjectMetaCreate(obj.metadata, rules), ...specErrors(def, obj)];
}

/** Field errors of an update from `old` to `obj` (after defaulting). */
export function validateUpdate(def: Def, obj: KubeObject, old: KubeObject): FieldError[] {
  const rules = {
    namespaced: def.namespaced,
    validateName: nameValidatorFor(def.group, def.resource),
  };
  return [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata, rules),
    ...specErrors(def, obj),
    ...specUpdateErrors(def, obj, old),
  ];
}

/** The Invalid Status for these errors, or undefined when there are none. */
export function toInvalidStatus(
  def: Def,
  obj: KubeObject,
  errs: readonly FieldError[],
): Status | undefined {
  if (errs.length === 0) return undefined;
  const name = obj.metadata?.name ?? obj.metadata?.generateName ?? "";
  return invalidStatus({ group: def.group, kind: def.kind }, name, errs);
}

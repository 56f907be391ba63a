import { isRecord, type KubeObject } from "../types/object.js";
import {
  type FieldError,
  forbiddenField,
  invalidValue,
  notSupported,
  required,
} from "../validation/field-error.js";
import { FieldPath } from "../validation/field-path.js";
import { isDns1035Label, isDns1123Subdomain } from "../validation/names.js";
import type { JSONSchemaProps } from "./json-schema.js";
import { structuralErrors } from "./structural-schema.js";

const str = (v: unknown): string => (typeof v === "string" ? v : "");
const COLUMN_TYPES = ["integer", "number", "string", "boolean", "date"];

function validateNames(names: Record<string, unknown>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ["plural", "singular", "kind", "listKind"]) {
    if (str(names[key]) === "") errs.push(required(path.child(key)));
  }
  for (const key of ["plural", "singular"]) {
    const v = str(names[key]);
    const msgs = v === "" ? [] : isDns1035Label(v);
    if (msgs.length > 0) errs.push(invalidValue(path.child(key), v, msgs.join(",")));
  }
  for (const key of ["kind", "listKind"]) {
    const v = str(names[key]);
    const msgs = v === "" ? [] : isDns1035Label(v.toLowerCase());
    if (msgs.length > 0)
      errs.push(
        invalidValue(
          path.child(key),
          v,
          `may have mixed case, but should otherwise match: ${msgs.join(",")}`,
        ),
      );
  }
  if (str(names.kind) !== "" && str(names.kind) === str(names.listKind))
    errs.push(
      invalidValue(path.child("listKind"), names.listKind, "kind and listKind may not be the same"),
    );
  const shortNames = Array.isArray(names.shortNames) ? names.shortNames : [];
  shortNames.forEach((s, i) => {
    const msgs = isDns1035Label(str(s));
    if (msgs.length > 0)
      errs.push(invalidValue(path.child("shortNames").index(i), s, msgs.join(",")));
  });
  return errs;
}

function validateSubresources(sub: unknown, path: FieldPath): FieldError[] {
  if (!isRecord(sub) || !isRecord(sub.scale)) return [];
  const errs: FieldError[] = [];
  const scale = sub.scale;
  const scalePath = path.child("scale");
  const spec = str(scale.specReplicasPath);
  const status = str(scale.statusReplicasPath);
  if (spec === "") errs.push(required(scalePath.child("specReplicasPath")));
  else if (!spec.startsWith(".spec."))
    errs.push(
      invalidValue(scalePath.child("specReplicasPath"), spec, "should be a json path under .spec"),
    );
  if (status === "") errs.push(required(scalePath.child("statusReplicasPath")));
  else if (!status.startsWith(".status."))
    errs.push(
      invalidValue(
        scalePath.child("statusReplicasPath"),
        status,
        "should be a json path under .status",
      ),
    );
  const selector = str(scale.labelSelectorPath);
  if (selector !== "" && !selector.startsWith(".spec.") && !selector.startsWith(".status."))
    errs.push(
      invalidValue(
        scalePath.child("labelSelectorPath"),
        selector,
        "should be a json path under either .spec or .status",
      ),
    );
  return errs;
}

function validateColumns(columns: unknown, path: FieldPath): FieldError[] {
  if (!Array.isArray(columns)) return [];
  const errs: FieldError[] = [];
  columns.forEach((c, i) => {
    const p = path.index(i);
    const col = isRecord(c) ? c : {};
    if (str(col.name) === "") errs.push(required(p.child("name")));
    if (str(col.type) === "") errs.push(required(p.child("type")));
    else if (!COLUMN_TYPES.includes(str(col.type)))
      errs.push(notSupported(p.child("type"), col.type, COLUMN_TYPES));
    if (str(col.jsonPath) === "") errs.push(required(p.child("jsonPath")));
  });
  return errs;
}

function validateVersions(versions: unknown, path: FieldPath): FieldError[] {
  if (!Array.isArray(versions) || versions.length === 0)
    return [required(path, "must have at least one version")];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  let storage = 0;
  let unique = true;
  versions.forEach((raw, i) => {
    const p = path.index(i);
    const v = isRecord(raw) ? raw : {};
    const name = str(v.name);
    if (v.storage === true) storage++;
    if (seen.has(name)) unique = false;
    seen.add(name);
    const msgs = isDns1035Label(name);
    if (msgs.length > 0) errs.push(invalidValue(p.child("name"), name, msgs.join(",")));
    const schema = isRecord(v.schema) ? v.schema.openAPIV3Schema : undefined;
    const schemaPath = p.child("schema", "openAPIV3Schema");
    if (!isRecord(schema)) errs.push(required(schemaPath, "schemas are required"));
    else errs.push(...structuralErrors(schema as JSONSchemaProps, schemaPath));
    errs.push(...validateSubresources(v.subresources, p.child("subresources")));
    errs.push(...validateColumns(v.additionalPrinterColumns, p.child("additionalPrinterColumns")));
  });
  if (!unique) errs.push(invalidValue(path, versions, "must contain unique version names"));
  if (storage !== 1)
    errs.push(
      invalidValue(path, versions, "must have exactly one version marked as storage version"),
    );
  if (!versions.some((v) => isRecord(v) && v.served === true))
    errs.push(invalidValue(path, versions, "must have at least one version marked as served"));
  return errs;
}

/**
 * Field errors of a CustomResourceDefinition (after defaulting), as
 * upstream's apiextensions validation reports them for the fields users
 * write: the name, group, scope, names, versions and their schemas
 * (required and structural), subresources and printer columns.
 */
export function validateCrd(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const specPath = FieldPath.root("spec");
  const group = str(spec.group);
  const names = isRecord(spec.names) ? spec.names : {};
  const name = obj.metadata?.name ?? "";
  if (name !== "" && name !== `${str(names.plural)}.${group}`)
    errs.push(
      invalidValue(
        FieldPath.root("metadata", "name"),
        name,
        'must be spec.names.plural+"."+spec.group',
      ),
    );
  if (group === "") errs.push(required(specPath.child("group")));
  else {
    const msgs = isDns1123Subdomain(group);
    if (msgs.length > 0) errs.push(invalidValue(specPath.child("group"), group, msgs.join(",")));
    else if (!group.includes("."))
      errs.push(
        invalidValue(specPath.child("group"), group, "should be a domain with at least one dot"),
      );
  }
  const scope = str(spec.scope);
  if (scope === "") errs.push(required(specPath.child("scope")));
  else if (scope !== "Cluster" && scope !== "Namespaced")
    errs.push(notSupported(specPath.child("scope"), scope, ["Cluster", "Namespaced"]));
  errs.push(...validateVersions(spec.versions, specPath.child("versions")));
  errs.push(...validateNames(names, specPath.child("names")));
  const conversion = isRecord(spec.conversion) ? spec.conversion : undefined;
  if (conversion && conversion.strategy !== "None")
    errs.push(
      conversion.strategy === "Webhook"
        ? forbiddenField(
            specPath.child("conversion", "strategy"),
            "conversion webhooks are not supported by kubekit",
          )
        : notSupported(specPath.child("conversion", "strategy"), conversion.strategy, [
            "None",
            "Webhook",
          ]),
    );
  return errs;
}

/** The extra field errors of a CRD update: group, plural, scope and kind stay as they were. */
export function validateCrdUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const oldSpec = isRecord(old.spec) ? old.spec : {};
  const names = isRecord(spec.names) ? spec.names : {};
  const oldNames = isRecord(oldSpec.names) ? oldSpec.names : {};
  const path = FieldPath.root("spec");
  if (spec.group !== oldSpec.group)
    errs.push(invalidValue(path.child("group"), spec.group, "field is immutable"));
  if (names.plural !== oldNames.plural)
    errs.push(invalidValue(path.child("names", "plural"), names.plural, "field is immutable"));
  if (spec.scope !== oldSpec.scope)
    errs.push(invalidValue(path.child("scope"), spec.scope, "field is immutable"));
  if (names.kind !== oldNames.kind)
    errs.push(invalidValue(path.child("names", "kind"), names.kind, "field is immutable"));
  return errs;
}

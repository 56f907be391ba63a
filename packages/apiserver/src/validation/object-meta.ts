import { isRecord, type ObjectMeta } from "../types/object.js";
import { type FieldError, forbiddenField, invalidValue, required, tooLong } from "./field-error.js";
import { FieldPath } from "./field-path.js";
import { formatGoValue } from "./go-format.js";
import {
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
  TOTAL_ANNOTATION_SIZE_LIMIT,
} from "./names.js";

/**
 * Checks a name (or, with `prefix`, a generateName) and returns messages.
 * For a prefix a trailing dash is allowed, since random characters follow.
 */
export type NameValidator = (name: string, prefix: boolean) => string[];

const masked =
  (check: (s: string) => string[]): NameValidator =>
  (name, prefix) =>
    check(prefix && name.endsWith("-") ? `${name.slice(0, -1)}a` : name);

/** Most resources: names are DNS-1123 subdomains. */
export const nameIsDnsSubdomain: NameValidator = masked(isDns1123Subdomain);
/** Namespaces: names are DNS-1123 labels. */
export const nameIsDnsLabel: NameValidator = masked(isDns1123Label);
/** Services: names are DNS-1035 labels (they become DNS names and env var prefixes). */
export const nameIsDns1035Label: NameValidator = masked(isDns1035Label);
/** RBAC objects: any name that can be a URL path segment. */
export const nameIsPathSegment: NameValidator = (name) => isValidPathSegmentName(name);

const NAME_VALIDATORS: Record<string, NameValidator> = {
  "/namespaces": nameIsDnsLabel,
  "/services": nameIsDns1035Label,
  "rbac.authorization.k8s.io/roles": nameIsPathSegment,
  "rbac.authorization.k8s.io/rolebindings": nameIsPathSegment,
  "rbac.authorization.k8s.io/clusterroles": nameIsPathSegment,
  "rbac.authorization.k8s.io/clusterrolebindings": nameIsPathSegment,
};

/** The name rule of a resource, as upstream's per-type validation applies it. */
export function nameValidatorFor(group: string, resource: string): NameValidator {
  return NAME_VALIDATORS[`${group}/${resource}`] ?? nameIsDnsSubdomain;
}

/** Checks label keys and values. */
export function validateLabels(labels: unknown, path: FieldPath): FieldError[] {
  if (labels === undefined || labels === null) return [];
  if (!isRecord(labels)) return [invalidValue(path, labels, "must be a map of strings")];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    for (const msg of isQualifiedName(k)) errs.push(invalidValue(path, k, msg));
    if (typeof v !== "string") {
      errs.push(invalidValue(path, v, "must be a string"));
      continue;
    }
    for (const msg of isValidLabelValue(v)) errs.push(invalidValue(path, v, msg));
  }
  return errs;
}

/** Checks annotation keys and their total size (256 KiB). */
export function validateAnnotations(annotations: unknown, path: FieldPath): FieldError[] {
  if (annotations === undefined || annotations === null) return [];
  if (!isRecord(annotations)) return [invalidValue(path, annotations, "must be a map of strings")];
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalidValue(path, k, msg));
    size += Buffer.byteLength(k) + Buffer.byteLength(typeof v === "string" ? v : "");
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(path, "", TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

/** How a resource's ObjectMeta is checked. */
export interface MetaRules {
  namespaced: boolean;
  validateName: NameValidator;
}

/** Checks metadata on create: name or generateName, namespace scope, labels, annotations. */
export function validateObjectMetaCreate(
  meta: ObjectMeta | undefined,
  rules: MetaRules,
): FieldError[] {
  const path = FieldPath.root("metadata");
  const m = meta ?? {};
  const errs: FieldError[] = [];
  if (m.generateName) {
    for (const msg of rules.validateName(m.generateName, true)) {
      errs.push(invalidValue(path.child("generateName"), m.generateName, msg));
    }
  }
  if (!m.name) {
    if (!m.generateName)
      errs.push(required(path.child("name"), "name or generateName is required"));
  } else {
    for (const msg of rules.validateName(m.name, false))
      errs.push(invalidValue(path.child("name"), m.name, msg));
  }
  if (rules.namespaced) {
    if (!m.namespace) {
      errs.push(required(path.child("namespace")));
    } else {
      for (const msg of isDns1123Label(m.namespace))
        errs.push(invalidValue(path.child("namespace"), m.namespace, msg));
    }
  } else if (m.namespace) {
    errs.push(forbiddenField(path.child("namespace"), "not allowed on this type"));
  }
  if (m.generation !== undefined && m.generation < 0) {
    errs.push(
      invalidValue(path.child("generation"), m.generation, "must be greater than or equal to 0"),
    );
  }
  errs.push(...validateLabels(m.labels, path.child("labels")));
  errs.push(...validateAnnotations(m.annotations, path.child("annotations")));
  if (m.finalizers) {
    for (const [i, f] of m.finalizers.entries()) {
      for (const msg of isQualifiedName(f))
        errs.push(invalidValue(path.child("finalizers").index(i), f, msg));
    }
  }
  return errs;
}

/** Checks metadata on update: the create rules plus fields that may not change. */
export function validateObjectMetaUpdate(
  next: ObjectMeta | undefined,
  prev: ObjectMeta | undefined,
  rules: MetaRules,
): FieldError[] {
  const path = FieldPath.root("metadata");
  const n = next ?? {};
  const p = prev ?? {};
  const errs = validateObjectMetaCreate({ ...n, generateName: undefined }, rules);
  const immutable: (keyof ObjectMeta)[] = ["name", "namespace", "uid", "creationTimestamp"];
  for (const field of immutable) {
    if ((n[field] ?? "") !== (p[field] ?? "")) {
      errs.push(invalidValue(path.child(field), n[field] ?? "", "field is immutable"));
    }
  }
  if (p.deletionTimestamp && n.deletionTimestamp !== p.deletionTimestamp) {
    errs.push(
      invalidValue(
        path.child("deletionTimestamp"),
        n.deletionTimestamp ?? null,
        "field is immutable; may only be changed via deletion",
      ),
    );
  }
  if (p.deletionTimestamp) {
    // Once deletion has begun, finalizers may only be removed.
    const added = (n.finalizers ?? []).filter((f) => !(p.finalizers ?? []).includes(f));
    if (added.length > 0) {
      errs.push(
        forbiddenField(
          path.child("finalizers"),
          `no new finalizers can be added if the object is being deleted, found new finalizers ${formatGoValue(added)}`,
        ),
      );
    }
  }
  return errs;
}

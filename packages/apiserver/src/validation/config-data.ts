import { isRecord, type KubeObject } from "../types/object.js";
import { type FieldError, invalidValue, tooLong } from "./field-error.js";
import { FieldPath } from "./field-path.js";
import { DNS1123_SUBDOMAIN_MAX_LENGTH } from "./names.js";

/** The largest total size of a ConfigMap's or Secret's data. */
export const MAX_CONFIG_DATA_BYTES = 1024 * 1024;

const CONFIG_KEY = "[-._a-zA-Z0-9]+";
const configKeyRe = new RegExp(`^${CONFIG_KEY}$`);

/** Checks a ConfigMap or Secret key: letters, digits, `-`, `_`, `.`; not `.` or `..`. */
export function isConfigMapKey(key: string): string[] {
  const errs: string[] = [];
  if (key.length > DNS1123_SUBDOMAIN_MAX_LENGTH)
    errs.push(`must be no more than ${DNS1123_SUBDOMAIN_MAX_LENGTH} characters`);
  if (!configKeyRe.test(key)) {
    errs.push(
      `a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '${CONFIG_KEY}')`,
    );
  }
  if (key === ".") errs.push("must not be '.'");
  else if (key === "..") errs.push("must not be '..'");
  else if (key.startsWith("..")) errs.push("must not start with '..'");
  return errs;
}

/**
 * Checks the data maps of a ConfigMap (`data`, `binaryData`) or Secret
 * (`data`, `stringData`): valid keys, no key in both of a ConfigMap's maps,
 * and at most 1 MiB in all (reported at `sizePath`: "" for ConfigMaps,
 * `data` for Secrets, as upstream reports it).
 */
export function validateConfigData(
  obj: KubeObject,
  fields: readonly string[],
  sizePath: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Map<string, string>();
  let size = 0;
  for (const field of fields) {
    const map = obj[field];
    if (!isRecord(map)) continue;
    for (const [key, value] of Object.entries(map)) {
      const path = FieldPath.root(field).key(key);
      for (const msg of isConfigMapKey(key)) errs.push(invalidValue(path, key, msg));
      const other = seen.get(key);
      if (other !== undefined && field === "binaryData") {
        errs.push(invalidValue(path, key, `duplicate of key present in ${other}`));
      }
      seen.set(key, field);
      size += key.length + (typeof value === "string" ? value.length : 0);
    }
  }
  if (size > MAX_CONFIG_DATA_BYTES)
    errs.push(tooLong(FieldPath.root(sizePath), "", MAX_CONFIG_DATA_BYTES));
  return errs;
}

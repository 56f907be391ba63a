import { isRecord } from "../types/object.js";
import {
  duplicate,
  type FieldError,
  forbiddenField,
  invalidValue,
  notSupported,
  required,
} from "./field-error.js";
import type { FieldPath } from "./field-path.js";
import { isDns1123Label, isValidPortNum } from "./names.js";
import { validateLabels } from "./object-meta.js";

const SERVICE_TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
const AFFINITIES = ["ClientIP", "None"];
const PROTOCOLS = ["SCTP", "TCP", "UDP"];

/** Checks an IANA service name, as a named targetPort must be (`http`, `dns-tcp`). */
export function isValidPortName(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push("must be no more than 15 characters");
  if (!/^[-a-z0-9]+$/.test(name))
    errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (name.includes("--")) errs.push("must not contain consecutive hyphens");
  if (!/[a-z]/.test(name)) errs.push("must contain at least one letter (a-z)");
  if (name.startsWith("-") || name.endsWith("-")) errs.push("must not begin or end with a hyphen");
  return errs;
}

function validatePort(
  port: Record<string, unknown>,
  path: FieldPath,
  type: unknown,
  named: boolean,
): FieldError[] {
  const errs: FieldError[] = [];
  const name = typeof port.name === "string" ? port.name : "";
  if (named && name === "") errs.push(required(path.child("name")));
  if (name !== "")
    for (const msg of isDns1123Label(name)) errs.push(invalidValue(path.child("name"), name, msg));
  for (const msg of isValidPortNum(Number(port.port)))
    errs.push(invalidValue(path.child("port"), port.port ?? 0, msg));
  if (port.protocol === undefined || port.protocol === "")
    errs.push(required(path.child("protocol")));
  else if (!PROTOCOLS.includes(String(port.protocol)))
    errs.push(notSupported(path.child("protocol"), port.protocol, PROTOCOLS));
  const target = port.targetPort;
  if (typeof target === "number") {
    for (const msg of isValidPortNum(target))
      errs.push(invalidValue(path.child("targetPort"), target, msg));
  } else if (typeof target === "string") {
    for (const msg of isValidPortName(target))
      errs.push(invalidValue(path.child("targetPort"), target, msg));
  }
  if (
    port.nodePort !== undefined &&
    port.nodePort !== 0 &&
    (type === "ClusterIP" || type === "ExternalName")
  ) {
    errs.push(
      forbiddenField(path.child("nodePort"), `may not be used when \`type\` is '${String(type)}'`),
    );
  }
  return errs;
}

/**
 * Checks a Service's spec (after defaulting): type, session affinity,
 * ports (range, protocol, names unique and required when several, named
 * target ports), selector labels, and externalName for ExternalName.
 */
export function validateServiceSpec(spec: unknown, path: FieldPath): FieldError[] {
  if (!isRecord(spec)) return [required(path)];
  const errs: FieldError[] = [];
  const type = spec.type;
  if (!SERVICE_TYPES.includes(String(type)))
    errs.push(notSupported(path.child("type"), type ?? "", SERVICE_TYPES));
  if (spec.sessionAffinity !== undefined && !AFFINITIES.includes(String(spec.sessionAffinity))) {
    errs.push(notSupported(path.child("sessionAffinity"), spec.sessionAffinity, AFFINITIES));
  }
  const ports = Array.isArray(spec.ports) ? spec.ports : [];
  // A headless service may have no ports; an ExternalName one needs none.
  if (ports.length === 0 && type !== "ExternalName" && spec.clusterIP !== "None") {
    errs.push(required(path.child("ports")));
  }
  const names = new Set<string>();
  for (const [i, port] of ports.entries()) {
    const p = path.child("ports").index(i);
    if (!isRecord(port)) {
      errs.push(invalidValue(p, port, "must be an object"));
      continue;
    }
    errs.push(...validatePort(port, p, type, ports.length > 1));
    if (typeof port.name === "string" && port.name !== "") {
      if (names.has(port.name)) errs.push(duplicate(p.child("name"), port.name));
      names.add(port.name);
    }
  }
  if (type === "ExternalName") {
    const externalName = spec.externalName;
    if (typeof externalName !== "string" || externalName === "")
      errs.push(required(path.child("externalName")));
  }
  errs.push(...validateLabels(spec.selector, path.child("selector")));
  return errs;
}

/** Checks a Service update: a clusterIP, once set, stays. */
export function validateServiceUpdate(next: unknown, prev: unknown, path: FieldPath): FieldError[] {
  const before = isRecord(prev) ? prev.clusterIP : undefined;
  const now = isRecord(next) ? next.clusterIP : undefined;
  // Only a service that keeps needing one keeps its cluster IP (as upstream).
  const becomesExternalName = isRecord(next) && next.type === "ExternalName";
  if (!becomesExternalName && typeof before === "string" && before !== "" && now !== before) {
    return [invalidValue(path.child("clusterIP"), now ?? "", "field is immutable")];
  }
  return [];
}

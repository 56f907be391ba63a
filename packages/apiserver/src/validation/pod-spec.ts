import { isRecord, jsonEqual } from "../types/object.js";
import {
  duplicate,
  type FieldError,
  forbiddenField,
  invalidValue,
  notFoundField,
  notSupported,
  required,
} from "./field-error.js";
import type { FieldPath } from "./field-path.js";
import { isDns1123Label, isValidPortNum } from "./names.js";
import { validateResourceRequirements } from "./resources.js";

const RESTART_POLICIES = ["Always", "OnFailure", "Never"];
const DNS_POLICIES = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
const PROTOCOLS = ["SCTP", "TCP", "UDP"];
const PULL_POLICIES = ["Always", "IfNotPresent", "Never"];

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function validateContainerPorts(ports: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  for (const [i, port] of list(ports).entries()) {
    const p = path.index(i);
    if (!isRecord(port)) {
      errs.push(invalidValue(p, port, "must be an object"));
      continue;
    }
    if (typeof port.name === "string" && port.name !== "") {
      if (names.has(port.name)) errs.push(duplicate(p.child("name"), port.name));
      names.add(port.name);
    }
    const cp = port.containerPort;
    if (cp === undefined || cp === 0) {
      errs.push(required(p.child("containerPort")));
    } else {
      for (const msg of isValidPortNum(Number(cp)))
        errs.push(invalidValue(p.child("containerPort"), cp, msg));
    }
    if (port.hostPort !== undefined && port.hostPort !== 0) {
      for (const msg of isValidPortNum(Number(port.hostPort)))
        errs.push(invalidValue(p.child("hostPort"), port.hostPort, msg));
    }
    if (port.protocol === undefined || port.protocol === "") {
      errs.push(required(p.child("protocol")));
    } else if (!PROTOCOLS.includes(String(port.protocol))) {
      errs.push(notSupported(p.child("protocol"), port.protocol, PROTOCOLS));
    }
  }
  return errs;
}

function validateContainers(
  containers: unknown,
  path: FieldPath,
  names: Set<string>,
  volumes: ReadonlySet<string>,
): FieldError[] {
  const errs: FieldError[] = [];
  for (const [i, c] of list(containers).entries()) {
    const p = path.index(i);
    if (!isRecord(c)) {
      errs.push(invalidValue(p, c, "must be an object"));
      continue;
    }
    const name = typeof c.name === "string" ? c.name : "";
    if (name === "") {
      errs.push(required(p.child("name")));
    } else {
      for (const msg of isDns1123Label(name)) errs.push(invalidValue(p.child("name"), name, msg));
      if (names.has(name)) errs.push(duplicate(p.child("name"), name));
      names.add(name);
    }
    // Upstream rejects images that are empty or only whitespace.
    if (typeof c.image !== "string" || c.image.trim() === "") {
      errs.push(required(p.child("image")));
    } else if (c.image !== c.image.trim()) {
      errs.push(
        invalidValue(p.child("image"), c.image, "must not have leading or trailing whitespace"),
      );
    }
    errs.push(...validateContainerPorts(c.ports, p.child("ports")));
    errs.push(...validateVolumeMounts(c.volumeMounts, p.child("volumeMounts"), volumes));
    errs.push(...validateEnvNames(c.env, p.child("env")));
    errs.push(...validateResourceRequirements(c.resources, p.child("resources")));
    if (c.imagePullPolicy !== undefined && !PULL_POLICIES.includes(String(c.imagePullPolicy))) {
      errs.push(notSupported(p.child("imagePullPolicy"), c.imagePullPolicy, PULL_POLICIES));
    }
  }
  return errs;
}

// Each mount names a volume of the pod and a path no other mount of the container uses.
function validateVolumeMounts(
  mounts: unknown,
  path: FieldPath,
  volumes: ReadonlySet<string>,
): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  for (const [i, m] of list(mounts).entries()) {
    const p = path.index(i);
    const mount = isRecord(m) ? m : {};
    const name = typeof mount.name === "string" ? mount.name : "";
    if (name === "") errs.push(required(p.child("name")));
    else if (!volumes.has(name)) errs.push(notFoundField(p.child("name"), name));
    const mountPath = typeof mount.mountPath === "string" ? mount.mountPath : "";
    if (mountPath === "") {
      errs.push(required(p.child("mountPath")));
    } else if (paths.has(mountPath)) {
      errs.push(invalidValue(p.child("mountPath"), mountPath, "must be unique"));
    }
    paths.add(mountPath);
  }
  return errs;
}

function validateEnvNames(env: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const [i, e] of list(env).entries()) {
    const name = isRecord(e) && typeof e.name === "string" ? e.name : "";
    if (name === "") errs.push(required(path.index(i).child("name")));
  }
  return errs;
}

/**
 * Checks the pod spec fields users touch, after defaulting: containers
 * present with unique DNS-label names and images, port numbers and
 * protocols, restartPolicy and dnsPolicy values.
 */
export function validatePodSpec(spec: unknown, path: FieldPath): FieldError[] {
  if (!isRecord(spec)) return [required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  const volumeNames = new Set(
    list(spec.volumes).flatMap((v) => (isRecord(v) && typeof v.name === "string" ? [v.name] : [])),
  );
  if (list(spec.containers).length === 0) {
    errs.push(required(path.child("containers")));
  } else {
    errs.push(...validateContainers(spec.containers, path.child("containers"), names, volumeNames));
  }
  errs.push(
    ...validateContainers(spec.initContainers, path.child("initContainers"), names, volumeNames),
  );
  const restart = spec.restartPolicy;
  if (restart === undefined || restart === "") {
    errs.push(required(path.child("restartPolicy")));
  } else if (!RESTART_POLICIES.includes(String(restart))) {
    errs.push(notSupported(path.child("restartPolicy"), restart, RESTART_POLICIES));
  }
  if (spec.dnsPolicy !== undefined && !DNS_POLICIES.includes(String(spec.dnsPolicy))) {
    errs.push(notSupported(path.child("dnsPolicy"), spec.dnsPolicy, DNS_POLICIES));
  }
  const grace = spec.terminationGracePeriodSeconds;
  if (grace !== undefined && grace !== null && (typeof grace !== "number" || grace < 0)) {
    errs.push(
      invalidValue(
        path.child("terminationGracePeriodSeconds"),
        grace,
        "must be greater than or equal to 0",
      ),
    );
  }
  const volumes = new Set<string>();
  for (const [i, v] of list(spec.volumes).entries()) {
    const name = isRecord(v) && typeof v.name === "string" ? v.name : "";
    const p = path.child("volumes").index(i).child("name");
    if (name === "") errs.push(required(p));
    else if (volumes.has(name)) errs.push(duplicate(p, name));
    else for (const msg of isDns1123Label(name)) errs.push(invalidValue(p, name, msg));
    volumes.add(name);
  }
  return errs;
}

/** The message upstream gives when a pod update touches a field it may not change. */
export const POD_UPDATE_FORBIDDEN_MESSAGE =
  "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

// Blank out what a pod update may change, so the rest can be compared.
function mutableFieldsCleared(
  spec: Record<string, unknown>,
  old: Record<string, unknown>,
): Record<string, unknown> {
  const copy = structuredClone(spec);
  for (const field of ["containers", "initContainers"]) {
    const now = list(copy[field]);
    const before = list(old[field]);
    now.forEach((c, i) => {
      // Only the image of a container that still exists at that position may change.
      if (isRecord(c) && isRecord(before[i]))
        c.image = (before[i] as Record<string, unknown>).image;
    });
  }
  copy.activeDeadlineSeconds = old.activeDeadlineSeconds;
  copy.terminationGracePeriodSeconds = old.terminationGracePeriodSeconds;
  const oldTolerations = list(old.tolerations);
  const newTolerations = list(copy.tolerations);
  // Additions to the tolerations are allowed: existing ones must all remain.
  if (oldTolerations.every((t) => newTolerations.some((n) => jsonEqual(n, t))))
    copy.tolerations = old.tolerations;
  return copy;
}

/**
 * Checks a pod spec update: only images, activeDeadlineSeconds, added
 * tolerations and terminationGracePeriodSeconds may change.
 */
export function validatePodSpecUpdate(next: unknown, prev: unknown, path: FieldPath): FieldError[] {
  if (!isRecord(next) || !isRecord(prev)) return [];
  if (jsonEqual(mutableFieldsCleared(next, prev), prev)) return [];
  return [forbiddenField(path, POD_UPDATE_FORBIDDEN_MESSAGE)];
}

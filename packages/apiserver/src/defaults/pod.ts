import { isRecord } from "../types/object.js";
import { defaultImagePullPolicy } from "./image-pull-policy.js";
import { child, items, type Obj, setDefault } from "./util.js";

function defaultProbe(probe: unknown): void {
  if (!isRecord(probe)) return;
  setDefault(probe, "timeoutSeconds", 1);
  setDefault(probe, "periodSeconds", 10);
  setDefault(probe, "successThreshold", 1);
  setDefault(probe, "failureThreshold", 3);
  if (isRecord(probe.httpGet)) {
    setDefault(probe.httpGet, "path", "/");
    setDefault(probe.httpGet, "scheme", "HTTP");
  }
}

function defaultContainer(c: Obj): void {
  setDefault(c, "terminationMessagePath", "/dev/termination-log");
  setDefault(c, "terminationMessagePolicy", "File");
  if (typeof c.image === "string")
    setDefault(c, "imagePullPolicy", defaultImagePullPolicy(c.image));
  for (const port of items(c, "ports")) setDefault(port, "protocol", "TCP");
  for (const env of items(c, "env")) {
    const from = env.valueFrom;
    if (isRecord(from) && isRecord(from.fieldRef)) setDefault(from.fieldRef, "apiVersion", "v1");
  }
  const resources = child(c, "resources");
  // Limits without requests: the requests default to the limits.
  if (isRecord(resources.limits)) {
    const requests = child(resources, "requests");
    for (const [k, v] of Object.entries(resources.limits)) setDefault(requests, k, v);
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

function defaultVolume(v: Obj): void {
  const sources = Object.keys(v).filter((k) => k !== "name");
  if (sources.length === 0) v.emptyDir = {};
  if (isRecord(v.secret)) setDefault(v.secret, "defaultMode", 0o644);
  if (isRecord(v.configMap)) setDefault(v.configMap, "defaultMode", 0o644);
  if (isRecord(v.projected)) setDefault(v.projected, "defaultMode", 0o644);
  if (isRecord(v.downwardAPI)) setDefault(v.downwardAPI, "defaultMode", 0o644);
  if (isRecord(v.hostPath)) setDefault(v.hostPath, "type", "");
}

/**
 * Fills in a pod spec's defaults as upstream's v1 defaulting does:
 * restartPolicy Always, dnsPolicy ClusterFirst, schedulerName
 * default-scheduler, terminationGracePeriodSeconds 30, an empty
 * securityContext, enableServiceLinks true; for each container the
 * termination message path and policy, imagePullPolicy from the tag, port
 * protocol TCP, requests from limits and probe timings; for volumes the
 * default file modes.
 */
export function defaultPodSpec(spec: Obj): void {
  setDefault(spec, "restartPolicy", "Always");
  setDefault(spec, "dnsPolicy", "ClusterFirst");
  setDefault(spec, "schedulerName", "default-scheduler");
  setDefault(spec, "terminationGracePeriodSeconds", 30);
  setDefault(spec, "securityContext", {});
  setDefault(spec, "enableServiceLinks", true);
  for (const c of items(spec, "containers")) defaultContainer(c);
  for (const c of items(spec, "initContainers")) defaultContainer(c);
  for (const v of items(spec, "volumes")) defaultVolume(v);
  // serviceAccountName is defaulted by the ServiceAccount admission plugin, not here.
  if (typeof spec.serviceAccount === "string")
    setDefault(spec, "serviceAccountName", spec.serviceAccount);
}

/** Defaults a Pod (its spec; status is the pod strategy's business). */
export function defaultPod(pod: Obj): void {
  defaultPodSpec(child(pod, "spec"));
}

/** Defaults a pod template (inside a controller's spec). */
export function defaultPodTemplate(template: Obj): void {
  defaultPodSpec(child(template, "spec"));
}

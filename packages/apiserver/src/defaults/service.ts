import { child, items, type Obj, setDefault } from "./util.js";

/**
 * Fills in a Service's defaults as upstream does: type ClusterIP,
 * sessionAffinity None (with a 3-hour timeout for ClientIP), port protocol
 * TCP, targetPort equal to port, internalTrafficPolicy Cluster, and for
 * NodePort/LoadBalancer externalTrafficPolicy Cluster.
 */
export function defaultService(svc: Obj): void {
  const spec = child(svc, "spec");
  setDefault(spec, "type", "ClusterIP");
  setDefault(spec, "sessionAffinity", "None");
  if (spec.sessionAffinity === "ClientIP") {
    const config = child(spec, "sessionAffinityConfig");
    const clientIP = child(config, "clientIP");
    setDefault(clientIP, "timeoutSeconds", 10800);
  }
  for (const port of items(spec, "ports")) {
    setDefault(port, "protocol", "TCP");
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === "") {
      port.targetPort = port.port;
    }
  }
  const type = spec.type;
  if (type !== "ExternalName") setDefault(spec, "internalTrafficPolicy", "Cluster");
  if (type === "NodePort" || type === "LoadBalancer")
    setDefault(spec, "externalTrafficPolicy", "Cluster");
  if (type === "LoadBalancer") setDefault(spec, "allocateLoadBalancerNodePorts", true);
}

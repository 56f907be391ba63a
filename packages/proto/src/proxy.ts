/**
 * `kubekit.proxy.v1`: the desired service/endpoint state that kubekit's proxy
 * front end hands to a data-plane backend (iptables, IPVS, a third party's).
 *
 * @packageDocumentation
 */
export * from "./gen/kubekit/proxy/v1/proxy_pb.js";

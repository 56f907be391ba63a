import { request } from "node:http";
import { connect } from "node:net";
import type { Client } from "@connectrpc/connect";
import type { RuntimeService } from "@kubekit/proto/cri";
import type { Container, ProbeHandler } from "../api/types.js";
import { grpcHealthProbe } from "./grpc-health.js";

/** What a probe is run against. */
export interface ProbeTarget {
  /** The runtime's container id, for exec probes. */
  containerId: string;
  /** The pod's primary IP (the node's for host-network pods). */
  podIP: string;
  /** The container spec, to resolve named ports. */
  container: Container;
}

/** Runs one probe handler once; resolves to its outcome, never rejects. */
export type ProbeExecutor = (
  handler: ProbeHandler,
  target: ProbeTarget,
  timeoutMs: number,
) => Promise<"success" | "failure">;

/** The user agent upstream's prober sends. */
export const PROBE_USER_AGENT = "kube-probe/1.32";

/** A port given by number or by the name of one of the container's ports. */
export function resolvePort(port: number | string, container: Container): number | undefined {
  if (typeof port === "number") return port;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

/** Exec probe: the command's exit code 0 within the timeout is success. */
export async function execProbe(
  runtime: Client<typeof RuntimeService>,
  command: string[],
  containerId: string,
  timeoutMs: number,
): Promise<"success" | "failure"> {
  try {
    const result = await runtime.execSync(
      { containerId, cmd: command, timeout: BigInt(Math.max(1, Math.ceil(timeoutMs / 1000))) },
      { timeoutMs: timeoutMs + 2_000 },
    );
    return result.exitCode === 0 ? "success" : "failure";
  } catch {
    return "failure";
  }
}

/** HTTP GET probe: a 2xx or 3xx answer within the timeout is success (redirects are not followed). */
export function httpGetProbe(
  host: string,
  port: number,
  path: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<"success" | "failure"> {
  return new Promise((resolve) => {
    const req = request(
      {
        host,
        port,
        path: path.startsWith("/") ? path : `/${path}`,
        method: "GET",
        headers: { "User-Agent": PROBE_USER_AGENT, Accept: "*/*", ...headers },
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        resolve(code >= 200 && code < 400 ? "success" : "failure");
      },
    );
    req.on("timeout", () => req.destroy(new Error("probe timed out")));
    req.on("error", () => resolve("failure"));
    req.end();
  });
}

/** TCP probe: a connection opened within the timeout is success. */
export function tcpSocketProbe(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<"success" | "failure"> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve("failure");
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.end();
      resolve("success");
    });
    socket.once("error", () => {
      clearTimeout(timer);
      resolve("failure");
    });
  });
}

/**
 * The executor the kubelet uses: exec through the CRI's ExecSync, httpGet
 * and tcpSocket from the node to the pod IP (or the handler's host), and
 * grpc through the standard health service on the pod IP.
 */
export function createProbeExecutor(runtime: Client<typeof RuntimeService>): ProbeExecutor {
  return async (handler, target, timeoutMs) => {
    if (handler.exec) {
      return execProbe(runtime, handler.exec.command, target.containerId, timeoutMs);
    }
    if (handler.httpGet) {
      const port = resolvePort(handler.httpGet.port, target.container);
      if (port === undefined) return "failure";
      const headers = Object.fromEntries(
        (handler.httpGet.httpHeaders ?? []).map((h) => [h.name, h.value]),
      );
      const host = handler.httpGet.host || target.podIP;
      return httpGetProbe(host, port, handler.httpGet.path ?? "/", headers, timeoutMs);
    }
    if (handler.grpc) {
      return grpcHealthProbe(
        target.podIP,
        handler.grpc.port,
        handler.grpc.service ?? "",
        timeoutMs,
      );
    }
    if (handler.tcpSocket) {
      const port = resolvePort(handler.tcpSocket.port, target.container);
      if (port === undefined) return "failure";
      return tcpSocketProbe(handler.tcpSocket.host || target.podIP, port, timeoutMs);
    }
    return "failure";
  };
}

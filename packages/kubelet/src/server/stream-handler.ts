import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { KubeletHandlerContext } from "./handler-context.js";
import { findPod } from "./pod-lookup.js";
import { parseStreamRequest } from "./stream-request.js";
import { proxyUpgrade, refuseUpgrade } from "./upgrade-proxy.js";

/**
 * An `/exec` or `/attach` upgrade: finds the container's running
 * instance, asks the runtime for a streaming URL (CRI Exec or Attach) and
 * hands the client's connection to it.
 */
export async function serveStreamUpgrade(
  ctx: KubeletHandlerContext,
  kind: "exec" | "attach",
  parts: readonly string[],
  url: URL,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): Promise<void> {
  const parsed = parseStreamRequest(kind, parts, url.searchParams);
  if (!parsed.ok) return refuseUpgrade(socket, 400, "Bad Request", parsed.message);
  const { namespace, pod: podName, container } = parsed.request;
  const pod = findPod(ctx.pods(), namespace, podName);
  if (!pod) return refuseUpgrade(socket, 404, "Not Found", `pod "${podName}" does not exist`);
  const running = (await ctx.containers.instances(pod, container)).find(
    (i) => i.state === "running",
  );
  if (!running)
    return refuseUpgrade(socket, 404, "Not Found", `container not found ("${container}")`);
  const { stdin, stdout, stderr, tty, command } = parsed.request;
  let streamUrl: string;
  try {
    streamUrl =
      kind === "exec"
        ? (
            await ctx.runtime.exec({
              containerId: running.id,
              cmd: command,
              stdin,
              stdout,
              stderr,
              tty,
            })
          ).url
        : (
            await ctx.runtime.attach({
              containerId: running.id,
              stdin,
              stdout,
              stderr,
              tty,
            })
          ).url;
  } catch (error) {
    return refuseUpgrade(
      socket,
      500,
      "Internal Server Error",
      error instanceof Error ? error.message : String(error),
    );
  }
  proxyUpgrade(req, socket, head, new URL(streamUrl), ctx.onError);
}

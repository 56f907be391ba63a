import { once } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { pickLogInstance } from "./container-logs.js";
import type { KubeletHandlerContext } from "./handler-context.js";
import { parseContainerLogOptions } from "./log-options.js";
import { streamContainerLog } from "./log-stream.js";
import { findPod, podHasContainer } from "./pod-lookup.js";
import { sendText } from "./send-text.js";

/**
 * `/containerLogs/<ns>/<pod>/<container>`: finds the instance to read,
 * then streams its CRI log file to the client; errors in upstream's words
 * and codes.
 */
export async function serveContainerLogs(
  ctx: KubeletHandlerContext,
  parts: readonly string[],
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const [namespace, podName, container] = parts;
  if (parts.length !== 3 || !namespace || !podName || !container)
    return sendText(res, 400, "expected /containerLogs/<namespace>/<pod>/<container>");
  const pod = findPod(ctx.pods(), namespace, podName);
  if (!pod) return sendText(res, 404, `pod "${podName}" does not exist`);
  if (!podHasContainer(pod, container))
    return sendText(res, 404, `container "${container}" not found in pod "${podName}"`);
  const parsed = parseContainerLogOptions(url.searchParams, ctx.now());
  if (!parsed.ok) return sendText(res, 400, parsed.message);
  const picked = pickLogInstance(
    pod,
    container,
    await ctx.containers.instances(pod, container),
    parsed.options.previous,
  );
  if (!picked.ok) return sendText(res, 400, picked.message);
  const abort = new AbortController();
  res.on("close", () => abort.abort());
  req.on("close", () => {
    if (!res.writableFinished) abort.abort();
  });
  const { id } = picked.instance;
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.flushHeaders();
  };
  try {
    await streamContainerLog({
      path: picked.instance.logPath,
      options: parsed.options,
      signal: abort.signal,
      pollMs: ctx.logPollMs,
      stillWriting: async () => (await ctx.containers.state(id)) === "running",
      // A follow answers as soon as the file is open, so the client (and the
      // apiserver in between) sees the 200 before the first line comes.
      opened() {
        if (parsed.options.follow) start();
      },
      async write(chunk) {
        start();
        if (!res.write(chunk) && !abort.signal.aborted)
          await once(res, "drain", { signal: abort.signal }).catch(() => {});
      },
    });
  } catch (error) {
    if (!started)
      return sendText(res, 500, `failed to read the log of container "${container}": ${error}`);
    ctx.onError(error);
  }
  start();
  res.end();
}

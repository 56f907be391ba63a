import type { IncomingMessage, ServerResponse } from "node:http";
import { request } from "node:https";
import { internalError } from "../../errors/builders.js";
import { parsePodLogOptions } from "../../subresources/pod-log.js";
import { sendStatus } from "../http-io.js";
import type { ServerContext } from "../request-context.js";
import { kubeletErrorStatus } from "./kubelet-status.js";
import { kubeletBaseUrl } from "./kubelet-target.js";
import { podKubelet, readPod } from "./pod-kubelet.js";

/** How long a kubelet may take to start answering. */
const KUBELET_ANSWER_TIMEOUT_MS = 30_000;

/** The most of a kubelet's error answer read into a Status. */
const MAX_ERROR_BODY = 64 * 1024;

/**
 * GET pods/NAME/log: checks the options against the pod, finds the
 * kubelet of its node and streams that kubelet's `/containerLogs` answer
 * to the client as it comes (a follow lasts until the kubelet ends it or
 * the client goes). A kubelet error becomes a Status with its code.
 */
export async function servePodLog(
  ctx: ServerContext,
  namespace: string,
  name: string,
  query: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  req.resume();
  const read = await readPod(ctx, namespace, name);
  if (!read.ok) return sendStatus(res, read.status);
  const parsed = parsePodLogOptions(read.pod, query);
  if (!parsed.ok) return sendStatus(res, parsed.status);
  const kubelet = await podKubelet(ctx, read.pod);
  if (!kubelet.ok) return sendStatus(res, kubelet.status);
  const { options } = parsed;
  const params = new URLSearchParams();
  if (options.follow) params.set("follow", "true");
  if (options.previous) params.set("previous", "true");
  if (options.timestamps) params.set("timestamps", "true");
  if (options.sinceSeconds !== undefined) params.set("sinceSeconds", String(options.sinceSeconds));
  if (options.sinceTime !== undefined) params.set("sinceTime", options.sinceTime);
  if (options.tailLines !== undefined) params.set("tailLines", String(options.tailLines));
  if (options.limitBytes !== undefined) params.set("limitBytes", String(options.limitBytes));
  const path = ["containerLogs", namespace, name, options.container].map(encodeURIComponent);
  const url = `${kubeletBaseUrl(kubelet.target)}/${path.join("/")}?${params}`;
  const tls = ctx.kubelet ?? {};

  await new Promise<void>((resolve) => {
    const upstream = request(
      url,
      {
        cert: tls.cert,
        key: tls.key,
        ca: tls.ca,
        // Without --kubelet-certificate-authority upstream does not verify kubelets either.
        rejectUnauthorized: tls.ca !== undefined,
      },
      (answer) => {
        upstream.setTimeout(0); // a follow may be quiet for as long as it likes
        if (answer.statusCode === 200) {
          res.writeHead(200, { "Content-Type": "text/plain" });
          answer.pipe(res);
          answer.on("end", resolve);
          answer.on("error", () => {
            res.destroy();
            resolve();
          });
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        answer.on("data", (chunk: Buffer) => {
          if (size < MAX_ERROR_BODY) chunks.push(chunk);
          size += chunk.length;
        });
        answer.on("end", () => {
          sendStatus(
            res,
            kubeletErrorStatus(answer.statusCode ?? 500, Buffer.concat(chunks).toString()),
          );
          resolve();
        });
        answer.on("error", () => resolve());
      },
    );
    upstream.on("error", (error) => {
      if (!res.headersSent) sendStatus(res, internalError(error));
      else res.destroy();
      resolve();
    });
    // The client hung up (a follow it is done with): stop reading from the kubelet.
    res.on("close", () => {
      upstream.destroy();
      resolve();
    });
    // A kubelet that does not answer at all fails the request instead of holding it.
    upstream.setTimeout(KUBELET_ANSWER_TIMEOUT_MS, () =>
      upstream.destroy(new Error(`no answer from the kubelet at ${url} in 30s`)),
    );
    upstream.end();
  });
}

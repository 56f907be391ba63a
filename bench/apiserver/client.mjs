// @ts-check
/**
 * The benchmark's HTTPS client: node:https with a keep-alive agent, JSON in
 * and out, a deadline per request. Plain enough that its own cost is small
 * beside the server's.
 */
import { Agent, request } from "node:https";

/**
 * @typedef {{ status: number, body: string }} Reply
 * @typedef {{ url: string, ca: string, token: string }} Target
 */

/**
 * A keep-alive agent for `sockets` concurrent requests.
 * @param {number} sockets
 */
export function keepAliveAgent(sockets) {
  return new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
}

/**
 * One request; resolves with the status and the whole body.
 * @param {Target} target
 * @param {Agent} agent
 * @param {string} method
 * @param {string} path
 * @param {{ body?: string, contentType?: string, timeoutMs?: number }} [options]
 * @returns {Promise<Reply>}
 */
export function send(target, agent, method, path, options = {}) {
  return new Promise((resolve, reject) => {
    /** @type {Record<string, string>} */
    const headers = { Authorization: `Bearer ${target.token}`, Accept: "application/json" };
    if (options.body !== undefined) {
      headers["Content-Type"] = options.contentType ?? "application/json";
      headers["Content-Length"] = String(Buffer.byteLength(options.body));
    }
    const req = request(target.url + path, { method, headers, ca: target.ca, agent }, (res) => {
      /** @type {Buffer[]} */
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", reject);
    });
    req.setTimeout(options.timeoutMs ?? 30_000, () =>
      req.destroy(new Error(`${method} ${path}: no answer in time`)),
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** Milliseconds since the epoch, with sub-millisecond precision, comparable across threads. */
export function nowMs() {
  return performance.timeOrigin + performance.now();
}

// @ts-check
/**
 * Worker thread of the fan-out phase: opens `count` watches on one
 * namespace's pods over HTTPS (a socket each, as separate clients have)
 * and reports, for every `bench/seq` annotation value it sees, when each
 * watch received it. Runs beside the apiserver's thread, so parsing a
 * thousand streams does not queue behind the server's own work.
 */
import { Agent, request } from "node:https";
import { parentPort, workerData } from "node:worker_threads";
import { nowMs } from "./client.mjs";

/** @type {{ url: string, ca: string, token: string, path: string, count: number }} */
const { url, ca, token, path, count } = workerData;
if (!parentPort) throw new Error("fanout-worker runs as a worker thread");
const port = parentPort;
const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
/** @type {Map<number, number[]>} seq -> receive times */
const received = new Map();
let open = 0;
/** @type {import("node:http").ClientRequest[]} */
const requests = [];

/** @param {string} line */
function onLine(line) {
  const m = /"bench\/seq":"(\d+)"/.exec(line);
  if (!m || !line.startsWith('{"type":"MODIFIED"')) return;
  const seq = Number(m[1]);
  const times = received.get(seq) ?? [];
  times.push(nowMs());
  received.set(seq, times);
  if (times.length === count) {
    port.postMessage({ type: "reached", seq, times });
    received.delete(seq);
  }
}

for (let i = 0; i < count; i++) {
  const req = request(
    url + path,
    { headers: { Authorization: `Bearer ${token}` }, ca, agent },
    (res) => {
      if (res.statusCode !== 200) {
        port.postMessage({ type: "error", message: `watch answered ${res.statusCode}` });
        return;
      }
      open++;
      port.postMessage({ type: "open", open });
      let buffer = "";
      res.setEncoding("utf8");
      res.on("data", (/** @type {string} */ chunk) => {
        buffer += chunk;
        let nl = buffer.indexOf("\n");
        while (nl >= 0) {
          onLine(buffer.slice(0, nl));
          buffer = buffer.slice(nl + 1);
          nl = buffer.indexOf("\n");
        }
      });
    },
  );
  req.on("error", (error) => port.postMessage({ type: "error", message: String(error) }));
  req.end();
  requests.push(req);
}

port.on("message", (message) => {
  if (message === "stop") {
    for (const req of requests) req.destroy();
    agent.destroy();
    port.close();
  }
});

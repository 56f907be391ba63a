import { request } from "node:https";

/**
 * Decoded JSON as the tests read it: loosely typed on purpose, since every
 * field a test uses is checked by an assertion.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type Json = any;

/** A response read to the end. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): Json;
}

/** One HTTPS request that trusts `ca`, for tests that speak to the server without kubectl. */
export function httpsRequest(
  url: string,
  ca: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const headers = { ...init.headers };
    // Node sends a DELETE's body without a length unless told one.
    if (init.body !== undefined) headers["Content-Length"] = String(Buffer.byteLength(init.body));
    const req = request(
      url,
      { method: init.method ?? "GET", headers, ca, timeout: 20_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text),
          });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

/** Opens a watch and collects its newline-delimited events until `done(events)` holds (or the stream ends). */
export function watchEvents(
  url: string,
  ca: string,
  token: string,
  done: (events: Json[]) => boolean,
): Promise<Json[]> {
  return new Promise((resolve, reject) => {
    const events: Json[] = [];
    let buffer = "";
    const req = request(url, { headers: { Authorization: `Bearer ${token}` }, ca }, (res) => {
      res.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        let nl = buffer.indexOf("\n");
        while (nl >= 0) {
          events.push(JSON.parse(buffer.slice(0, nl)));
          buffer = buffer.slice(nl + 1);
          nl = buffer.indexOf("\n");
        }
        if (done(events)) {
          req.destroy();
          resolve(events);
        }
      });
      res.on("end", () => resolve(events));
    });
    req.setTimeout(15_000, () => {
      req.destroy();
      reject(new Error(`watch timed out with ${events.length} events`));
    });
    req.on("error", (e) => (done(events) ? resolve(events) : reject(e)));
    req.end();
  });
}

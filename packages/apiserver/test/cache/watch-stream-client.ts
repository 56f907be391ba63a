import type { ClientRequest, IncomingMessage } from "node:http";
import { request } from "node:https";
import type { Json } from "../server/https-client.js";

/** A watch a test keeps open, collecting its events. */
export interface OpenWatch {
  readonly events: Json[];
  /** Resolves when the server ends the stream or the connection drops. */
  readonly ended: Promise<void>;
  /** Reads again, after opening paused. */
  resume(): void;
  close(): void;
}

/** Opens `url` as a watch; with `paused`, reads nothing at all. */
export function openWatch(url: string, ca: string, token: string, paused = false): OpenWatch {
  const events: Json[] = [];
  let buffer = "";
  let req: ClientRequest | undefined;
  let response: IncomingMessage | undefined;
  let markEnded!: () => void;
  const ended = new Promise<void>((resolve) => {
    markEnded = resolve;
  });
  req = request(url, { headers: { Authorization: `Bearer ${token}` }, ca }, (res) => {
    response = res;
    if (paused) res.pause();
    res.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl = buffer.indexOf("\n");
      while (nl >= 0) {
        events.push(JSON.parse(buffer.slice(0, nl)));
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf("\n");
      }
    });
    res.on("end", markEnded);
    res.on("close", markEnded);
    res.on("error", markEnded);
  });
  req.on("error", markEnded);
  req.on("close", markEnded);
  req.end();
  return {
    events,
    ended,
    resume: () => response?.resume(),
    close: () => req?.destroy(),
  };
}

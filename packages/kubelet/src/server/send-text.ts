import type { ServerResponse } from "node:http";

/** A plain-text answer, as upstream's kubelet words its errors. */
export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
  res.end(text);
}

import { request } from "node:https";
import WebSocket from "ws";

/** A client certificate (or none) for talking to a kubelet in tests. */
export interface ClientCreds {
  cert?: string;
  key?: string;
}

/** GETs a kubelet path and reads the whole answer. */
export function kubeletGet(
  base: string,
  path: string,
  creds: ClientCreds = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { ...creds, rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** A streaming GET: what has arrived so far, whether it ended, and a way to hang up. */
export interface FollowedLog {
  readonly status: Promise<number>;
  text(): string;
  readonly ended: Promise<void>;
  close(): void;
}

/** GETs a kubelet path and keeps reading as the body streams. */
export function kubeletFollow(base: string, path: string, creds: ClientCreds): FollowedLog {
  let body = "";
  let setStatus: (s: number) => void = () => {};
  const status = new Promise<number>((r) => {
    setStatus = r;
  });
  let done: () => void = () => {};
  const ended = new Promise<void>((r) => {
    done = r;
  });
  const req = request(`${base}${path}`, { ...creds, rejectUnauthorized: false }, (res) => {
    setStatus(res.statusCode ?? 0);
    res.setEncoding("utf8");
    res.on("data", (c: string) => {
      body += c;
    });
    res.on("end", done);
    res.on("close", done);
  });
  req.on("error", done);
  req.end();
  return { status, text: () => body, ended, close: () => req.destroy() };
}

/** What a remote command sent back over the v4 channel protocol. */
export interface ChannelResult {
  stdout: string;
  stderr: string;
  /** The JSON Status on the error channel (v4: success or failure with the exit code). */
  status: { status?: string; details?: { causes?: { reason?: string; message?: string }[] } };
}

/**
 * Runs an exec/attach over WebSocket with `v4.channel.k8s.io` (one byte of
 * channel before each message: 0 stdin, 1 stdout, 2 stderr, 3 error), as
 * kubectl did before v5; sends `stdin` if given, then waits for the close.
 */
export function channelExec(
  url: string,
  creds: ClientCreds,
  stdin?: string,
): Promise<ChannelResult> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ["v4.channel.k8s.io"], {
      ...creds,
      rejectUnauthorized: false,
    });
    const out: Record<number, string> = { 1: "", 2: "", 3: "" };
    ws.on("open", () => {
      if (stdin !== undefined) ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(stdin)]));
    });
    ws.on("message", (data: Buffer) => {
      const channel = data[0] ?? 0;
      out[channel] = (out[channel] ?? "") + data.subarray(1).toString();
    });
    ws.on("unexpected-response", (_req, res) =>
      reject(new Error(`upgrade refused: ${res.statusCode}`)),
    );
    ws.on("error", reject);
    ws.on("close", () =>
      resolve({
        stdout: out[1] ?? "",
        stderr: out[2] ?? "",
        status: out[3] ? JSON.parse(out[3]) : {},
      }),
    );
  });
}

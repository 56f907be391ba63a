import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { type Clock, realClock } from "../clock/clock.js";
import { StatusError, statusErrorFromResponse } from "../errors/status-error.js";
import type { KubeObject, Status, WatchEvent } from "../meta/types.js";
import { decodeWatchEvents } from "./ndjson.js";
import { buildRequest, type PreparedRequest, type RequestSpec } from "./request.js";
import type { RestConfig } from "./rest-config.js";
import { TokenSource } from "./token-source.js";

/** Options of an {@link HttpClient}. */
export interface HttpClientOptions {
  /** Clock for token-file caching (default the real clock). */
  clock?: Clock;
}

/**
 * Sends JSON requests to one apiserver as one user: TLS material and
 * credentials from a {@link RestConfig}, connections kept alive, failures
 * turned into {@link StatusError}s. The typed clients are built on it.
 */
export class HttpClient {
  readonly config: RestConfig;
  readonly #agent: http.Agent;
  readonly #tokens: TokenSource;
  readonly #secure: boolean;

  constructor(config: RestConfig, options: HttpClientOptions = {}) {
    this.config = config;
    const url = new URL(config.server);
    this.#secure = url.protocol === "https:";
    if (!this.#secure && url.protocol !== "http:") {
      throw new Error(`server URL ${config.server} must be http: or https:`);
    }
    this.#agent = this.#secure
      ? new https.Agent({
          keepAlive: true,
          ...(config.tls.ca ? { ca: config.tls.ca } : {}),
          ...(config.tls.cert ? { cert: config.tls.cert } : {}),
          ...(config.tls.key ? { key: config.tls.key } : {}),
          ...(config.tls.serverName ? { servername: config.tls.serverName } : {}),
          rejectUnauthorized: !config.tls.insecureSkipTLSVerify,
        })
      : new http.Agent({ keepAlive: true });
    this.#tokens = new TokenSource(config.auth, options.clock ?? realClock);
  }

  /** The request as it would be sent (for tests and debugging). */
  async prepare(spec: RequestSpec): Promise<PreparedRequest> {
    return buildRequest(this.config, spec, await this.#tokens.token());
  }

  /**
   * Sends a request and parses the JSON response. Rejects with a
   * {@link StatusError} for non-2xx responses.
   */
  async request<T>(spec: RequestSpec, signal?: AbortSignal): Promise<T> {
    const timeoutMs = this.config.timeoutMs ?? 30_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const response = await this.#send(
      await this.prepare(spec),
      signal ? AbortSignal.any([signal, timeout]) : timeout,
    );
    const text = await readBody(response);
    if (text === "") {
      return {} as T;
    }
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new Error(`${spec.method} ${spec.path}: response is not JSON`, { cause: err });
    }
  }

  /**
   * Starts a watch (`spec` must carry `watch=1`) and yields its events until
   * the server ends it or `signal` aborts (then it ends quietly). Rejects on
   * the first `next()` if the watch cannot be started.
   */
  async *watch<T extends KubeObject>(
    spec: RequestSpec,
    signal: AbortSignal,
  ): AsyncGenerator<WatchEvent<T>> {
    let response: IncomingMessage;
    try {
      response = await this.#send(await this.prepare(spec), signal);
    } catch (err) {
      if (signal.aborted) return;
      throw err;
    }
    try {
      yield* decodeWatchEvents<T>(response);
    } catch (err) {
      if (signal.aborted) return;
      throw err;
    } finally {
      response.destroy();
    }
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.#agent.destroy();
  }

  /** Sends the request; resolves with a 2xx response, or rejects with a StatusError. */
  #send(prepared: PreparedRequest, signal: AbortSignal): Promise<IncomingMessage> {
    const transport = this.#secure ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(prepared.url, {
        method: prepared.method,
        headers: {
          ...prepared.headers,
          ...(prepared.body !== undefined
            ? { "content-length": String(Buffer.byteLength(prepared.body)) }
            : {}),
        },
        agent: this.#agent,
        signal,
      });
      req.on("error", reject);
      req.on("response", (response) => {
        const code = response.statusCode ?? 0;
        if (code >= 200 && code < 300) {
          resolve(response);
          return;
        }
        readBody(response).then((text) => reject(decodeFailure(code, text)), reject);
      });
      req.end(prepared.body);
    });
  }
}

/** Reads a whole response body as UTF-8. */
async function readBody(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A failed response as a StatusError: the server's Status when it sent one. */
function decodeFailure(code: number, text: string): StatusError {
  try {
    const body = JSON.parse(text) as Status;
    if (body && body.kind === "Status") {
      return new StatusError({ ...body, code: body.code ?? code });
    }
  } catch {
    // Not JSON: fall through to a synthesised Status.
  }
  return statusErrorFromResponse(code, text);
}

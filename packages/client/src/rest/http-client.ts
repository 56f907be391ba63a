import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { type Clock, realClock, sleep } from "../clock/clock.js";
import { StatusError, statusErrorFromResponse } from "../errors/status-error.js";
import type { KubeObject, Status, WatchEvent } from "../meta/types.js";
import { decodeWatchEvents } from "./ndjson.js";
import { buildRequest, type PreparedRequest, type RequestSpec } from "./request.js";
import type { RestConfig } from "./rest-config.js";
import { clockTimeout, RequestThrottle } from "./throttle.js";
import { TokenSource } from "./token-source.js";

/** Options of an {@link HttpClient}. */
export interface HttpClientOptions {
  /** Clock for timeouts, throttling, Retry-After waits and token-file caching (default the real clock). */
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
  readonly #clock: Clock;
  readonly #throttle: RequestThrottle | undefined;

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
    this.#clock = options.clock ?? realClock;
    this.#tokens = new TokenSource(config.auth, this.#clock);
    if (config.qps && config.qps > 0) {
      const burst = config.burst ?? Math.max(1, Math.ceil(config.qps * 2));
      this.#throttle = new RequestThrottle(this.#clock, config.qps, burst);
    }
  }

  /** The request as it would be sent (for tests and debugging). */
  async prepare(spec: RequestSpec): Promise<PreparedRequest> {
    return buildRequest(this.config, spec, await this.#tokens.token());
  }

  /**
   * Sends a request and parses the JSON response. Rejects with a
   * {@link StatusError} for non-2xx responses. A 429 or 5xx that carries
   * Retry-After is retried after that many seconds (the server did not act
   * on it), up to `maxRetries` times.
   */
  async request<T>(spec: RequestSpec, signal?: AbortSignal): Promise<T> {
    const maxRetries = this.config.maxRetries ?? 10;
    for (let attempt = 0; ; attempt++) {
      await this.#throttle?.wait(signal);
      const timeout = clockTimeout(
        this.#clock,
        this.config.timeoutMs ?? 30_000,
        `${spec.method} ${spec.path}: timed out`,
      );
      const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
      try {
        const response = await this.#send(await this.prepare(spec), combined);
        const text = await readBody(response);
        const code = response.statusCode ?? 0;
        if (code < 200 || code >= 300) {
          const retryAfter = retryAfterHeader(response);
          if ((code === 429 || code >= 500) && retryAfter !== undefined && attempt < maxRetries) {
            timeout.cancel();
            await sleep(this.#clock, retryAfter * 1000, signal);
            continue;
          }
          throw decodeFailure(code, text);
        }
        return parseJson<T>(text, spec);
      } finally {
        timeout.cancel();
      }
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
      await this.#throttle?.wait(signal);
      response = await this.#send(await this.prepare(spec), signal);
    } catch (err) {
      if (signal.aborted) return;
      throw err;
    }
    const code = response.statusCode ?? 0;
    if (code < 200 || code >= 300) {
      throw decodeFailure(code, await readBody(response));
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

  /** Sends the request; resolves with the response, whatever its status. */
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
      req.on("response", resolve);
      req.end(prepared.body);
    });
  }
}

/** Parses a JSON body; an empty body (some DELETEs) becomes `{}`. */
function parseJson<T>(text: string, spec: RequestSpec): T {
  if (text === "") {
    return {} as T;
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`${spec.method} ${spec.path}: response is not JSON`, { cause: err });
  }
}

/** The Retry-After header in whole seconds, when it is one (HTTP dates are not used by the apiserver). */
function retryAfterHeader(response: IncomingMessage): number | undefined {
  const value = response.headers["retry-after"];
  if (typeof value !== "string" || !/^\d+$/.test(value.trim())) {
    return undefined;
  }
  return Number(value.trim());
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

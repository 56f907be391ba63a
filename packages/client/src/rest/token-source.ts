import { readFile } from "node:fs/promises";
import type { Clock } from "../clock/clock.js";
import type { AuthConfig } from "./rest-config.js";

/** How long a token read from a file is reused before reading it again (as upstream: 1 min). */
const TOKEN_FILE_TTL_MS = 60_000;

/**
 * Produces the bearer token for each request: the configured token, or the
 * contents of the token file, re-read once a minute so rotated
 * service-account tokens are picked up.
 */
export class TokenSource {
  #cached: string | undefined;
  #readAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly auth: AuthConfig,
    readonly clock: Clock,
  ) {}

  /** The token to send, or undefined for none. */
  async token(): Promise<string | undefined> {
    if (this.auth.bearerToken) {
      return this.auth.bearerToken;
    }
    const file = this.auth.bearerTokenFile;
    if (!file) {
      return undefined;
    }
    const now = this.clock.now();
    if (this.#cached === undefined || now - this.#readAt >= TOKEN_FILE_TTL_MS) {
      try {
        this.#cached = (await readFile(file, "utf8")).trim();
        this.#readAt = now;
      } catch (err) {
        // Keep using the last good token if the file is briefly missing during rotation.
        if (this.#cached === undefined) {
          throw new Error(`cannot read bearer token file ${file}: ${(err as Error).message}`, {
            cause: err,
          });
        }
      }
    }
    return this.#cached;
  }
}

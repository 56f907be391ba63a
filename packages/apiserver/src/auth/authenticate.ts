import type { IncomingMessage } from "node:http";
import { TLSSocket } from "node:tls";
import { authenticateBearer, type UserInfo } from "../server/token-file.js";
import { authenticateClientCert } from "./client-cert.js";

/** How requests are authenticated. */
export interface Authenticators {
  /** Bearer tokens and their users. */
  tokens: ReadonlyMap<string, UserInfo>;
  /** Whether client certificates are read (the server was given a client CA). */
  clientCerts: boolean;
}

/**
 * The user a request comes from, as upstream's union authenticator finds
 * it: a verified client certificate first, then a bearer token. A
 * certificate that does not verify is an error, not a user; the request is
 * still let in by a good token (as upstream's union does), and is 401
 * otherwise.
 */
export function authenticateRequest(
  auth: Authenticators,
  req: IncomingMessage,
): UserInfo | undefined {
  if (auth.clientCerts && req.socket instanceof TLSSocket) {
    const cert = authenticateClientCert(req.socket);
    if (cert.kind === "user") return cert.user;
  }
  return authenticateBearer(auth.tokens, req.headers.authorization);
}

import type { PeerCertificate, TLSSocket } from "node:tls";
import type { UserInfo } from "../server/token-file.js";

/** What the client-certificate authenticator made of a connection. */
export type ClientCertResult =
  /** The connection presented no certificate: try other authenticators. */
  | { kind: "none" }
  /** A certificate signed by the client CA: this user. */
  | { kind: "user"; user: UserInfo }
  /** A certificate we cannot trust (unknown CA, expired, ...). */
  | { kind: "invalid"; reason: string };

const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * The user a verified client certificate names, as upstream's x509
 * authenticator reads it: the subject's CommonName is the user name, each
 * Organization a group. `system:authenticated` is added, as upstream's
 * authenticated-group decorator does.
 */
export function userFromCertificate(cert: Pick<PeerCertificate, "subject">): UserInfo {
  const subject = cert.subject ?? {};
  const name = asList(subject.CN)[0] ?? "";
  return { name, uid: "", groups: [...asList(subject.O), "system:authenticated"] };
}

/**
 * Reads the client certificate of a TLS connection whose server asked for
 * one (`requestCert`, not `rejectUnauthorized`, so clients without one can
 * still bring a token). Node has already checked the chain against the
 * client CA; `authorized` says whether it passed.
 */
export function authenticateClientCert(socket: TLSSocket): ClientCertResult {
  const peer = socket.getPeerCertificate();
  if (!peer || Object.keys(peer).length === 0) return { kind: "none" };
  if (!socket.authorized)
    return { kind: "invalid", reason: String(socket.authorizationError ?? "unknown authority") };
  const user = userFromCertificate(peer);
  // Upstream refuses a certificate without a CommonName.
  if (user.name === "") return { kind: "invalid", reason: "certificate has no CommonName" };
  return { kind: "user", user };
}

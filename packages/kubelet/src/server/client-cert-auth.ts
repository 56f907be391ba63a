import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";

/** Who sent a request, from its client certificate. */
export interface KubeletUser {
  /** The certificate's CN. */
  readonly name: string;
  /** The certificate's O values. */
  readonly groups: readonly string[];
}

/**
 * The user of a request on a TLS server that asked for client
 * certificates and verified them against `--client-ca-file`: the CN and
 * O of a certificate that chains to that CA, else none (anonymous).
 */
export function authenticateClientCert(socket: IncomingMessage["socket"]): KubeletUser | undefined {
  const tls = socket as TLSSocket;
  if (!tls.encrypted || !tls.authorized) return undefined;
  const subject = tls.getPeerCertificate()?.subject;
  if (!subject?.CN) return undefined;
  const cn = Array.isArray(subject.CN) ? subject.CN[0] : subject.CN;
  const o = subject.O === undefined ? [] : Array.isArray(subject.O) ? subject.O : [subject.O];
  return cn ? { name: cn, groups: o } : undefined;
}

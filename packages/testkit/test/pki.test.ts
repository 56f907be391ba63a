import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { connect, createServer, type TLSSocket } from "node:tls";
import { describe, expect, it } from "vitest";
import { createTestPki } from "../src/index.js";

describe("createTestPki", () => {
  it("issues a serving cert for 127.0.0.1 and client certs whose CN and O a server reads", async () => {
    const pki = createTestPki();
    const other = createTestPki("other-ca");
    const serving = pki.server("node-a");
    const seen: { authorized: boolean; cn?: string | string[]; o?: string | string[] }[] = [];
    const server = createServer(
      { ...serving, ca: pki.ca.cert, requestCert: true, rejectUnauthorized: false },
      (socket: TLSSocket) => {
        const subject = socket.getPeerCertificate().subject;
        seen.push({ authorized: socket.authorized, cn: subject?.CN, o: subject?.O });
        socket.end();
      },
    );
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    const dial = async (cert: { cert: string; key: string }) => {
      // The client verifies the server against the CA and the IP SAN.
      const socket = connect({ host: "127.0.0.1", port, ca: pki.ca.cert, ...cert });
      await once(socket, "secureConnect");
      await once(socket, "close");
    };
    try {
      await dial(pki.client("kube-apiserver-kubelet-client", ["system:masters"]));
      await dial(other.client("intruder"));
    } finally {
      server.close();
    }
    expect(seen).toEqual([
      { authorized: true, cn: "kube-apiserver-kubelet-client", o: "system:masters" },
      { authorized: false, cn: "intruder", o: undefined },
    ]);
  });
});

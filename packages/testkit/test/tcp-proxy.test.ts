import { once } from "node:events";
import { connect, createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startTcpProxy, type TcpProxy } from "../src/tcp-proxy.js";

/** Sends `text` through a new connection and resolves with what comes back, or the error. */
async function roundTrip(port: number, text: string): Promise<string> {
  const socket = connect({ host: "127.0.0.1", port });
  try {
    await once(socket, "connect");
    socket.write(text);
    const [data] = (await Promise.race([
      once(socket, "data"),
      once(socket, "close").then(() => {
        throw new Error("closed");
      }),
    ])) as [Buffer];
    return String(data);
  } catch (error) {
    return `error: ${(error as Error).message}`;
  } finally {
    socket.destroy();
  }
}

describe("startTcpProxy", () => {
  let echo: Server | undefined;
  let proxy: TcpProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    echo?.close();
  });

  it("forwards, drops everything while partitioned, and forwards again once healed", async () => {
    echo = createServer((socket) => {
      socket.on("error", () => {});
      socket.on("data", (data) => socket.write(`echo ${data}`));
    });
    echo.listen(0, "127.0.0.1");
    await once(echo, "listening");
    const address = echo.address();
    if (address === null || typeof address === "string") throw new Error("no address");
    proxy = await startTcpProxy({ targetPort: address.port });

    expect(await roundTrip(proxy.port, "a")).toBe("echo a");
    const open: Socket = connect({ host: "127.0.0.1", port: proxy.port });
    await once(open, "connect");
    open.on("error", () => {});
    // (events.once would reject on the reset's "error"; only the close matters here.)
    const closed = new Promise((resolve) => open.once("close", resolve));

    proxy.partition();
    expect(proxy.partitioned).toBe(true);
    await closed; // the open connection was cut...
    expect(await roundTrip(proxy.port, "b")).toMatch(/^error/); // ...and new ones are refused

    proxy.heal();
    expect(await roundTrip(proxy.port, "c")).toBe("echo c");
    expect(proxy.connections).toBe(3);
  });
});

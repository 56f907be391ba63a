import { createServer } from "node:net";

/**
 * A TCP port on 127.0.0.1 that was free a moment ago: the kernel picks it,
 * we close the listener and hand the number on. Another process could take
 * it in between; servers started with it fail loudly if so.
 */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        server.close();
        reject(new Error("freePort: listener has no TCP address"));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

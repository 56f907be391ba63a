import { execFile } from "node:child_process";
import { promisify } from "node:util";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** UTF-8 bytes of a string, for keys and values. */
export function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** A string from UTF-8 bytes. */
export function text(data: Uint8Array): string {
  return decoder.decode(data);
}

/**
 * The `range_end` that selects every key starting with `prefix`: the prefix
 * with its last byte below 0xff incremented and everything after it dropped.
 * A prefix of only 0xff bytes (or none) has no such end, so etcd's "no upper
 * bound" marker, a single zero byte, is returned instead.
 */
export function prefixEnd(prefix: Uint8Array): Uint8Array {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const byte = prefix[i];
    if (byte !== undefined && byte < 0xff) {
      const end = prefix.slice(0, i + 1);
      end[i] = byte + 1;
      return end;
    }
  }
  return new Uint8Array([0]);
}

const execFileAsync = promisify(execFile);

/** Runs Debian's etcdctl (v3 API) against `endpoint` and returns its stdout. */
export async function etcdctl(endpoint: string, ...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync("etcdctl", [`--endpoints=${endpoint}`, ...args], {
    env: { ...process.env, ETCDCTL_API: "3" },
    timeout: 10_000,
  });
  return stdout;
}

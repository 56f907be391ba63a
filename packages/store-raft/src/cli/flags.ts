import { InvalidArgumentError } from "commander";

/** A host and port to listen on, from an `http://host:port` URL. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** Parses a comma-separated list of `http://host:port` URLs, as etcd's URL flags take them. */
export function parseUrls(value: string): string[] {
  const urls = value
    .split(",")
    .map((u) => u.trim())
    .filter((u) => u !== "");
  if (urls.length === 0) throw new InvalidArgumentError("expected at least one URL");
  for (const url of urls) toListenAddress(url);
  return urls;
}

/** The address an `http://host:port` URL names; only plain http is served. */
export function toListenAddress(url: string): ListenAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidArgumentError(`"${url}" is not a URL`);
  }
  if (parsed.protocol !== "http:") {
    throw new InvalidArgumentError(
      `"${url}": only http:// URLs are served (TLS is not supported yet)`,
    );
  }
  if (parsed.port === "") throw new InvalidArgumentError(`"${url}" has no port`);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  return { host: host === "localhost" ? "127.0.0.1" : host, port: Number(parsed.port) };
}

/** Parses `--initial-cluster name=url,name=url`. */
export function parseInitialCluster(value: string): Array<{ name: string; peerUrl: string }> {
  const members = value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "")
    .map((item) => {
      const eq = item.indexOf("=");
      if (eq <= 0) throw new InvalidArgumentError(`"${item}" is not name=URL`);
      const peerUrl = item.slice(eq + 1);
      toListenAddress(peerUrl);
      return { name: item.slice(0, eq), peerUrl };
    });
  const names = new Set(members.map((m) => m.name));
  if (names.size !== members.length) throw new InvalidArgumentError("a member name appears twice");
  if (members.length === 0) throw new InvalidArgumentError("expected name=URL,...");
  return members;
}

/** Parses a positive integer flag. */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new InvalidArgumentError("must be a positive integer");
  return n;
}

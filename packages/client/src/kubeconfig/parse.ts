import { dirname, isAbsolute, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { KubeconfigError } from "./kubeconfig-error.js";
import type { Kubeconfig, KubeconfigCluster, KubeconfigContext, KubeconfigUser } from "./types.js";

type Fields = Record<string, unknown>;

/**
 * Parses one kubeconfig file's text. `file` names it in errors and anchors
 * relative paths (a kubeconfig's paths are relative to its own directory).
 */
export function parseKubeconfig(text: string, file: string): Kubeconfig {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new KubeconfigError(file, "", `not valid YAML: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const reader = new FieldReader(file, dirname(resolve(file)));
  const root: Fields = doc === null || doc === undefined ? {} : reader.object(doc, "");
  const config: Kubeconfig = {
    clusters: new Map(),
    users: new Map(),
    contexts: new Map(),
    origins: new Map(),
  };
  const current = reader.optString(root, "current-context", "current-context");
  if (current) {
    config.currentContext = current;
  }
  for (const [name, entry, path] of reader.namedList(root, "clusters", "cluster")) {
    config.clusters.set(name, reader.cluster(entry, path));
    config.origins.set(`clusters/${name}`, file);
  }
  for (const [name, entry, path] of reader.namedList(root, "users", "user")) {
    config.users.set(name, reader.user(entry, path));
    config.origins.set(`users/${name}`, file);
  }
  for (const [name, entry, path] of reader.namedList(root, "contexts", "context")) {
    config.contexts.set(name, reader.context(entry, path));
    config.origins.set(`contexts/${name}`, file);
  }
  return config;
}

/** Reads typed fields out of parsed YAML, throwing errors that name file and field. */
class FieldReader {
  constructor(
    readonly file: string,
    readonly baseDir: string,
  ) {}

  fail(field: string, problem: string): never {
    throw new KubeconfigError(this.file, field, problem);
  }

  object(value: unknown, field: string): Fields {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.fail(field, "must be a mapping");
    }
    return value as Fields;
  }

  optString(obj: Fields, key: string, field: string): string | undefined {
    const value = obj[key];
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== "string") {
      this.fail(field, "must be a string");
    }
    return value;
  }

  optBool(obj: Fields, key: string, field: string): boolean | undefined {
    const value = obj[key];
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== "boolean") {
      this.fail(field, "must be true or false");
    }
    return value;
  }

  optPath(obj: Fields, key: string, field: string): string | undefined {
    const value = this.optString(obj, key, field);
    if (value === undefined || value === "") {
      return undefined;
    }
    return isAbsolute(value) ? value : resolve(this.baseDir, value);
  }

  optBase64(obj: Fields, key: string, field: string): Buffer | undefined {
    const value = this.optString(obj, key, field);
    if (value === undefined || value === "") {
      return undefined;
    }
    if (!/^[A-Za-z0-9+/=\s]+$/.test(value)) {
      this.fail(field, "must be base64");
    }
    return Buffer.from(value, "base64");
  }

  /** Yields `[name, body, path]` for each `{name, <inner>: {...}}` entry of a list field. */
  *namedList(root: Fields, key: string, inner: string): Generator<[string, Fields, string]> {
    const list = root[key];
    if (list === undefined || list === null) {
      return;
    }
    if (!Array.isArray(list)) {
      this.fail(key, "must be a list");
    }
    for (const [index, item] of list.entries()) {
      const path = `${key}[${index}]`;
      const entry = this.object(item, path);
      const name = this.optString(entry, "name", `${path}.name`);
      if (!name) {
        this.fail(`${path}.name`, "is required");
      }
      const body = entry[inner] ?? {};
      yield [name, this.object(body, `${path}.${inner}`), `${path}.${inner}`];
    }
  }

  cluster(body: Fields, path: string): KubeconfigCluster {
    const server = this.optString(body, "server", `${path}.server`);
    if (!server) {
      this.fail(`${path}.server`, "is required");
    }
    const cluster: KubeconfigCluster = { server };
    assignDefined(cluster, {
      certificateAuthority: this.optPath(
        body,
        "certificate-authority",
        `${path}.certificate-authority`,
      ),
      certificateAuthorityData: this.optBase64(
        body,
        "certificate-authority-data",
        `${path}.certificate-authority-data`,
      ),
      insecureSkipTlsVerify: this.optBool(
        body,
        "insecure-skip-tls-verify",
        `${path}.insecure-skip-tls-verify`,
      ),
      tlsServerName: this.optString(body, "tls-server-name", `${path}.tls-server-name`),
      unsupported: presentKeys(body, ["proxy-url"]),
    });
    return cluster;
  }

  user(body: Fields, path: string): KubeconfigUser {
    const user: KubeconfigUser = {};
    assignDefined(user, {
      clientCertificate: this.optPath(body, "client-certificate", `${path}.client-certificate`),
      clientCertificateData: this.optBase64(
        body,
        "client-certificate-data",
        `${path}.client-certificate-data`,
      ),
      clientKey: this.optPath(body, "client-key", `${path}.client-key`),
      clientKeyData: this.optBase64(body, "client-key-data", `${path}.client-key-data`),
      token: this.optString(body, "token", `${path}.token`),
      tokenFile: this.optPath(body, "tokenFile", `${path}.tokenFile`),
      username: this.optString(body, "username", `${path}.username`),
      password: this.optString(body, "password", `${path}.password`),
      unsupported: presentKeys(body, ["exec", "auth-provider"]),
    });
    return user;
  }

  context(body: Fields, path: string): KubeconfigContext {
    const cluster = this.optString(body, "cluster", `${path}.cluster`) ?? "";
    const user = this.optString(body, "user", `${path}.user`) ?? "";
    const context: KubeconfigContext = { cluster, user };
    assignDefined(context, { namespace: this.optString(body, "namespace", `${path}.namespace`) });
    return context;
  }
}

/** The keys of `body` among `keys` (undefined when none, so the field stays absent). */
function presentKeys(body: Fields, keys: string[]): string[] | undefined {
  const present = keys.filter((key) => body[key] !== undefined && body[key] !== null);
  return present.length > 0 ? present : undefined;
}

/** Copies the defined values of `values` onto `target` (keeps absent fields absent). */
function assignDefined<T extends object>(target: T, values: Partial<T>): void {
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== "") {
      (target as Record<string, unknown>)[key] = value;
    }
  }
}

import type { ServerResponse } from "node:http";
import type { KubeObject } from "../../src/meta/types.js";
import { type FakeServer, json, type SeenRequest, startFakeServer } from "./fake-server.js";

/**
 * A tiny in-memory apiserver for tests: one global resourceVersion counter,
 * get / list / create / update (compare-and-swap on resourceVersion) /
 * merge-patch / delete, and watch streams from a change log. Paths are
 * parsed generically (`/api/v1/...`, `/apis/<g>/<v>/...`), so any resource works.
 * Not a model of the real apiserver's validation or defaults.
 */
export interface FakeApiserver extends FakeServer {
  /** Stored objects by collection path and name. */
  objects(collection: string): KubeObject[];
}

interface Change {
  rv: number;
  collection: string;
  type: "ADDED" | "MODIFIED" | "DELETED";
  object: KubeObject;
}

const status = (code: number, reason: string, message: string) => ({
  kind: "Status",
  apiVersion: "v1",
  status: "Failure",
  code,
  reason,
  message,
});

export async function startFakeApiserver(): Promise<FakeApiserver> {
  let rv = 0;
  const store = new Map<string, Map<string, KubeObject>>();
  const log: Change[] = [];
  const watchers = new Set<{ collection: string; from: number; res: ServerResponse }>();

  const collectionOf = (c: string): Map<string, KubeObject> => {
    let items = store.get(c);
    if (!items) {
      items = new Map();
      store.set(c, items);
    }
    return items;
  };

  const record = (collection: string, type: Change["type"], object: KubeObject): void => {
    const change = { rv, collection, type, object };
    log.push(change);
    for (const w of watchers) {
      if (matches(w.collection, collection)) {
        w.res.write(`${JSON.stringify({ type, object })}\n`);
      }
    }
  };

  const handler = (req: SeenRequest, res: ServerResponse): void => {
    const url = new URL(req.url, "http://x");
    const { collection, name } = parsePath(url.pathname);
    const items = collectionOf(collection);
    const body = req.body ? (JSON.parse(req.body) as KubeObject) : undefined;
    const existing = name ? items.get(name) : undefined;
    switch (req.method) {
      case "GET": {
        if (url.searchParams.get("watch") === "1") {
          const from = Number(url.searchParams.get("resourceVersion") || "0");
          res.writeHead(200, { "content-type": "application/json" });
          for (const change of log) {
            if (change.rv > from && matches(collection, change.collection)) {
              res.write(`${JSON.stringify({ type: change.type, object: change.object })}\n`);
            }
          }
          const watcher = { collection, from, res };
          watchers.add(watcher);
          res.on("close", () => watchers.delete(watcher));
          return;
        }
        if (name) {
          if (!existing) {
            json(res, 404, status(404, "NotFound", `"${name}" not found`));
            return;
          }
          json(res, 200, existing);
          return;
        }
        const all = [...store.entries()]
          .filter(([c]) => matches(collection, c))
          .flatMap(([, m]) => [...m.values()]);
        json(res, 200, { kind: "List", metadata: { resourceVersion: String(rv) }, items: all });
        return;
      }
      case "POST": {
        const objName = body?.metadata?.name ?? "";
        if (items.has(objName)) {
          json(res, 409, status(409, "AlreadyExists", `"${objName}" already exists`));
          return;
        }
        rv++;
        const namespace = /\/namespaces\/([^/]+)\//.exec(collection)?.[1];
        const created = withMeta(body ?? {}, {
          resourceVersion: String(rv),
          uid: `uid-${rv}`,
          ...(namespace ? { namespace } : {}),
        });
        items.set(objName, created);
        record(collection, "ADDED", created);
        json(res, 201, created);
        return;
      }
      case "PUT":
      case "PATCH": {
        if (!existing || !name) {
          json(res, 404, status(404, "NotFound", `"${name}" not found`));
          return;
        }
        if (
          req.method === "PUT" &&
          body?.metadata?.resourceVersion !== existing.metadata?.resourceVersion
        ) {
          json(res, 409, status(409, "Conflict", `"${name}" was modified`));
          return;
        }
        rv++;
        const merged =
          req.method === "PUT" ? (body as KubeObject) : (mergePatch(existing, body) as KubeObject);
        const updated = withMeta(merged, {
          resourceVersion: String(rv),
          uid: existing.metadata?.uid ?? "",
        });
        items.set(name, updated);
        record(collection, "MODIFIED", updated);
        json(res, 200, updated);
        return;
      }
      case "DELETE": {
        if (!existing || !name) {
          json(res, 404, status(404, "NotFound", `"${name}" not found`));
          return;
        }
        rv++;
        items.delete(name);
        const deleted = withMeta(existing, { resourceVersion: String(rv) });
        record(collection, "DELETED", deleted);
        json(res, 200, deleted);
        return;
      }
      default: {
        json(res, 405, status(405, "MethodNotAllowed", req.method));
        return;
      }
    }
  };

  const server = await startFakeServer(handler);
  return {
    ...server,
    close: async () => {
      for (const w of watchers) w.res.end();
      await server.close();
    },
    objects: (collection) => [...(store.get(collection)?.values() ?? [])],
  };
}

/** Splits `/api/v1/namespaces/ns/pods/name` into a collection path and a name. */
function parsePath(path: string): { collection: string; name?: string } {
  const parts = path.split("/").filter(Boolean);
  const prefixLength = parts[0] === "api" ? 2 : 3;
  const rest = parts.slice(prefixLength);
  const scope = rest[0] === "namespaces" && rest.length >= 3 ? rest.slice(0, 2) : [];
  const [resource, name] = rest.slice(scope.length);
  const collection = ["", ...parts.slice(0, prefixLength), ...scope, resource].join("/");
  return name === undefined ? { collection } : { collection, name };
}

/** A cluster-wide list or watch (`/api/v1/pods`) also covers every namespace's collection. */
function matches(requested: string, stored: string): boolean {
  if (requested === stored) return true;
  const resource = requested.split("/").at(-1);
  const prefix = requested.slice(0, requested.lastIndexOf("/"));
  return stored.startsWith(`${prefix}/namespaces/`) && stored.endsWith(`/${resource}`);
}

function withMeta(obj: KubeObject, meta: Record<string, string>): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, ...meta } };
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) {
    return patch;
  }
  const out: Record<string, unknown> =
    typeof target === "object" && target !== null && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

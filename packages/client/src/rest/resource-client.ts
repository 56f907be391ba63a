import type { ListOptions, WatchOptions } from "../cache/lister-watcher.js";
import { isGoneOrExpired } from "../errors/predicates.js";
import type { GroupVersionResource, KubeList, KubeObject, WatchEvent } from "../meta/types.js";
import type { HttpClient } from "./http-client.js";
import { type QueryParams, queryString, resourcePath } from "./paths.js";

/** Options of a get. */
export interface GetOptions {
  /** `"0"` to allow a cached answer; absent for the latest. */
  resourceVersion?: string;
}

/** Options shared by create and update. */
export interface WriteOptions {
  /** Run admission and validation without persisting. */
  dryRun?: boolean;
  /** The manager name recorded in managedFields. */
  fieldManager?: string;
  /** How the server treats unknown or duplicate fields. */
  fieldValidation?: "Ignore" | "Warn" | "Strict";
}

/** How a patch body is interpreted. */
export type PatchType = "json" | "merge" | "strategic" | "apply";

/** The Content-Type for each {@link PatchType}. */
export const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  json: "application/json-patch+json",
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  apply: "application/apply-patch+yaml",
};

/** Options of a patch. */
export interface PatchOptions extends WriteOptions {
  /** Server-side apply only: take ownership of conflicting fields. */
  force?: boolean;
  /** Patch a subresource, e.g. `status`. */
  subresource?: string;
}

/** Options of a delete (sent as a metav1.DeleteOptions body). */
export interface DeleteOptions {
  /** What happens to dependents: `Orphan`, `Background` (default for most) or `Foreground`. */
  propagationPolicy?: "Orphan" | "Background" | "Foreground";
  gracePeriodSeconds?: number;
  /** Delete only if the object still has this uid / resourceVersion. */
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

/**
 * CRUD and watch for one resource (pods, deployments, a CRD's plural): what
 * client-go's typed and dynamic clients offer, keyed by group/version/resource.
 * Use {@link namespace} to address one namespace; list and watch without one
 * span all namespaces.
 */
export class ResourceClient<T extends KubeObject = KubeObject> {
  constructor(
    readonly http: HttpClient,
    readonly resource: GroupVersionResource,
    /** The namespace this client addresses, if any. */
    readonly namespaceName?: string,
  ) {}

  /** A client for the same resource in `namespace`. */
  namespace(namespace: string): ResourceClient<T> {
    if (!this.resource.namespaced) {
      throw new Error(`${this.resource.resource} is cluster-scoped; it has no namespaces`);
    }
    return new ResourceClient<T>(this.http, this.resource, namespace);
  }

  /** Reads one object. */
  get(name: string, options: GetOptions = {}, signal?: AbortSignal): Promise<T> {
    return this.http.request<T>(
      {
        method: "GET",
        path: this.#objectPath(name) + queryString({ resourceVersion: options.resourceVersion }),
      },
      signal,
    );
  }

  /** Lists objects (one page when `limit` is set; follow `metadata.continue` for more). */
  list(options: ListOptions = {}, signal?: AbortSignal): Promise<KubeList<T>> {
    return this.http.request<KubeList<T>>(
      { method: "GET", path: this.#collectionPath() + queryString(listQuery(options)) },
      signal,
    );
  }

  /**
   * Lists every object, following `continue` tokens page by page
   * (`pageSize` per request, default 500). If a token expires mid-way
   * (410), falls back to one unpaginated list, as client-go's pager does.
   */
  async listAll(
    options: Omit<ListOptions, "limit" | "continue"> & { pageSize?: number } = {},
    signal?: AbortSignal,
  ): Promise<KubeList<T>> {
    const { pageSize = 500, ...rest } = options;
    const items: T[] = [];
    let token: string | undefined;
    // Bounded by the server's pages; a page without a continue token ends it.
    for (let page = 0; page < 1_000_000; page++) {
      let result: KubeList<T>;
      try {
        result = await this.list(
          token === undefined
            ? { ...rest, limit: pageSize }
            : { ...rest, limit: pageSize, continue: token, resourceVersion: undefined },
          signal,
        );
      } catch (err) {
        if (token !== undefined && isGoneOrExpired(err)) {
          return this.list(rest, signal);
        }
        throw err;
      }
      items.push(...result.items);
      token = result.metadata?.continue || undefined;
      if (token === undefined) {
        return { ...result, items, metadata: { ...result.metadata, continue: undefined } };
      }
    }
    throw new Error(`${this.resource.resource}: too many pages`);
  }

  /** Creates `obj` (in this client's namespace, else the object's own). */
  create(obj: T, options: WriteOptions = {}, signal?: AbortSignal): Promise<T> {
    return this.http.request<T>(
      {
        method: "POST",
        path:
          this.#collectionPath(obj.metadata?.namespace, true) + queryString(writeQuery(options)),
        body: obj,
      },
      signal,
    );
  }

  /**
   * Creates something under an object's subresource: `pods/NAME/binding`
   * (what a scheduler posts), `pods/NAME/eviction`. Returns the server's
   * answer, typically a Status or the created object.
   */
  createSubresource<R = unknown>(
    name: string,
    subresource: string,
    body: unknown,
    options: WriteOptions = {},
    signal?: AbortSignal,
  ): Promise<R> {
    return this.http.request<R>(
      {
        method: "POST",
        path: this.#objectPath(name, subresource) + queryString(writeQuery(options)),
        body,
      },
      signal,
    );
  }

  /** Replaces `obj`; its `metadata.resourceVersion` makes this a compare-and-swap (409 on a race). */
  update(obj: T, options: WriteOptions = {}, signal?: AbortSignal): Promise<T> {
    return this.#put(obj, undefined, options, signal);
  }

  /** Replaces `obj`'s status subresource. */
  updateStatus(obj: T, options: WriteOptions = {}, signal?: AbortSignal): Promise<T> {
    return this.#put(obj, "status", options, signal);
  }

  /**
   * Patches an object. `patch` is the JSON patch array, merge document, or
   * (for `apply`) the full desired object; `apply` requires a fieldManager.
   */
  patch(
    name: string,
    type: PatchType,
    patch: unknown,
    options: PatchOptions = {},
    signal?: AbortSignal,
  ): Promise<T> {
    if (type === "apply" && !options.fieldManager) {
      throw new Error("server-side apply needs options.fieldManager");
    }
    return this.http.request<T>(
      {
        method: "PATCH",
        path:
          this.#objectPath(name, options.subresource) +
          queryString({
            ...writeQuery(options),
            force: type === "apply" && options.force ? true : undefined,
          }),
        body: patch,
        contentType: PATCH_CONTENT_TYPES[type],
      },
      signal,
    );
  }

  /**
   * Server-side apply of `obj` (its own name and namespace): the fields it
   * sets become owned by `fieldManager`; `force` takes them over from other
   * managers on conflict.
   */
  apply(
    obj: T,
    options: { fieldManager: string; force?: boolean; dryRun?: boolean },
    signal?: AbortSignal,
  ): Promise<T> {
    const name = obj.metadata?.name;
    if (!name) {
      throw new Error(`${this.resource.resource}: apply needs metadata.name`);
    }
    const namespace = this.#namespaceFor(obj.metadata?.namespace, true);
    const scoped = namespace && !this.namespaceName ? this.namespace(namespace) : this;
    return scoped.patch(name, "apply", obj, options, signal);
  }

  /** Deletes an object. Resolves with what the server returns (the object or a Status). */
  delete(name: string, options: DeleteOptions = {}, signal?: AbortSignal): Promise<unknown> {
    return this.http.request<unknown>(
      {
        method: "DELETE",
        path: this.#objectPath(name),
        body: deleteBody(options),
      },
      signal,
    );
  }

  /** Deletes every object matching the list options (label/field selectors) in this client's scope. */
  deleteCollection(
    listOptions: Pick<ListOptions, "labelSelector" | "fieldSelector"> = {},
    options: DeleteOptions = {},
    signal?: AbortSignal,
  ): Promise<unknown> {
    return this.http.request<unknown>(
      {
        method: "DELETE",
        path:
          this.#collectionPath() +
          queryString({
            labelSelector: listOptions.labelSelector,
            fieldSelector: listOptions.fieldSelector,
          }),
        body: deleteBody(options),
      },
      signal,
    );
  }

  /** Watches changes (add `resourceVersion` to start after a list). */
  watch(options: WatchOptions = {}, signal: AbortSignal): AsyncIterable<WatchEvent<T>> {
    return this.http.watch<T>(
      {
        method: "GET",
        path: this.#collectionPath() + queryString({ watch: 1, ...watchQuery(options) }),
      },
      signal,
    );
  }

  #put(
    obj: T,
    subresource: string | undefined,
    options: WriteOptions,
    signal?: AbortSignal,
  ): Promise<T> {
    const name = obj.metadata?.name;
    if (!name) {
      throw new Error(`${this.resource.resource}: update needs metadata.name`);
    }
    return this.http.request<T>(
      {
        method: "PUT",
        path:
          this.#objectPath(name, subresource, obj.metadata?.namespace) +
          queryString(writeQuery(options)),
        body: obj,
      },
      signal,
    );
  }

  #namespaceFor(objectNamespace: string | undefined, required: boolean): string | undefined {
    if (!this.resource.namespaced) {
      return undefined;
    }
    if (this.namespaceName && objectNamespace && objectNamespace !== this.namespaceName) {
      throw new Error(
        `object is in namespace "${objectNamespace}" but the client addresses "${this.namespaceName}"`,
      );
    }
    const namespace = this.namespaceName ?? objectNamespace;
    if (required && !namespace) {
      throw new Error(`${this.resource.resource} is namespaced; give a namespace`);
    }
    return namespace;
  }

  #collectionPath(objectNamespace?: string, required = false): string {
    const namespace = this.#namespaceFor(objectNamespace, required);
    return resourcePath(this.resource, namespace ? { namespace } : {});
  }

  #objectPath(name: string, subresource?: string, objectNamespace?: string): string {
    const namespace = this.#namespaceFor(objectNamespace, true);
    return resourcePath(this.resource, {
      name,
      ...(namespace ? { namespace } : {}),
      ...(subresource ? { subresource } : {}),
    });
  }
}

function listQuery(options: ListOptions): QueryParams {
  return {
    labelSelector: options.labelSelector,
    fieldSelector: options.fieldSelector,
    limit: options.limit,
    continue: options.continue,
    resourceVersion: options.resourceVersion,
    resourceVersionMatch: options.resourceVersionMatch,
    timeoutSeconds: options.timeoutSeconds,
  };
}

function watchQuery(options: WatchOptions): QueryParams {
  return {
    labelSelector: options.labelSelector,
    fieldSelector: options.fieldSelector,
    resourceVersion: options.resourceVersion,
    allowWatchBookmarks: options.allowWatchBookmarks,
    timeoutSeconds: options.timeoutSeconds,
    sendInitialEvents: options.sendInitialEvents,
    resourceVersionMatch: options.resourceVersionMatch,
  };
}

function writeQuery(options: WriteOptions): QueryParams {
  return {
    dryRun: options.dryRun ? "All" : undefined,
    fieldManager: options.fieldManager,
    fieldValidation: options.fieldValidation,
  };
}

function deleteBody(options: DeleteOptions): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "DeleteOptions",
    ...(options.propagationPolicy ? { propagationPolicy: options.propagationPolicy } : {}),
    ...(options.gracePeriodSeconds !== undefined
      ? { gracePeriodSeconds: options.gracePeriodSeconds }
      : {}),
    ...(options.preconditions ? { preconditions: options.preconditions } : {}),
    ...(options.dryRun ? { dryRun: ["All"] } : {}),
  };
}

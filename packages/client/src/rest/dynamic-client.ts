import type { ListerWatcher } from "../cache/lister-watcher.js";
import type { GroupVersionResource, KubeObject } from "../meta/types.js";
import { HttpClient, type HttpClientOptions } from "./http-client.js";
import { ResourceClient } from "./resource-client.js";
import type { RestConfig } from "./rest-config.js";

/**
 * A client for any resource, built-in or custom, addressed by
 * group/version/resource; objects are plain JSON ({@link KubeObject}).
 * Pass a type argument to {@link resource} for typed access.
 */
export class DynamicClient {
  readonly http: HttpClient;

  constructor(http: HttpClient) {
    this.http = http;
  }

  /** A client for one resource. */
  resource<T extends KubeObject = KubeObject>(gvr: GroupVersionResource): ResourceClient<T> {
    return new ResourceClient<T>(this.http, gvr);
  }

  /** Closes idle connections. */
  close(): void {
    this.http.close();
  }
}

/** A {@link DynamicClient} for the server and credentials of `config`. */
export function createDynamicClient(
  config: RestConfig,
  options: HttpClientOptions = {},
): DynamicClient {
  return new DynamicClient(new HttpClient(config, options));
}

/**
 * The {@link ListerWatcher} an informer needs, over a resource client
 * (namespaced to one namespace or spanning all), with optional fixed
 * label/field selectors.
 */
export function listerWatcherFor<T extends KubeObject>(
  client: ResourceClient<T>,
  selectors: { labelSelector?: string; fieldSelector?: string } = {},
): ListerWatcher<T> {
  return {
    list: (options, signal) => client.list({ ...options, ...selectors }, signal),
    watch: (options, signal) => client.watch({ ...options, ...selectors }, signal),
  };
}

import {
  DynamicClient,
  type GroupVersionResource,
  HttpClient,
  type KubeObject,
  ResourceClient,
  type RestConfig,
  type WatchEvent,
  type WatchOptions,
} from "@kubekit/client";

class SlowWatchResource<T extends KubeObject> extends ResourceClient<T> {
  constructor(
    http: HttpClient,
    gvr: GroupVersionResource,
    private readonly delayMs: number,
  ) {
    super(http, gvr);
  }

  override watch(options: WatchOptions, signal: AbortSignal): AsyncIterable<WatchEvent<T>> {
    const inner = super.watch(options, signal);
    const delayMs = this.delayMs;
    return (async function* () {
      for await (const event of inner) {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        yield event;
      }
    })();
  }
}

/**
 * A client whose watches of `resource` deliver every event `delayMs` late:
 * an informer that lags behind the apiserver, as on a loaded cluster, so
 * tests can show a controller does not act twice on a stale cache.
 */
export function slowWatchClient(
  rest: RestConfig,
  resource: string,
  delayMs: number,
): DynamicClient {
  const http = new HttpClient(rest);
  return new (class extends DynamicClient {
    override resource<T extends KubeObject = KubeObject>(
      gvr: GroupVersionResource,
    ): ResourceClient<T> {
      return gvr.resource === resource
        ? new SlowWatchResource<T>(http, gvr, delayMs)
        : super.resource<T>(gvr);
    }
  })(http);
}

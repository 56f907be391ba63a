import type { KubeObject, SharedInformer } from "@kubekit/client";
import type { ObjectLookup } from "../cri/lookup.js";

interface ConfigMapObject extends KubeObject {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
}

interface SecretObject extends KubeObject {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

/**
 * ConfigMaps and Secrets for env and volumes, read from informer caches
 * (kept current by watches on the apiserver). A ConfigMap's `binaryData`
 * is decoded into the same map as text; a Secret's base64 `data` into bytes.
 */
export function informerObjectLookup(
  configMaps: SharedInformer<KubeObject>,
  secrets: SharedInformer<KubeObject>,
): ObjectLookup {
  return {
    configMap(namespace, name) {
      const found = configMaps.lister().namespace(namespace).get(name) as
        | ConfigMapObject
        | undefined;
      if (!found) return undefined;
      const data: Record<string, string> = { ...(found.data ?? {}) };
      for (const [key, value] of Object.entries(found.binaryData ?? {})) {
        data[key] = Buffer.from(value, "base64").toString("utf8");
      }
      return data;
    },
    secret(namespace, name) {
      const found = secrets.lister().namespace(namespace).get(name) as SecretObject | undefined;
      if (!found) return undefined;
      const data: Record<string, Uint8Array> = {};
      for (const [key, value] of Object.entries(found.data ?? {})) {
        data[key] = new Uint8Array(Buffer.from(value, "base64"));
      }
      for (const [key, value] of Object.entries(found.stringData ?? {})) {
        data[key] = new Uint8Array(Buffer.from(value, "utf8"));
      }
      return data;
    },
  };
}

// @ts-check
/**
 * Tops a namespace up to the pod count the LIST phase needs, writing
 * straight to the store (100 puts per transaction): on a loaded machine
 * the create phase may stop at its time cap well before 10,000 pods, and
 * the list numbers are about the count, not about how the pods got there.
 * Each pod is a copy of one the apiserver created (so it is what the
 * apiserver stores), under a new name and uid; the watch cache sees them
 * arrive through its etcd watch like any other write.
 */
import { randomUUID } from "node:crypto";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { KV } from "@kubekit/proto/etcd";

const BATCH = 100;

/**
 * @param {string} etcdUrl
 * @param {Record<string, any>} template a pod as the apiserver returned it
 * @param {string[]} names the names to write
 */
export async function seedPods(etcdUrl, template, names) {
  const kv = createClient(KV, createGrpcTransport({ baseUrl: etcdUrl }));
  const encoder = new TextEncoder();
  const { resourceVersion: _rv, ...metadata } = template.metadata;
  for (let i = 0; i < names.length; i += BATCH) {
    const success = names.slice(i, i + BATCH).map((name) => {
      const pod = { ...template, metadata: { ...metadata, name, uid: randomUUID() } };
      return {
        request: {
          case: /** @type {const} */ ("requestPut"),
          value: {
            key: encoder.encode(`/registry/core/pods/${metadata.namespace}/${name}`),
            value: encoder.encode(JSON.stringify(pod)),
          },
        },
      };
    });
    await kv.txn({ success });
  }
}

import { isNotFound } from "../errors/predicates.js";
import type { ResourceClient } from "../rest/resource-client.js";
import type { Lease, LeaseClient } from "./lease.js";

/** A {@link LeaseClient} for the Lease `namespace/name`, over the REST client for leases. */
export function leaseClientFor(
  leases: ResourceClient<Lease>,
  namespace: string,
  name: string,
): LeaseClient {
  const scoped = leases.namespace(namespace);
  return {
    async get(signal) {
      try {
        return await scoped.get(name, {}, signal);
      } catch (err) {
        if (isNotFound(err)) {
          return undefined;
        }
        throw err;
      }
    },
    create: (lease, signal) =>
      scoped.create(
        {
          apiVersion: "coordination.k8s.io/v1",
          kind: "Lease",
          ...lease,
          metadata: { ...lease.metadata, name, namespace },
        },
        {},
        signal,
      ),
    update: (lease, signal) => scoped.update(lease, {}, signal),
    describe: () => `${namespace}/${name}`,
  };
}

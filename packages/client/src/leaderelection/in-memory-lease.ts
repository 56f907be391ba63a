import { StatusError } from "../errors/status-error.js";
import type { Lease, LeaseClient } from "./lease.js";

/**
 * A Lease held in memory with the apiserver's optimistic concurrency:
 * every write bumps `resourceVersion`, and an update carrying a stale one is
 * refused with 409 Conflict. For tests of leader election, in this package
 * and in controllers built on it.
 */
export class InMemoryLease implements LeaseClient {
  #lease: Lease | undefined;
  #version = 0;

  constructor(
    readonly namespace = "default",
    readonly name = "leader",
  ) {}

  async get(): Promise<Lease | undefined> {
    return this.#lease === undefined ? undefined : structuredClone(this.#lease);
  }

  async create(lease: Lease): Promise<Lease> {
    if (this.#lease !== undefined) {
      throw new StatusError({
        kind: "Status",
        status: "Failure",
        reason: "AlreadyExists",
        code: 409,
        message: `leases "${this.name}" already exists`,
      });
    }
    return this.#store(lease);
  }

  async update(lease: Lease): Promise<Lease> {
    if (this.#lease === undefined) {
      throw new StatusError({ status: "Failure", reason: "NotFound", code: 404 });
    }
    if (lease.metadata?.resourceVersion !== this.#lease.metadata?.resourceVersion) {
      throw new StatusError({
        kind: "Status",
        status: "Failure",
        reason: "Conflict",
        code: 409,
        message: `lease "${this.name}" changed since it was read (resourceVersion mismatch)`,
      });
    }
    return this.#store(lease);
  }

  describe(): string {
    return `${this.namespace}/${this.name}`;
  }

  #store(lease: Lease): Lease {
    this.#version++;
    this.#lease = structuredClone({
      ...lease,
      metadata: {
        ...lease.metadata,
        name: this.name,
        namespace: this.namespace,
        resourceVersion: String(this.#version),
      },
    });
    return structuredClone(this.#lease);
  }
}

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ImageStore, Ipv4Pool, normalizeImageReference } from "../src/index.js";
import { parseIpv4Cidr } from "../src/state/ip-pool.js";

describe("Ipv4Pool", () => {
  it("hands out each usable address once, skipping network, gateway and broadcast", () => {
    const pool = new Ipv4Pool("192.168.7.0/29");
    const given = Array.from({ length: 5 }, () => pool.allocate());
    expect(given).toEqual([
      "192.168.7.2",
      "192.168.7.3",
      "192.168.7.4",
      "192.168.7.5",
      "192.168.7.6",
    ]);
    expect(() => pool.allocate()).toThrow(/no IP addresses available/);
    pool.release("192.168.7.4");
    expect(pool.allocate()).toBe("192.168.7.4");
  });

  it("masks the CIDR to its network and refuses IPv6 and tiny ranges", () => {
    expect(parseIpv4Cidr("10.1.2.3/16").network).toBe(parseIpv4Cidr("10.1.0.0/16").network);
    expect(() => new Ipv4Pool("fd00::/64")).toThrow(RangeError);
    expect(() => new Ipv4Pool("10.0.0.0/31")).toThrow(RangeError);
    expect(() => new Ipv4Pool("10.0.0.300/24")).toThrow(RangeError);
  });

  it("never gives one address twice while held (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 200 }), (ops) => {
        const pool = new Ipv4Pool("10.9.0.0/24");
        const held: string[] = [];
        for (const allocate of ops) {
          if (allocate || held.length === 0) {
            const ip = pool.allocate();
            expect(held).not.toContain(ip);
            held.push(ip);
          } else {
            pool.release(held.shift()!);
          }
        }
        expect(pool.used).toBe(held.length);
      }),
    );
  });
});

describe("images", () => {
  it("normalizes references as Docker reads them", () => {
    expect(normalizeImageReference("busybox")).toBe("docker.io/library/busybox:latest");
    expect(normalizeImageReference("kubekit/x:1")).toBe("docker.io/kubekit/x:1");
    expect(normalizeImageReference("registry.k8s.io/pause:3.9")).toBe("registry.k8s.io/pause:3.9");
    expect(normalizeImageReference("localhost:5000/app")).toBe("localhost:5000/app:latest");
    expect(normalizeImageReference("localhost/app")).toBe("localhost/app:latest");
    expect(normalizeImageReference("busybox@sha256:abc")).toBe(
      "docker.io/library/busybox@sha256:abc",
    );
  });

  it("pulls any reference to the same ID every time, except the missing ones", () => {
    const store = new ImageStore({ missingImages: ["nope"] });
    const first = store.pull("busybox");
    expect(first.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(new ImageStore().pull("docker.io/library/busybox:latest").id).toBe(first.id);
    expect(store.pull("busybox:latest")).toBe(first);
    expect(first.repoTags).toEqual(["docker.io/library/busybox:latest"]);
    expect(() => store.pull("docker.io/library/nope:latest")).toThrow(/: not found$/);
    expect(store.find("busybox")).toBe(first);
    expect(store.find(first.id)).toBe(first);
    store.remove(first.id);
    expect(store.find("busybox")).toBeUndefined();
    expect(store.list()).toEqual([]);
    store.setMissing("nope", false);
    expect(store.pull("nope").repoTags).toEqual(["docker.io/library/nope:latest"]);
  });
});

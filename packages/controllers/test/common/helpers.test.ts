import { describe, expect, it } from "vitest";
import { ControllerExpectations } from "../../src/common/expectations.js";
import {
  nodeMatchesTerm,
  tolerates,
  untoleratedTaints,
} from "../../src/common/node-eligibility.js";
import { findPort } from "../../src/common/service.js";
import { templateHash } from "../../src/common/template-hash.js";

describe("ControllerExpectations", () => {
  it("holds a key until its creations and deletions are observed, or they expire", () => {
    let now = 0;
    const e = new ControllerExpectations({ now: () => now }, 1000);
    expect(e.satisfied("ns/a")).toBe(true);
    e.expect("ns/a", 2, 1);
    e.creationObserved("ns/a");
    e.deletionObserved("ns/a");
    expect(e.satisfied("ns/a")).toBe(false);
    e.creationObserved("ns/a");
    expect(e.satisfied("ns/a")).toBe(true);
    e.expect("ns/a", 1, 0);
    now = 1001;
    expect(e.satisfied("ns/a")).toBe(true);
  });
});

describe("templateHash", () => {
  it("ignores key order, changes with content and with the collision count, and uses the safe alphabet", () => {
    const a = templateHash({
      spec: { containers: [{ name: "c", image: "x:1" }] },
      metadata: { labels: { a: "1" } },
    });
    const b = templateHash({
      metadata: { labels: { a: "1" } },
      spec: { containers: [{ image: "x:1", name: "c" }] },
    });
    expect(a).toBe(b);
    expect(templateHash({ spec: { containers: [{ name: "c", image: "x:2" }] } })).not.toBe(a);
    expect(templateHash({ x: 1 }, 1)).not.toBe(templateHash({ x: 1 }));
    expect(a).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });
});

describe("node eligibility", () => {
  it("matches terms with Gt, Lt, DoesNotExist and metadata.name fields", () => {
    const node = { metadata: { name: "n1", labels: { cores: "8", zone: "a" } } };
    expect(
      nodeMatchesTerm(node, {
        matchExpressions: [{ key: "cores", operator: "Gt", values: ["4"] }],
      }),
    ).toBe(true);
    expect(
      nodeMatchesTerm(node, {
        matchExpressions: [{ key: "cores", operator: "Lt", values: ["4"] }],
      }),
    ).toBe(false);
    expect(
      nodeMatchesTerm(node, { matchExpressions: [{ key: "gpu", operator: "DoesNotExist" }] }),
    ).toBe(true);
    expect(
      nodeMatchesTerm(node, {
        matchFields: [{ key: "metadata.name", operator: "In", values: ["n1"] }],
      }),
    ).toBe(true);
    expect(nodeMatchesTerm(node, {})).toBe(false);
  });

  it("tolerates as upstream: empty key with Exists matches all, Equal compares values, effects must agree", () => {
    const taint = { key: "dedicated", value: "db", effect: "NoSchedule" };
    expect(tolerates({ operator: "Exists" }, taint)).toBe(true);
    expect(tolerates({ key: "dedicated", operator: "Equal", value: "db" }, taint)).toBe(true);
    expect(tolerates({ key: "dedicated", value: "web" }, taint)).toBe(false);
    expect(tolerates({ key: "dedicated", operator: "Exists", effect: "NoExecute" }, taint)).toBe(
      false,
    );
    expect(
      untoleratedTaints(
        [taint, { key: "x", effect: "PreferNoSchedule" }],
        [],
        ["NoSchedule", "NoExecute"],
      ),
    ).toEqual([taint]);
  });
});

describe("findPort", () => {
  it("resolves named target ports by name and protocol, numbers as given", () => {
    const pod = {
      metadata: {},
      spec: {
        containers: [
          { name: "a", ports: [{ name: "dns", containerPort: 53, protocol: "UDP" }] },
          { name: "b", ports: [{ name: "dns", containerPort: 5353 }] },
        ],
      },
    };
    expect(findPort(pod, { port: 53, targetPort: "dns", protocol: "UDP" })).toBe(53);
    expect(findPort(pod, { port: 53, targetPort: "dns" })).toBe(5353);
    expect(findPort(pod, { port: 80, targetPort: "8080" })).toBe(8080);
    expect(findPort(pod, { port: 80 })).toBe(80);
    expect(findPort(pod, { port: 80, targetPort: "http" })).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import {
  applyScale,
  checkPreconditions,
  continueExpired,
  createResourceIndex,
  decodeContinueToken,
  encodeContinueToken,
  type KubeObject,
  parseDeleteOptions,
  toScale,
} from "../src/index.js";

const index = createResourceIndex();
const deployments = index.byResource("apps", "v1", "deployments")!;

const deployment: KubeObject = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: {
    name: "web",
    namespace: "d",
    uid: "u1",
    resourceVersion: "5",
    creationTimestamp: "2026-01-01T00:00:00Z",
  },
  spec: {
    replicas: 3,
    selector: {
      matchLabels: { app: "web" },
      matchExpressions: [{ key: "tier", operator: "In", values: ["fe"] }],
    },
  },
  status: { replicas: 2 },
};

describe("scale subresource", () => {
  it("reads a Scale", () => {
    expect(toScale(deployment)).toEqual({
      kind: "Scale",
      apiVersion: "autoscaling/v1",
      metadata: {
        name: "web",
        namespace: "d",
        uid: "u1",
        resourceVersion: "5",
        creationTimestamp: "2026-01-01T00:00:00Z",
      },
      spec: { replicas: 3 },
      status: { replicas: 2, selector: "app=web,tier in (fe)" },
    });
    const rc = { metadata: { name: "rc" }, spec: { replicas: 1, selector: { app: "old" } } };
    expect(toScale(rc).status).toEqual({ replicas: 0, selector: "app=old" });
  });

  it("writes spec.replicas", () => {
    const r = applyScale(deployments, deployment, { spec: { replicas: 7 } });
    expect(r.ok && r.object.spec).toMatchObject({
      replicas: 7,
      selector: { matchLabels: { app: "web" } },
    });
    expect((deployment.spec as { replicas: number }).replicas).toBe(3);
  });

  it("refuses negative replicas and stale versions", () => {
    expect(applyScale(deployments, deployment, { spec: { replicas: -1 } })).toMatchObject({
      ok: false,
      status: {
        code: 422,
        message:
          'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      },
    });
    expect(
      applyScale(deployments, deployment, {
        metadata: { resourceVersion: "4" },
        spec: { replicas: 1 },
      }),
    ).toMatchObject({
      ok: false,
      status: { code: 409, reason: "Conflict" },
    });
  });
});

describe("delete options", () => {
  it("reads the body and the query", () => {
    expect(
      parseDeleteOptions({
        kind: "DeleteOptions",
        gracePeriodSeconds: 0,
        propagationPolicy: "Foreground",
      }),
    ).toEqual({
      ok: true,
      options: { gracePeriodSeconds: 0, propagationPolicy: "Foreground" },
    });
    expect(
      parseDeleteOptions(
        undefined,
        new URLSearchParams("gracePeriodSeconds=-5&propagationPolicy=Orphan&dryRun=All"),
      ),
    ).toEqual({
      ok: true,
      options: { gracePeriodSeconds: 0, propagationPolicy: "Orphan", dryRun: true },
    });
    expect(parseDeleteOptions({ preconditions: { uid: "u1" } })).toEqual({
      ok: true,
      options: { preconditions: { uid: "u1" } },
    });
  });

  it("refuses bad options", () => {
    expect(parseDeleteOptions({ propagationPolicy: "Sideways" })).toMatchObject({
      ok: false,
      status: {
        code: 422,
        message:
          'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"',
      },
    });
    expect(
      parseDeleteOptions({ propagationPolicy: "Orphan", orphanDependents: true }),
    ).toMatchObject({ ok: false, status: { code: 422 } });
    expect(parseDeleteOptions({ gracePeriodSeconds: "soon" })).toMatchObject({
      ok: false,
      status: { code: 400 },
    });
  });

  it("checks preconditions", () => {
    const gr = { group: "apps", resource: "deployments" };
    expect(checkPreconditions(gr, deployment, { uid: "u1", resourceVersion: "5" })).toBeUndefined();
    expect(checkPreconditions(gr, deployment, { uid: "u2" })?.message).toBe(
      'Operation cannot be fulfilled on deployments.apps "web": Precondition failed: UID in precondition: u2, UID in object meta: u1',
    );
    expect(checkPreconditions(gr, deployment, { resourceVersion: "4" })?.code).toBe(409);
  });
});

describe("continue tokens", () => {
  it("round-trips and matches upstream's encoding", () => {
    const raw = encodeContinueToken({ resourceVersion: 42, startKey: "default/web\u0000" });
    expect(JSON.parse(Buffer.from(raw, "base64url").toString())).toEqual({
      v: "meta.k8s.io/v1",
      rv: 42,
      start: "default/web\u0000",
    });
    expect(decodeContinueToken(raw)).toEqual({
      ok: true,
      token: { resourceVersion: 42, startKey: "default/web\u0000" },
    });
  });

  it.each([
    ["garbage!", "continue key is not valid: the token is not base64-encoded JSON"],
    [
      Buffer.from('{"v":"x","rv":1,"start":"a"}').toString("base64url"),
      'continue key is not valid: server does not recognize this encoded key version "x"',
    ],
    [
      Buffer.from('{"v":"meta.k8s.io/v1","rv":0,"start":"a"}').toString("base64url"),
      "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
    ],
    [
      Buffer.from('{"v":"meta.k8s.io/v1","rv":1,"start":"../secrets/x"}').toString("base64url"),
      "continue key is not valid: start key may not contain path traversal",
    ],
  ])("refuses %s", (raw, message) => {
    expect(decodeContinueToken(raw)).toEqual({
      ok: false,
      status: expect.objectContaining({ code: 400, message }),
    });
  });

  it("has an Expired Status for compacted tokens", () => {
    expect(continueExpired()).toMatchObject({ code: 410, reason: "Expired" });
  });
});

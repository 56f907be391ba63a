import { describe, expect, it } from "vitest";
import { type KubeObject, parsePodLogOptions } from "../src/index.js";

const pod = (containers: string[], initContainers: string[] = []): KubeObject => ({
  metadata: { name: "web" },
  spec: {
    containers: containers.map((name) => ({ name })),
    initContainers: initContainers.map((name) => ({ name })),
  },
});
const parse = (p: KubeObject, q: string) => parsePodLogOptions(p, new URLSearchParams(q));

describe("pods/log options", () => {
  it("picks the only container and reads the flags", () => {
    expect(parse(pod(["app"]), "follow=true&tailLines=10&timestamps=1")).toEqual({
      ok: true,
      options: { container: "app", follow: true, previous: false, timestamps: true, tailLines: 10 },
    });
  });

  it("makes the client choose among several containers", () => {
    expect(parse(pod(["app", "side"], ["init"]), "")).toMatchObject({
      ok: false,
      status: {
        code: 400,
        message:
          "a container name must be specified for pod web, choose one of: [app side] or one of the init containers: [init]",
      },
    });
    expect(parse(pod(["app", "side"], ["init"]), "container=init")).toMatchObject({
      ok: true,
      options: { container: "init" },
    });
    expect(parse(pod(["app"]), "container=nope")).toMatchObject({
      ok: false,
      status: { code: 400, message: "container nope is not valid for pod web" },
    });
  });

  it.each([
    [
      "sinceSeconds=0",
      'PodLogOptions "" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0',
    ],
    [
      "tailLines=-1",
      'PodLogOptions "" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0',
    ],
    [
      "limitBytes=0",
      'PodLogOptions "" is invalid: limitBytes: Invalid value: 0: must be greater than 0',
    ],
    [
      "sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z",
      'PodLogOptions "" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
    ],
  ])("refuses %s", (q, message) => {
    expect(parse(pod(["app"]), q)).toMatchObject({ ok: false, status: { code: 422, message } });
  });
});

import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { bindingFor, createSchedulerCommand, type Pod } from "../src/index.js";

function program(): Command {
  const root = new Command("kubekit").exitOverride().configureOutput({ writeErr: () => {} });
  const sub = createSchedulerCommand({ shutdown: AbortSignal.abort() });
  const command = root
    .command(sub.name)
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
  sub.configure(command);
  return root;
}

describe("kubekit scheduler", () => {
  it("posts a v1 Binding naming the pod and the node", () => {
    const pod: Pod = {
      metadata: { name: "web", namespace: "prod", uid: "u1" },
      spec: { containers: [] },
    };
    expect(bindingFor(pod, "n1")).toEqual({
      apiVersion: "v1",
      kind: "Binding",
      metadata: { name: "web", namespace: "prod", uid: "u1" },
      target: { apiVersion: "v1", kind: "Node", name: "n1" },
    });
  });

  it("requires --kubeconfig", async () => {
    await expect(program().parseAsync(["scheduler"], { from: "user" })).rejects.toMatchObject({
      code: "commander.missingMandatoryOptionValue",
    });
  });

  it("rejects malformed flag values as usage errors", async () => {
    for (const bad of [
      "--leader-elect=yes",
      "--leader-elect-lease-duration=15",
      "--leader-elect-retry-period=2x",
      "--secure-port=70000",
    ]) {
      await expect(
        program().parseAsync(["scheduler", "--kubeconfig=k", bad], { from: "user" }),
      ).rejects.toMatchObject({ code: "commander.invalidArgument" });
    }
  });
});

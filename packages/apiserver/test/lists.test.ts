import { describe, expect, it } from "vitest";
import { createResourceIndex, toList, toPartialObjectMetadataList } from "../src/index.js";

const index = createResourceIndex();

describe("list responses", () => {
  const items = [{ metadata: { name: "a", resourceVersion: "3" }, spec: {} }];

  it("builds a <Kind>List with typed items", () => {
    expect(
      toList(index.byResource("apps", "v1", "deployments")!, items, {
        resourceVersion: "9",
        continue: "tok",
      }),
    ).toEqual({
      kind: "DeploymentList",
      apiVersion: "apps/v1",
      metadata: { resourceVersion: "9", continue: "tok" },
      items: [
        {
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: "a", resourceVersion: "3" },
          spec: {},
        },
      ],
    });
    expect(
      toList(index.byResource("", "v1", "pods")!, [], { resourceVersion: "1", continue: "" }),
    ).toEqual({
      kind: "PodList",
      apiVersion: "v1",
      metadata: { resourceVersion: "1" },
      items: [],
    });
  });

  it("builds metadata-only lists", () => {
    expect(
      toPartialObjectMetadataList(items, { resourceVersion: "9", remainingItemCount: 4 }),
    ).toEqual({
      kind: "PartialObjectMetadataList",
      apiVersion: "meta.k8s.io/v1",
      metadata: { resourceVersion: "9", remainingItemCount: 4 },
      items: [
        {
          kind: "PartialObjectMetadata",
          apiVersion: "meta.k8s.io/v1",
          metadata: { name: "a", resourceVersion: "3" },
        },
      ],
    });
  });
});

import { describe, expect, it } from "vitest";
import type { Affinity, Pod, PodAffinityTerm } from "../../src/api/types.js";
import * as ipa from "../../src/plugins/inter-pod-affinity/index.js";
import { filterAll, handleFor, node, onNode, pod, Snapshot, scoreAll } from "../fixtures.js";

const term = (
  app: string,
  topologyKey: string,
  extra: Partial<PodAffinityTerm> = {},
): PodAffinityTerm => ({
  labelSelector: { matchLabels: { app } },
  topologyKey,
  ...extra,
});
const withAffinity = (
  name: string,
  affinity: Affinity,
  labels?: Record<string, string>,
  ns?: string,
) => pod(name, { affinity }, labels, ns);

const nodes = [
  node("n1", { labels: { zone: "z1" } }),
  node("n2", { labels: { zone: "z1" } }),
  node("n3", { labels: { zone: "z2" } }),
  node("n4"),
];
const AFF = `UnschedulableAndUnresolvable: ${ipa.ERR_REASON_AFFINITY}`;
const ANTI = `Unschedulable: ${ipa.ERR_REASON_ANTI_AFFINITY}`;
const EXISTING = `Unschedulable: ${ipa.ERR_REASON_EXISTING_ANTI_AFFINITY}`;

function filter(p: Pod, existing: Pod[]) {
  const snapshot = Snapshot.from(nodes, existing);
  return filterAll(ipa.create(undefined, handleFor(snapshot)), p, snapshot);
}

describe("InterPodAffinity Filter", () => {
  const db = onNode(pod("db", {}, { app: "db" }), "n1");
  it.each<[string, Pod, Pod[], Record<string, string>]>([
    [
      "no terms and no repelling pods: skipped",
      pod("p"),
      [db],
      { n1: "ok", n2: "ok", n3: "ok", n4: "ok" },
    ],
    [
      "required affinity to a zone holding a match",
      withAffinity("p", {
        podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term("db", "zone")] },
      }),
      [db],
      { n1: "ok", n2: "ok", n3: AFF, n4: AFF },
    ],
    [
      "required anti-affinity keeps out of the matching zone; nodes without the key pass",
      withAffinity("p", {
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term("db", "zone")] },
      }),
      [db],
      { n1: ANTI, n2: ANTI, n3: "ok", n4: "ok" },
    ],
    [
      "an existing pod's anti-affinity repels the incoming pod",
      pod("web", {}, { app: "web" }),
      [
        onNode(
          withAffinity("lonely", {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [
                term("web", "kubernetes.io/hostname"),
              ],
            },
          }),
          "n3",
        ),
      ],
      { n1: "ok", n2: "ok", n3: EXISTING, n4: "ok" },
    ],
    [
      "the first pod of a self-affine group may go to any node with the key",
      withAffinity(
        "p",
        { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term("web", "zone")] } },
        { app: "web" },
      ),
      [db],
      { n1: "ok", n2: "ok", n3: "ok", n4: AFF },
    ],
    [
      "terms match pods in the owner's namespace only by default",
      withAffinity(
        "p",
        { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term("db", "zone")] } },
        undefined,
        "other",
      ),
      [db],
      { n1: AFF, n2: AFF, n3: AFF, n4: AFF },
    ],
    [
      "an empty namespaceSelector matches every namespace",
      withAffinity(
        "p",
        {
          podAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              term("db", "zone", { namespaceSelector: {} }),
            ],
          },
        },
        undefined,
        "other",
      ),
      [db],
      { n1: "ok", n2: "ok", n3: AFF, n4: AFF },
    ],
    [
      "affinity counts only pods matching every term",
      withAffinity("p", {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            term("db", "zone"),
            term("cache", "zone"),
          ],
        },
      }),
      [db, onNode(pod("cache", {}, { app: "cache" }), "n3")],
      { n1: AFF, n2: AFF, n3: AFF, n4: AFF },
    ],
  ])("%s", (_, p, existing, want) => {
    expect(filter(p, existing)).toEqual(want);
  });
});

describe("InterPodAffinity Score", () => {
  const three = nodes.slice(0, 3);
  const db = onNode(pod("db", {}, { app: "db" }), "n1");
  function score(p: Pod, existing: Pod[], args?: unknown) {
    const snapshot = Snapshot.from(three, existing);
    return scoreAll(ipa.create(args, handleFor(snapshot)), p, snapshot);
  }
  const preferred = (
    kind: "podAffinity" | "podAntiAffinity",
    weight: number,
    t: PodAffinityTerm,
  ): Affinity => ({
    [kind]: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight, podAffinityTerm: t }] },
  });

  it("preferred affinity favours the zone of matching pods", () => {
    expect(score(withAffinity("p", preferred("podAffinity", 5, term("db", "zone"))), [db])).toEqual(
      { n1: 100, n2: 100, n3: 0 },
    );
  });
  it("preferred anti-affinity disfavours it", () => {
    expect(
      score(withAffinity("p", preferred("podAntiAffinity", 5, term("db", "zone"))), [db]),
    ).toEqual({ n1: 0, n2: 0, n3: 100 });
  });
  it("existing pods' preferred affinity attracts the incoming pod", () => {
    const friendly = onNode(
      withAffinity("friendly", preferred("podAffinity", 10, term("web", "kubernetes.io/hostname"))),
      "n2",
    );
    expect(score(pod("web", {}, { app: "web" }), [db, friendly])).toEqual({
      n1: 0,
      n2: 100,
      n3: 0,
    });
  });
  it("existing pods' required affinity counts with hardPodAffinityWeight, or not at all with 0", () => {
    const needy = onNode(
      withAffinity("needy", {
        podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term("web", "zone")] },
      }),
      "n3",
    );
    expect(score(pod("web", {}, { app: "web" }), [needy])).toEqual({ n1: 0, n2: 0, n3: 100 });
    // Nothing left to score: PreScore skips, as upstream does for an empty topology score.
    expect(score(pod("web", {}, { app: "web" }), [needy], { hardPodAffinityWeight: 0 })).toEqual({
      skipped: 1,
    });
  });
  it("skips pods without preferences in a cluster without affinity pods", () => {
    expect(score(pod("p"), [db])).toEqual({ skipped: 1 });
  });
  it("rejects hardPodAffinityWeight out of range", () => {
    expect(() => ipa.validateArgs({ hardPodAffinityWeight: 101 })).toThrow(
      "hardPodAffinityWeight: Invalid value: 101",
    );
  });
});

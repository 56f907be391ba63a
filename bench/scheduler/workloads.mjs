// @ts-check
/**
 * The workloads, after upstream's scheduler_perf test cases: the cluster
 * each starts with, and the pods it measures.
 */

/** @typedef {import("@kubekit/scheduler-plugins").Node} Node */
/** @typedef {import("@kubekit/scheduler-plugins").Pod} Pod */

const ZONES = 10;

/** A node with 4 CPUs, 16 GiB, 110 pods, in one of ten zones. */
export function makeNode(/** @type {number} */ i) {
  const name = `node-${i}`;
  /** @type {Node} */
  const node = {
    metadata: {
      name,
      labels: {
        "kubernetes.io/hostname": name,
        "topology.kubernetes.io/zone": `zone-${i % ZONES}`,
      },
    },
    status: {
      capacity: { cpu: "4", memory: "16Gi", pods: "110" },
      allocatable: { cpu: "4", memory: "16Gi", pods: "110" },
    },
  };
  return node;
}

/**
 * A pod of the workload.
 * @param {string} name
 * @param {{ cpu?: string, memory?: string, labels?: Record<string, string>, priority?: number, nodeName?: string, spec?: Partial<Pod["spec"]> }} o
 * @returns {Pod}
 */
function makePod(name, o) {
  return {
    metadata: {
      name,
      namespace: "bench",
      uid: name,
      ...(o.labels ? { labels: o.labels } : {}),
      creationTimestamp: "2026-01-01T00:00:00Z",
    },
    spec: {
      ...(o.priority !== undefined ? { priority: o.priority } : {}),
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      containers: [
        {
          name: "c",
          image: "registry.k8s.io/pause:3.10",
          resources: { requests: { cpu: o.cpu ?? "100m", memory: o.memory ?? "128Mi" } },
        },
      ],
      ...o.spec,
    },
  };
}

/**
 * @typedef {object} Workload
 * @property {string} name
 * @property {string} upstream  the scheduler_perf case it follows
 * @property {(nodes: number) => Pod[]} initPods  already bound pods the cluster starts with
 * @property {(nodes: number, pods: number) => Pod[]} measuredPods
 */

/** @type {Record<string, Workload>} */
export const WORKLOADS = {
  basic: {
    name: "basic",
    upstream: "SchedulingBasic",
    initPods: () => [],
    measuredPods: (_nodes, pods) =>
      Array.from({ length: pods }, (_, i) => makePod(`basic-${i}`, {})),
  },
  "anti-affinity": {
    name: "anti-affinity",
    upstream: "SchedulingPodAntiAffinity",
    initPods: () => [],
    // Ten groups; a pod refuses a node running a pod of its own group (required, per hostname).
    measuredPods: (nodes, pods) => {
      const groups = Math.max(10, Math.ceil(pods / nodes));
      return Array.from({ length: pods }, (_, i) => {
        const group = `g${i % groups}`;
        return makePod(`anti-${i}`, {
          labels: { group },
          spec: {
            affinity: {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [
                  {
                    labelSelector: { matchLabels: { group } },
                    topologyKey: "kubernetes.io/hostname",
                  },
                ],
              },
            },
          },
        });
      });
    },
  },
  spread: {
    name: "spread",
    upstream: "SchedulingPodTopologySpreading",
    initPods: () => [],
    measuredPods: (_nodes, pods) =>
      Array.from({ length: pods }, (_, i) =>
        makePod(`spread-${i}`, {
          labels: { app: "spread" },
          spec: {
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: "topology.kubernetes.io/zone",
                whenUnsatisfiable: "DoNotSchedule",
                labelSelector: { matchLabels: { app: "spread" } },
              },
            ],
          },
        }),
      ),
  },
  preemption: {
    name: "preemption",
    upstream: "PreemptionBasic",
    // Every node is full of one low-priority pod; each measured pod must evict one.
    initPods: (nodes) =>
      Array.from({ length: nodes }, (_, i) =>
        makePod(`victim-${i}`, { cpu: "3500m", priority: 0, nodeName: `node-${i}` }),
      ),
    measuredPods: (nodes, pods) =>
      Array.from({ length: Math.min(pods, nodes) }, (_, i) =>
        makePod(`preemptor-${i}`, { cpu: "3", priority: 1000 }),
      ),
  },
};

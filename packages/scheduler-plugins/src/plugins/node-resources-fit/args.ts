/**
 * NodeResourcesFitArgs (kubescheduler.config.k8s.io/v1) and their defaults.
 */

/** A resource and its weight in a scoring strategy. */
export interface ResourceSpec {
  name: string;
  weight?: number;
}

/** One point of RequestedToCapacityRatio's shape: utilization 0–100 → score 0–10. */
export interface UtilizationShapePoint {
  utilization: number;
  score: number;
}

/** How NodeResourcesFit scores. */
export interface ScoringStrategy {
  type?: "LeastAllocated" | "MostAllocated" | "RequestedToCapacityRatio";
  resources?: ResourceSpec[];
  requestedToCapacityRatio?: { shape: UtilizationShapePoint[] };
}

/** The plugin's pluginConfig args. */
export interface NodeResourcesFitArgs {
  ignoredResources?: string[];
  ignoredResourceGroups?: string[];
  scoringStrategy?: ScoringStrategy;
}

/** The default scored resources: cpu and memory, weight 1 each. */
export const DEFAULT_RESOURCES: ResourceSpec[] = [
  { name: "cpu", weight: 1 },
  { name: "memory", weight: 1 },
];

/** A problem with the args, with the field path relative to the args. */
export class ArgsError extends Error {
  override readonly name = "ArgsError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** Validates args and fills in defaults; throws {@link ArgsError}. */
export function resolveFitArgs(raw: unknown): Required<NodeResourcesFitArgs> & {
  scoringStrategy: Required<Pick<ScoringStrategy, "type" | "resources">> & ScoringStrategy;
} {
  const args = (raw ?? {}) as NodeResourcesFitArgs;
  const strategy = args.scoringStrategy ?? {};
  const type = strategy.type ?? "LeastAllocated";
  if (!["LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"].includes(type)) {
    throw new ArgsError("scoringStrategy.type", `Unsupported value: "${type}"`);
  }
  const resources = (strategy.resources ?? DEFAULT_RESOURCES).map((r, i) => {
    const weight = r.weight ?? 1;
    if (!Number.isInteger(weight) || weight < 1 || weight > 100) {
      throw new ArgsError(
        `scoringStrategy.resources[${i}].weight`,
        `Invalid value: ${weight}: resource weight of ${r.name} should be in the range [1, 100]`,
      );
    }
    return { name: r.name, weight };
  });
  const resolved = { ...strategy, type, resources };
  if (type === "RequestedToCapacityRatio") {
    const shape = strategy.requestedToCapacityRatio?.shape ?? [];
    if (shape.length === 0) {
      throw new ArgsError(
        "scoringStrategy.requestedToCapacityRatio.shape",
        "Required value: at least one point must be specified",
      );
    }
    for (const [i, p] of shape.entries()) {
      if (p.utilization < 0 || p.utilization > 100) {
        throw new ArgsError(
          `scoringStrategy.requestedToCapacityRatio.shape[${i}].utilization`,
          `Invalid value: ${p.utilization}: not in valid range [0, 100]`,
        );
      }
      if (p.score < 0 || p.score > 10) {
        throw new ArgsError(
          `scoringStrategy.requestedToCapacityRatio.shape[${i}].score`,
          `Invalid value: ${p.score}: not in valid range [0, 10]`,
        );
      }
      if (i > 0 && p.utilization <= shape[i - 1]!.utilization) {
        throw new ArgsError(
          `scoringStrategy.requestedToCapacityRatio.shape[${i}].utilization`,
          `Invalid value: ${p.utilization}: utilization values must be sorted in increasing order`,
        );
      }
    }
  }
  return {
    ignoredResources: args.ignoredResources ?? [],
    ignoredResourceGroups: args.ignoredResourceGroups ?? [],
    scoringStrategy: resolved,
  };
}

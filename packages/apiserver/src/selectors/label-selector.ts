import {
  type LabelRequirement,
  matchesRequirement,
  requirementString,
} from "./label-requirement.js";

/** A parsed label selector: all requirements must hold (an AND). */
export interface LabelSelector {
  readonly requirements: readonly LabelRequirement[];
  /** True when the selector selects nothing at all (a null metav1.LabelSelector). */
  readonly selectsNothing: boolean;
  /** Whether an object with these labels is selected. */
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
  /** True when every object is selected. */
  empty(): boolean;
  /** The selector in string syntax, requirements sorted by key. */
  toString(): string;
}

/** Builds a selector from requirements, sorted by key as upstream sorts them. */
export function selectorFromRequirements(requirements: readonly LabelRequirement[]): LabelSelector {
  const sorted = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    requirements: sorted,
    selectsNothing: false,
    matches: (labels) => sorted.every((r) => matchesRequirement(r, labels ?? {})),
    empty: () => sorted.length === 0,
    toString: () => sorted.map(requirementString).join(","),
  };
}

/** The selector that selects everything. */
export const EVERYTHING: LabelSelector = selectorFromRequirements([]);

/** The selector that selects nothing. */
export const NOTHING: LabelSelector = {
  requirements: [],
  selectsNothing: true,
  matches: () => false,
  empty: () => false,
  toString: () => "",
};

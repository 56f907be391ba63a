/** metav1.LabelSelectorRequirement. */
export interface LabelSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
}

/** metav1.LabelSelector: `matchLabels` and `matchExpressions`, all ANDed. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** One parsed term of a selector. `Equals`/`NotEquals` come from the string form (`a=b`, `a!=b`). */
export interface Requirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | "Equals" | "NotEquals";
  values: string[];
}

/** A selector ready to test labels with: every requirement must hold. */
export type Selector = readonly Requirement[];

/** Converts a metav1.LabelSelector to requirements. An empty selector matches everything. */
export function selectorFromLabelSelector(selector: LabelSelector): Selector {
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    requirements.push({ key, operator: "Equals", values: [value] });
  }
  for (const expression of selector.matchExpressions ?? []) {
    const values = expression.values ?? [];
    if ((expression.operator === "In" || expression.operator === "NotIn") && values.length === 0) {
      throw new Error(`label selector: ${expression.operator} on "${expression.key}" needs values`);
    }
    requirements.push({ key: expression.key, operator: expression.operator, values });
  }
  return requirements;
}

/**
 * Parses the string form used in `?labelSelector=`: comma-separated terms
 * `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`.
 */
export function parseLabelSelector(text: string): Selector {
  const requirements: Requirement[] = [];
  for (const term of splitTerms(text)) {
    const set = /^([^\s!=(),]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    if (set) {
      const values = (set[3] ?? "")
        .split(",")
        .map((v) => v.trim())
        .filter((v) => v !== "");
      requirements.push({
        key: set[1] as string,
        operator: set[2] === "in" ? "In" : "NotIn",
        values,
      });
      continue;
    }
    const equality = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(term);
    if (equality) {
      requirements.push({
        key: equality[1] as string,
        operator: equality[2] === "!=" ? "NotEquals" : "Equals",
        values: [equality[3] ?? ""],
      });
      continue;
    }
    const exists = /^(!?)([^\s!=(),]+)$/.exec(term);
    if (exists) {
      requirements.push({
        key: exists[2] as string,
        operator: exists[1] === "!" ? "DoesNotExist" : "Exists",
        values: [],
      });
      continue;
    }
    throw new Error(`label selector: cannot parse "${term}"`);
  }
  return requirements;
}

/** True when `labels` satisfy every requirement of `selector`. */
export function selectorMatches(
  selector: Selector,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  const present = labels ?? {};
  return selector.every((req) => requirementHolds(req, present));
}

function requirementHolds(req: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, req.key);
  const value = labels[req.key] as string;
  switch (req.operator) {
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    case "Equals":
    case "In":
      return has && req.values.includes(value);
    case "NotEquals":
    case "NotIn":
      return !has || !req.values.includes(value);
  }
}

/** Renders a metav1.LabelSelector in the string form the apiserver accepts. */
export function formatLabelSelector(selector: LabelSelector): string {
  return selectorFromLabelSelector(selector).map(formatRequirement).join(",");
}

function formatRequirement(req: Requirement): string {
  switch (req.operator) {
    case "Equals":
      return `${req.key}=${req.values[0]}`;
    case "NotEquals":
      return `${req.key}!=${req.values[0]}`;
    case "In":
      return `${req.key} in (${req.values.join(",")})`;
    case "NotIn":
      return `${req.key} notin (${req.values.join(",")})`;
    case "Exists":
      return req.key;
    case "DoesNotExist":
      return `!${req.key}`;
  }
}

/** Splits on commas outside parentheses. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of text) {
    if (char === "(") depth++;
    if (char === ")") depth--;
    if (char === "," && depth === 0) {
      terms.push(current);
      current = "";
    } else {
      current += char;
    }
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t !== "");
}

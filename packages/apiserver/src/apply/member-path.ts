import { SEP } from "../meta/field-set.js";

/** The segments of a FieldsV1 member (`f:spec`, `k:{"name":"web"}`, `v:"x"`, `.`). */
export function segmentsOf(member: string): string[] {
  return member.split(SEP);
}

/** A member from its segments. */
export function memberOf(segments: readonly string[]): string {
  return segments.join(SEP);
}

/** The member a `.` member stands for (the list item or map itself); other members unchanged. */
export function ownerPath(member: string): string {
  const segments = segmentsOf(member);
  return segments.at(-1) === "." ? memberOf(segments.slice(0, -1)) : member;
}

const keyValue = (v: unknown) => JSON.stringify(v);

/**
 * A member written as upstream's fieldpath prints it in conflict messages:
 * `.spec.replicas`, `.spec.template.spec.containers[name="web"].image`,
 * `.metadata.finalizers[="x"]`, `.spec.ports[port=80,protocol="TCP"]`.
 */
export function memberToString(member: string): string {
  let out = "";
  for (const segment of segmentsOf(member)) {
    if (segment === ".") continue;
    const body = segment.slice(2);
    if (segment.startsWith("f:")) out += `.${body}`;
    else if (segment.startsWith("k:")) {
      const key = JSON.parse(body) as Record<string, unknown>;
      out += `[${Object.entries(key)
        .map(([k, v]) => `${k}=${keyValue(v)}`)
        .join(",")}]`;
    } else if (segment.startsWith("v:")) out += `[=${body}]`;
    else if (segment.startsWith("i:")) out += `[${body}]`;
  }
  return out;
}

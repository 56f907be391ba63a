import { managerFromUserAgent } from "../meta/managed-fields.js";
import type { WriteContext } from "../strategy/admission-result.js";
import type { ResourceRequest, ServerContext } from "./request-context.js";

/** The WriteContext of a write: our clock and randomness, and the field manager the client named. */
export function writeContextFor(ctx: ServerContext, r: ResourceRequest): WriteContext {
  const manager =
    r.query.get("fieldManager") || managerFromUserAgent(r.req.headers["user-agent"] ?? "");
  return { now: ctx.now, newUid: ctx.newUid, random: ctx.random, manager };
}

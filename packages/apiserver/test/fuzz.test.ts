import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyDefaults,
  applyPatch,
  createResourceIndex,
  decodeContinueToken,
  isStatus,
  type KubeObject,
  parseDeleteOptions,
  parseFieldSelector,
  parseLabelSelector,
  parseRequestInfo,
  validateCreate,
} from "../src/index.js";

const runs = { numRuns: 500 };

// Strings biased towards the selector grammar's own characters, so the
// parser is pushed down its error paths rather than only seeing noise.
const selectorish = fc
  .array(
    fc.constantFrom(
      "a",
      "b",
      "x",
      "=",
      "==",
      "!=",
      "!",
      "in",
      "notin",
      "(",
      ")",
      ",",
      " ",
      ">",
      "<",
      "1",
      "-",
      "/",
      ".",
      "\\",
      "é",
    ),
    {
      maxLength: 20,
    },
  )
  .map((parts) => parts.join(""));

const jsonValue = fc.jsonValue({ maxDepth: 4 });

const someObject: fc.Arbitrary<KubeObject> = fc.record({
  kind: fc.constantFrom("Pod", "Deployment", "Service", "ConfigMap"),
  metadata: fc.record(
    { name: fc.string(), labels: fc.dictionary(fc.string(), fc.string()) },
    { requiredKeys: [] },
  ),
  spec: jsonValue,
});

describe("never throws on garbage", () => {
  it("label selector parser returns a selector or a message", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), selectorish), (input) => {
        const r = parseLabelSelector(input);
        if (r.ok) {
          // Whatever parses prints back to something that parses to the same thing.
          const again = parseLabelSelector(r.selector.toString());
          expect(again.ok && again.selector.toString()).toBe(r.selector.toString());
        } else {
          expect(typeof r.message).toBe("string");
        }
      }),
      runs,
    );
  });

  it("field selector parser returns a selector or a message", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), selectorish), (input) => {
        const r = parseFieldSelector(input);
        if (r.ok) {
          const again = parseFieldSelector(r.selector.toString());
          expect(again.ok && again.selector.requirements).toEqual(r.selector.requirements);
        } else {
          expect(typeof r.message).toBe("string");
        }
      }),
      runs,
    );
  });

  it("patch appliers return an object or a Status", () => {
    const contentType = fc.constantFrom(
      "application/json-patch+json",
      "application/merge-patch+json",
      "application/strategic-merge-patch+json",
      "application/apply-patch+yaml",
      "text/plain",
    );
    const body = fc.oneof(
      fc.string(),
      jsonValue.map((v) => JSON.stringify(v)),
      fc
        .array(
          fc.record({
            op: fc.constantFrom("add", "remove", "replace", "move", "copy", "test", "bogus"),
            path: fc.constantFrom(
              "",
              "/",
              "/spec",
              "/metadata/name",
              "/spec/containers/0",
              "/spec/-",
              "/a~1b",
              "nope",
            ),
            from: fc.constantFrom("/spec", "/metadata", "/x"),
            value: jsonValue,
          }),
          { maxLength: 4 },
        )
        .map((ops) => JSON.stringify(ops)),
      fc
        .dictionary(
          fc.constantFrom(
            "spec",
            "metadata",
            "$patch",
            "$retainKeys",
            "$setElementOrder/containers",
            "$deleteFromPrimitiveList/finalizers",
            "containers",
          ),
          jsonValue,
        )
        .map((p) => JSON.stringify({ spec: { containers: [p] }, metadata: p, ...p })),
    );
    fc.assert(
      fc.property(contentType, someObject, body, (type, obj, patch) => {
        const r = applyPatch(type, obj, patch);
        if (r.ok) expect(typeof r.object).toBe("object");
        else expect(isStatus(r.status)).toBe(true);
      }),
      runs,
    );
  });

  it("continue tokens and delete options never throw", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v)).toString("base64url")),
        ),
        (raw) => {
          const r = decodeContinueToken(raw);
          if (!r.ok) expect(r.status.code).toBe(400);
        },
      ),
      runs,
    );
    fc.assert(
      fc.property(jsonValue, fc.string(), (body, query) => {
        const r = parseDeleteOptions(body, new URLSearchParams(query));
        if (!r.ok) expect(isStatus(r.status)).toBe(true);
      }),
      runs,
    );
  });

  it("request parsing never throws", () => {
    const segment = fc.constantFrom(
      "api",
      "apis",
      "v1",
      "apps",
      "namespaces",
      "ns",
      "pods",
      "watch",
      "proxy",
      "status",
      "",
      "x",
    );
    fc.assert(
      fc.property(
        fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"),
        fc.array(segment, { maxLength: 8 }),
        fc.string(),
        (method, parts, fieldSelector) => {
          const r = parseRequestInfo({
            method,
            path: `/${parts.join("/")}`,
            query: { fieldSelector, watch: "1" },
          });
          expect(typeof r.ok).toBe("boolean");
        },
      ),
      runs,
    );
  });

  it("defaulting and validation take any spec", () => {
    const index = createResourceIndex();
    const def = fc.constantFrom(...index.all);
    fc.assert(
      fc.property(def, someObject, (d, obj) => {
        const errs = validateCreate(d, applyDefaults(d, obj));
        expect(Array.isArray(errs)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

import { create, type DescMessage, fromJson, type MessageShape, toJson } from "@bufbuild/protobuf";
import { type RunningEtcd, startEtcd } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  LeaseGrantRequestSchema,
  LeaseGrantResponseSchema,
  MemberListRequestSchema,
  MemberListResponseSchema,
  PutRequestSchema,
  PutResponseSchema,
  RangeRequestSchema,
  RangeResponseSchema,
  StatusRequestSchema,
  StatusResponseSchema,
} from "../src/etcd.js";
import { bytes, text } from "./etcd-helpers.js";

/**
 * etcd's JSON gateway (POST /v3/...) names every field by its proto name,
 * so parsing its answers strictly and writing them back unchanged proves
 * our field names match etcd's, including the camelCase and upper-case
 * ones. The binary gRPC tests cannot see names; these can.
 */
describe("etcd v3 protos against etcd 3.4's JSON gateway", () => {
  let etcd: RunningEtcd;
  beforeAll(async () => {
    etcd = await startEtcd();
  });
  afterAll(async () => {
    await etcd?.stop();
  });

  async function call<I extends DescMessage, O extends DescMessage>(
    path: string,
    input: I,
    request: MessageShape<I>,
    output: O,
  ): Promise<MessageShape<O>> {
    const response = await fetch(`${etcd.endpoint}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(toJson(input, request, { useProtoFieldName: true })),
      signal: AbortSignal.timeout(10_000),
    });
    const body: unknown = await response.json();
    expect(response.status, JSON.stringify(body)).toBe(200);
    const parsed = fromJson(output, body as never, { ignoreUnknownFields: false });
    // Parsing alone also accepts lowerCamelCase JSON names; writing the
    // message back with proto field names must reproduce etcd's JSON exactly.
    expect(toJson(output, parsed, { useProtoFieldName: true })).toEqual(body);
    return parsed;
  }

  it("Put and Range: snake_case key-value fields", async () => {
    await call(
      "/v3/kv/put",
      PutRequestSchema,
      create(PutRequestSchema, { key: bytes("/json/k"), value: bytes("v") }),
      PutResponseSchema,
    );
    const range = await call(
      "/v3/kv/range",
      RangeRequestSchema,
      create(RangeRequestSchema, { key: bytes("/json/k") }),
      RangeResponseSchema,
    );
    expect(range.count).toBe(1n);
    expect(range.kvs.map((kv) => [text(kv.key), text(kv.value), kv.version])).toEqual([
      ["/json/k", "v", 1n],
    ]);
    expect(range.kvs[0]?.createRevision).toBeGreaterThan(0n);
    expect(range.header?.clusterId).not.toBe(0n);
  });

  it("Status: the camelCase fields (dbSize, raftAppliedIndex, dbSizeInUse, ...)", async () => {
    const status = await call(
      "/v3/maintenance/status",
      StatusRequestSchema,
      create(StatusRequestSchema),
      StatusResponseSchema,
    );
    expect(status.version).toMatch(/^3\.4\./);
    expect(status.dbSize).toBeGreaterThan(0n);
    expect(status.dbSizeInUse).toBeGreaterThan(0n);
    expect(status.raftAppliedIndex).toBeGreaterThan(0n);
    expect(status.leader).toBe(status.header?.memberId);
  });

  it("MemberList and LeaseGrant: the upper-case ID, TTL and URL fields", async () => {
    const members = await call(
      "/v3/cluster/member/list",
      MemberListRequestSchema,
      create(MemberListRequestSchema),
      MemberListResponseSchema,
    );
    expect(members.members.map((m) => [m.name, m.clientURLs, m.ID !== 0n])).toEqual([
      ["kubekit-test", [etcd.endpoint], true],
    ]);
    const grant = await call(
      "/v3/lease/grant",
      LeaseGrantRequestSchema,
      create(LeaseGrantRequestSchema, { TTL: 30n }),
      LeaseGrantResponseSchema,
    );
    expect(grant.TTL).toBe(30n);
    expect(grant.ID).not.toBe(0n);
  });
});

import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { badRequest, unsupportedMediaType } from "../errors/builders.js";
import type { Status } from "../errors/status.js";
import type { JsonObject } from "../types/object.js";

/** Kubernetes' protobuf media type, which kubectl's typed `create` commands send. */
export const PROTOBUF_MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

// Every Kubernetes protobuf body starts with these four bytes, then a runtime.Unknown.
const MAGIC = [0x6b, 0x38, 0x73, 0x00];

type FieldReader = (reader: BinaryReader, out: JsonObject) => void;
type MessageSchema = Record<number, FieldReader>;

function readMessage(bytes: Uint8Array, schema: MessageSchema): JsonObject {
  const reader = new BinaryReader(bytes);
  const out: JsonObject = {};
  while (reader.pos < reader.len) {
    const [field, wire] = reader.tag();
    const read = schema[field];
    if (read && wire === WireType.LengthDelimited) read(reader, out);
    else if (read && wire === WireType.Varint) read(reader, out);
    else reader.skip(wire, field);
  }
  return out;
}

const str =
  (name: string): FieldReader =>
  (r, out) => {
    out[name] = r.string();
  };
const strList =
  (name: string): FieldReader =>
  (r, out) => {
    out[name] = [...((out[name] as string[] | undefined) ?? []), r.string()];
  };
const bool =
  (name: string): FieldReader =>
  (r, out) => {
    out[name] = r.bool();
  };
// A map<string, string|bytes> entry: key = 1, value = 2. Bytes are base64 in JSON.
const mapEntry =
  (name: string, bytesValue: boolean): FieldReader =>
  (r, out) => {
    const entry = readMessage(r.bytes(), {
      1: str("key"),
      2: bytesValue
        ? (rr, o) => {
            o.value = Buffer.from(rr.bytes()).toString("base64");
          }
        : str("value"),
    });
    const map = (out[name] as Record<string, string> | undefined) ?? {};
    map[String(entry.key ?? "")] = String(entry.value ?? "");
    out[name] = map;
  };
const int32 =
  (name: string): FieldReader =>
  (r, out) => {
    out[name] = r.int32();
  };
// util/intstr.IntOrString: type (0 int, 1 string) = 1, intVal = 2, strVal = 3.
const intOrString =
  (name: string): FieldReader =>
  (r, out) => {
    const v = readMessage(r.bytes(), { 1: int32("type"), 2: int32("intVal"), 3: str("strVal") });
    out[name] = v.type === 1 ? String(v.strVal ?? "") : Number(v.intVal ?? 0);
  };
const messageList =
  (name: string, schema: MessageSchema): FieldReader =>
  (r, out) => {
    out[name] = [
      ...((out[name] as JsonObject[] | undefined) ?? []),
      readMessage(r.bytes(), schema),
    ];
  };
const message =
  (name: string, schema: MessageSchema): FieldReader =>
  (r, out) => {
    out[name] = readMessage(r.bytes(), schema);
  };

// The fields a client sets when creating (k8s.io/apimachinery ObjectMeta field numbers).
const OBJECT_META: MessageSchema = {
  1: str("name"),
  2: str("generateName"),
  3: str("namespace"),
  11: mapEntry("labels", false),
  12: mapEntry("annotations", false),
  14: strList("finalizers"),
};

// What `kubectl create deployment` sets in a pod template (core/v1 field numbers).
const POD_TEMPLATE: MessageSchema = {
  1: message("metadata", OBJECT_META),
  2: message("spec", {
    2: messageList("containers", {
      1: str("name"),
      2: str("image"),
      3: strList("command"),
      4: strList("args"),
      6: messageList("ports", { 1: str("name"), 3: int32("containerPort"), 4: str("protocol") }),
    }),
  }),
};

// The kinds kubectl's typed generators create that we can read, by apiVersion/kind.
const SCHEMAS: Record<string, MessageSchema> = {
  "v1/Namespace": {
    1: message("metadata", OBJECT_META),
    2: message("spec", { 1: strList("finalizers") }),
  },
  "v1/ConfigMap": {
    1: message("metadata", OBJECT_META),
    2: mapEntry("data", false),
    3: mapEntry("binaryData", true),
    4: bool("immutable"),
  },
  "v1/Secret": {
    1: message("metadata", OBJECT_META),
    2: mapEntry("data", true),
    3: str("type"),
    4: mapEntry("stringData", false),
    5: bool("immutable"),
  },
  "v1/ServiceAccount": { 1: message("metadata", OBJECT_META) },
  // What `kubectl create service clusterip|nodeport|loadbalancer|externalname` sets.
  "v1/Service": {
    1: message("metadata", OBJECT_META),
    2: message("spec", {
      1: messageList("ports", {
        1: str("name"),
        2: str("protocol"),
        3: int32("port"),
        4: intOrString("targetPort"),
        5: int32("nodePort"),
      }),
      2: mapEntry("selector", false),
      3: str("clusterIP"),
      4: str("type"),
      5: strList("externalIPs"),
      7: str("sessionAffinity"),
      10: str("externalName"),
      11: str("externalTrafficPolicy"),
      17: str("ipFamilyPolicy"),
      18: strList("clusterIPs"),
      19: strList("ipFamilies"),
      22: str("internalTrafficPolicy"),
    }),
  },
  "apps/v1/Deployment": {
    1: message("metadata", OBJECT_META),
    2: message("spec", {
      1: int32("replicas"),
      2: message("selector", { 1: mapEntry("matchLabels", false) }),
      3: message("template", POD_TEMPLATE),
    }),
  },
};

/**
 * Decodes a Kubernetes protobuf body (the `k8s\0` envelope around a
 * runtime.Unknown) into the JSON object it stands for. Only the kinds
 * kubectl's typed `create` commands most often send are known
 * (Namespace, ConfigMap, Secret, ServiceAccount, Service, Deployment); others answer 415 so
 * the client can send JSON instead.
 */
export function decodeProtobufBody(
  bytes: Uint8Array,
): { ok: true; value: JsonObject } | { ok: false; status: Status } {
  if (bytes.length < 4 || MAGIC.some((b, i) => bytes[i] !== b))
    return {
      ok: false,
      status: badRequest("the protobuf body does not start with the Kubernetes envelope"),
    };
  try {
    const unknown = readMessage(bytes.subarray(4), {
      1: message("typeMeta", { 1: str("apiVersion"), 2: str("kind") }),
      2: (r, out) => {
        out.raw = Buffer.from(r.bytes()).toString("base64");
      },
    });
    const typeMeta = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
    const schema = SCHEMAS[`${typeMeta.apiVersion}/${typeMeta.kind}`];
    if (!schema)
      return {
        ok: false,
        status: unsupportedMediaType(PROTOBUF_MEDIA_TYPE, ["application/json", "application/yaml"]),
      };
    const raw = Buffer.from(String(unknown.raw ?? ""), "base64");
    return {
      ok: true,
      value: {
        apiVersion: typeMeta.apiVersion!,
        kind: typeMeta.kind!,
        ...readMessage(raw, schema),
      },
    };
  } catch (error) {
    return {
      ok: false,
      status: badRequest(`the protobuf body is malformed: ${(error as Error).message}`),
    };
  }
}

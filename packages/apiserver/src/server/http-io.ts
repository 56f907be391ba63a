import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { badRequest, requestEntityTooLarge, unsupportedMediaType } from "../errors/builders.js";
import { failure, type Status } from "../errors/status.js";
import { decodeProtobufBody, PROTOBUF_MEDIA_TYPE } from "./protobuf-body.js";

/** The largest request body accepted, as upstream's 3 MiB limit. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** Reads a request body, or the 413 Status when it is larger than `limit`. */
export async function readBody(
  req: IncomingMessage,
  limit = MAX_BODY_BYTES,
): Promise<{ ok: true; bytes: Buffer } | { ok: false; status: Status }> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > limit) {
    req.resume();
    return { ok: false, status: requestEntityTooLarge("limit is 3145728") };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      return { ok: false, status: requestEntityTooLarge("limit is 3145728") };
    }
    chunks.push(chunk as Buffer);
  }
  return { ok: true, bytes: Buffer.concat(chunks) };
}

/** The media type of a Content-Type header, lowercased and without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

/** The body types a create or update accepts. */
export const BODY_MEDIA_TYPES = ["application/json", "application/yaml"] as const;

/** Decodes a JSON, YAML or (for a few kinds) protobuf body, or the 400/415 Status for one we cannot read. */
export function decodeBody(
  contentType: string | undefined,
  bytes: Buffer,
): { ok: true; value: unknown } | { ok: false; status: Status } {
  const type = mediaType(contentType) || "application/json";
  if (type === PROTOBUF_MEDIA_TYPE) return decodeProtobufBody(bytes);
  const text = bytes.toString("utf8");
  try {
    if (type === "application/json") return { ok: true, value: JSON.parse(text) };
    if (type === "application/yaml") return { ok: true, value: parseYaml(text) };
  } catch (error) {
    const what = type === "application/json" ? "JSON" : "YAML";
    return {
      ok: false,
      status: badRequest(
        `the body of the request was in an unknown format or malformed ${what}: ${(error as Error).message}`,
      ),
    };
  }
  return { ok: false, status: unsupportedMediaType(type, BODY_MEDIA_TYPES) };
}

/** Sends a JSON (or, when asked by Accept, YAML) response. */
export function sendObject(
  res: ServerResponse,
  code: number,
  body: unknown,
  contentType = "application/json",
): void {
  const text = contentType === "application/yaml" ? toYaml(body) : JSON.stringify(body);
  res.writeHead(code, { "Content-Type": contentType, "Cache-Control": "no-cache, private" });
  res.end(text);
}

/** Sends a metav1.Status with its own code as the HTTP status. */
export function sendStatus(res: ServerResponse, status: Status): void {
  sendObject(res, status.code, status);
}

/** 404 for a path that names nothing we serve, in upstream's words. */
export function pageNotFound(): Status {
  return failure(404, "NotFound", "the server could not find the requested resource");
}

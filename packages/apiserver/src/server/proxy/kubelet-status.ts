import { failure, type Status, type StatusReason } from "../../errors/status.js";

const REASONS: Record<number, StatusReason> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  500: "InternalError",
  503: "ServiceUnavailable",
};

/**
 * The Status for a kubelet's error answer: its code, and its text (the
 * kubelet words errors in plain text) as the message, so the client sees
 * e.g. `container "main" in pod "web" is waiting to start: ContainerCreating`.
 */
export function kubeletErrorStatus(code: number, body: string): Status {
  const text = body.trim();
  return failure(
    code,
    REASONS[code] ?? "InternalError",
    text === ""
      ? `the server responded with the status code ${code} but did not return more information`
      : text,
    { causes: [{ reason: "UnexpectedServerResponse", message: text }] },
  );
}

import {
  alreadyExists,
  badRequest,
  notFound,
  optimisticLockConflict,
  resourceExpired,
} from "../errors/builders.js";
import type { Status } from "../errors/status.js";
import { continueExpired } from "../request/continue-token.js";
import type { StorageFailure } from "../storage/object-store.js";
import type { GroupResource } from "../types/group-version.js";

/** The Status a storage failure answers with, for an object of a resource. */
export function storageFailureStatus(
  failure: StorageFailure,
  gr: GroupResource,
  name: string,
  requestedVersion = "",
  fromContinue = false,
): Status {
  switch (failure.reason) {
    case "not-found":
      return notFound(gr, name);
    case "already-exists":
      return alreadyExists(gr, name);
    case "conflict":
    case "guard-moved":
      return optimisticLockConflict(gr, name);
    case "expired":
      return fromContinue ? continueExpired() : resourceExpired(requestedVersion);
    case "bad-request":
      return badRequest(failure.message);
  }
}

export {
  LeaseExistsError,
  LeaseNotFoundError,
  LeaseTtlTooLargeError,
  NotPrimaryLessorError,
} from "./errors.js";
export type { LeaseInfo, LessorState } from "./lessor.js";
export { Lessor, MAX_LEASE_TTL_SECONDS } from "./lessor.js";

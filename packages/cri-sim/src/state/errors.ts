import { Code } from "@connectrpc/connect";

/**
 * An error the simulated runtime answers with: `code` is the gRPC code that
 * containerd 1.6's CRI plugin uses for the same situation (checked against
 * it by the conformance test), so a kubelet's error handling takes the same
 * path against the simulation as against a real runtime.
 */
export class SimRuntimeError extends Error {
  override readonly name = "SimRuntimeError";

  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An unknown sandbox, container or image: `NotFound`, as containerd answers. */
export function notFound(what: string): SimRuntimeError {
  return new SimRuntimeError(Code.NotFound, `${what}: not found`);
}

/**
 * A request the current state forbids (starting a container twice, a taken
 * name, ...). containerd reports these as plain errors, which reach the
 * client as `Unknown`; we keep that code so callers see the same thing.
 */
export function refused(message: string): SimRuntimeError {
  return new SimRuntimeError(Code.Unknown, message);
}

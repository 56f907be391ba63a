import { ConnectError } from "@connectrpc/connect";
import { SimRuntimeError } from "../state/errors.js";

/**
 * Runs `body` and turns the state's {@link SimRuntimeError}s into
 * `ConnectError`s with the same code, so clients see the code containerd
 * would send (anything else becomes `Internal`, Connect's default).
 */
export function answering<T>(body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (error instanceof SimRuntimeError) {
      throw new ConnectError(error.message, error.code, undefined, undefined, error);
    }
    throw error;
  }
}

/** {@link answering} for an RPC whose response is empty. */
export function acting(body: () => void): Record<string, never> {
  return answering(() => {
    body();
    return {};
  });
}

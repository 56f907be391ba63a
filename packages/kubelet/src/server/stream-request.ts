/** An `/exec` or `/attach` request, parsed. */
export interface StreamRequest {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  /** The command to run (exec only). */
  readonly command: string[];
  readonly stdin: boolean;
  readonly stdout: boolean;
  readonly stderr: boolean;
  readonly tty: boolean;
}

/** Query values upstream's streaming options take as true. */
const TRUE = new Set(["1", "true", "True", "TRUE", "t", "T"]);

/**
 * Parses `/exec|attach/<ns>/<pod>[/<uid>]/<container>` and its query as
 * upstream's kubelet reads it: `command` (repeated), `input`, `output`,
 * `error`, `tty` (the apiserver sends "1"; `stdin`/`stdout`/`stderr` are
 * taken too). At least one stream is needed, and a tty has no stderr.
 */
export function parseStreamRequest(
  kind: "exec" | "attach",
  parts: readonly string[],
  query: URLSearchParams,
): { ok: true; request: StreamRequest } | { ok: false; message: string } {
  if (parts.length !== 3 && parts.length !== 4)
    return { ok: false, message: `expected /${kind}/<namespace>/<pod>/<container>` };
  const [namespace, pod] = parts as [string, string];
  const container = parts[parts.length - 1]!;
  const flag = (...names: string[]) => names.some((n) => TRUE.has(query.get(n) ?? ""));
  const tty = flag("tty");
  const request: StreamRequest = {
    namespace,
    pod,
    container,
    command: query.getAll("command"),
    stdin: flag("input", "stdin"),
    stdout: flag("output", "stdout"),
    stderr: !tty && flag("error", "stderr"),
    tty,
  };
  if (!request.stdin && !request.stdout && !request.stderr)
    return { ok: false, message: "you must specify at least 1 of stdin, stdout, stderr" };
  if (kind === "exec" && request.command.length === 0)
    return { ok: false, message: "you must specify a command" };
  return { ok: true, request };
}

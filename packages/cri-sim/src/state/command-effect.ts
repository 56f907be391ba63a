/**
 * The few command lines a simulated container or exec understands, and
 * what each would do if it ran.
 */

/** What a command line does, as far as the simulation can tell. */
export interface CommandEffect {
  /** Nanoseconds until it exits (0: at once); undefined: it never exits. */
  readonly exitAfterNs: bigint | undefined;
  readonly exitCode: number;
}

const SHELLS = new Set(["sh", "bash", "ash", "dash"]);
const FOREVER: CommandEffect = { exitAfterNs: undefined, exitCode: 0 };

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Reads one shell statement: `exit N`, `true`, `false`, `sleep N`. */
function statementEffect(words: string[]): CommandEffect | undefined {
  const [program, argument, ...rest] = words;
  if (program === undefined || rest.length > 0) return undefined;
  const name = basename(program);
  if (name === "true" && argument === undefined) return { exitAfterNs: 0n, exitCode: 0 };
  if (name === "false" && argument === undefined) return { exitAfterNs: 0n, exitCode: 1 };
  if (name === "exit") {
    const code = argument === undefined ? 0 : Number(argument);
    return Number.isInteger(code) && code >= 0
      ? { exitAfterNs: 0n, exitCode: code % 256 }
      : undefined;
  }
  if (name === "sleep" && argument !== undefined) {
    if (argument === "infinity") return FOREVER;
    if (/^\d+(\.\d+)?$/.test(argument)) {
      return { exitAfterNs: BigInt(Math.round(Number(argument) * 1e9)), exitCode: 0 };
    }
  }
  return undefined;
}

/**
 * What a `sh -c` script made of `exit N`, `true`, `false` and `sleep N`
 * statements joined by `;` or `&&` would do: sleeps add up, `exit` ends
 * the script, a failing statement before `&&` ends it with that status, and
 * the script's status is its last statement's. Any other statement: forever.
 */
function scriptEffect(script: string): CommandEffect {
  // Statements alternate with the separators that follow them.
  const pieces = script.split(/(;|&&)/);
  let elapsed = 0n;
  let status = 0;
  for (let index = 0; index < pieces.length; index += 2) {
    const words = (pieces[index] ?? "")
      .trim()
      .split(/\s+/)
      .filter((word) => word !== "");
    if (words.length === 0) continue;
    const effect = statementEffect(words);
    if (effect === undefined || effect.exitAfterNs === undefined) return FOREVER;
    elapsed += effect.exitAfterNs;
    status = effect.exitCode;
    const ended = basename(words[0] ?? "") === "exit";
    if (ended || (status !== 0 && pieces[index + 1] === "&&")) {
      return { exitAfterNs: elapsed, exitCode: status };
    }
  }
  return { exitAfterNs: elapsed, exitCode: status };
}

/**
 * What `argv` (command then args) would do, for the few commands the
 * simulation recognises: `true`, `false`, `sleep N`, and a shell's `-c`
 * script of those and `exit N` (see {@link scriptEffect}). Anything else
 * runs forever.
 */
export function commandEffect(argv: readonly string[]): CommandEffect {
  const [program, flag, script, ...rest] = argv;
  if (program === undefined) return FOREVER;
  if (SHELLS.has(basename(program))) {
    if (flag !== "-c" || script === undefined || rest.length > 0) return FOREVER;
    return scriptEffect(script);
  }
  return statementEffect(argv.slice()) ?? FOREVER;
}

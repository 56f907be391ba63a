import { Command, CommanderError } from "commander";
import packageJson from "../package.json" with { type: "json" };
import { type KubekitCommand, UsageError } from "./command.js";

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** What `runCli` needs: the subcommands to offer, and where to write. */
export interface CliOptions {
  readonly commands?: readonly KubekitCommand[];
  readonly io?: CliIo;
}

/** Exit status for bad flags or arguments, as upstream's binaries use. */
export const EXIT_USAGE = 2;

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** The version of this package, which `kubekit --version` prints. */
export const VERSION: string = packageJson.version;

/**
 * Builds the `kubekit` commander program with the given subcommands. Errors
 * are thrown (exitOverride) rather than exiting, so `runCli` decides the exit
 * status and the program can run inside tests and other programs.
 */
export function createProgram(options: CliOptions = {}): Command {
  const io = options.io ?? processIo;
  const program = new Command("kubekit")
    .description(
      "Kubernetes as a kit of TypeScript packages: run any component, or a whole cluster.",
    )
    .version(VERSION, "--version", "print the version and exit")
    .helpOption("-h, --help", "print this help and exit")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      // commander's messages already read "error: ...": prefix the program so
      // the line says who is complaining, as the upstream binaries do.
      outputError: (message, write) => write(`kubekit: ${message.trimEnd()}\n`),
    });
  for (const sub of options.commands ?? []) {
    const command = program.command(sub.name).summary(sub.summary).description(sub.summary);
    command.exitOverride().configureOutput(program.configureOutput());
    sub.configure(command);
  }
  return program;
}

/**
 * Runs the CLI on `argv` (without the node and script paths) and resolves to
 * the exit status: 0 on success, help or version; 2 on a usage error; 1 when
 * a subcommand failed for another reason.
 */
export async function runCli(argv: readonly string[], options: CliOptions = {}): Promise<number> {
  const io = options.io ?? processIo;
  const program = createProgram({ ...options, io });
  if (argv.length === 0) {
    // No subcommand: show the help, as kubectl does.
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") {
        return 0;
      }
      if (error.code === "commander.help") return 0;
      // commander has already printed its one-line message.
      return EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      io.stderr(`kubekit: error: ${error.message}\n`);
      return EXIT_USAGE;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`kubekit: error: ${message}\n`);
    return 1;
  }
}

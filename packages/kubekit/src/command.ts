import type { Command } from "commander";

/**
 * One `kubekit <name>` subcommand. Each component package contributes one
 * (the store, the apiserver, the kubelet, ...); the umbrella CLI only lists
 * them. `configure` declares the flags (named as the upstream binary names
 * them) and the action on the commander `Command` it is given.
 */
export interface KubekitCommand {
  /** The subcommand's name, as typed after `kubekit`. */
  readonly name: string;
  /** One line for `kubekit --help`. */
  readonly summary: string;
  /** Declares the subcommand's flags, arguments and action. */
  configure(command: Command): void;
}

/**
 * A problem with what the user typed (a bad flag value, a missing file named
 * by a flag): reported as one line on stderr and exit status 2, as the CLI
 * does for flags commander itself rejects.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

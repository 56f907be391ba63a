/**
 * `kubekit`: the umbrella command. Component packages contribute
 * subcommands as {@link KubekitCommand}s; {@link runCli} parses the command
 * line and maps failures to exit statuses.
 *
 * @packageDocumentation
 */
export type { KubekitCommand } from "./command.js";
export { UsageError } from "./command.js";
export type { CliIo, CliOptions } from "./program.js";
export { createProgram, EXIT_USAGE, runCli, VERSION } from "./program.js";

/**
 * `@kubekit/store-raft/cli`: the `kubekit store` subcommand (kept apart from
 * the main entry so embedding the store loads no CLI, logging or metrics
 * libraries).
 *
 * @packageDocumentation
 */
export type { StoreCommand, StoreCommandOptions } from "./cli/store-command.js";
export { createStoreCommand, storeCommand } from "./cli/store-command.js";

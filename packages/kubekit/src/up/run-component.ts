import { Command } from "commander";

/** The shape every component package's command has (see `KubekitCommand`). */
export interface ComponentCommand {
  readonly name: string;
  configure(command: Command): void;
}

/**
 * Runs a component's own `kubekit <name>` command inside this process, with
 * the flags a user would type: `kubekit up` composes the cluster from the
 * same commands an operator runs one by one, so both paths stay the same
 * code. Resolves when the component has stopped (its shutdown signal was
 * given to its factory); rejects if it fails.
 */
export async function runComponentCommand(
  component: ComponentCommand,
  args: readonly string[],
): Promise<void> {
  const command = new Command(component.name).exitOverride();
  command.configureOutput({ writeOut: () => {}, writeErr: () => {} });
  component.configure(command);
  await command.parseAsync([...args], { from: "user" });
}

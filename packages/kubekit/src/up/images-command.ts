import { access } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { detectSnapshotter, importImage } from "@kubekit/runtime-host";
import type { KubekitCommand } from "../command.js";
import { UsageError } from "../command.js";
import { dataDirLayout } from "./data-dir.js";

/**
 * `kubekit images import FILE...`: imports image archives (OCI layout or
 * docker-archive tarballs) into the runtime of the `kubekit up` running on
 * the data dir, as `k3s ctr images import` does. To have them imported at
 * every start too, copy them into `<data-dir>/images/`.
 */
export function createImagesCommand(): KubekitCommand {
  return {
    name: "images",
    summary: "import image archives into the runtime of a running kubekit up",
    configure(command) {
      command
        .command("import")
        .description("import OCI or docker-archive tarballs into the cluster's containerd")
        .argument("<files...>", "image archives")
        .option(
          "--data-dir <dir>",
          "the data dir of the running kubekit up",
          join(homedir(), ".kubekit"),
        )
        .action(async (files: string[], flags: { dataDir: string }) => {
          const layout = dataDirLayout(flags.dataDir);
          const address = join(layout.containerd, "containerd.sock");
          try {
            await access(address);
          } catch {
            throw new UsageError(
              `no containerd of kubekit up at ${address}: is kubekit up running on ${flags.dataDir} with containerd (not the simulated runtime)?`,
            );
          }
          const snapshotter = await detectSnapshotter();
          for (const file of files) {
            await access(file).catch(() => {
              throw new UsageError(`no such file: ${file}`);
            });
            await importImage({ address, archive: file, snapshotter });
            process.stdout.write(`imported ${file}\n`);
          }
        });
    },
  };
}

export const imagesCommand: KubekitCommand = createImagesCommand();

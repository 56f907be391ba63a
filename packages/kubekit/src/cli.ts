import { apiServerCommand } from "@kubekit/apiserver";
import { controllerManagerCommand } from "@kubekit/controllers";
import { criSimCommand } from "@kubekit/cri-sim";
import { kubeletCommand } from "@kubekit/kubelet";
import { schedulerCommand } from "@kubekit/scheduler-plugins";
import { storeCommand } from "@kubekit/store-raft/cli";
import { runCli } from "./program.js";
import { imagesCommand } from "./up/images-command.js";
import { upCommand } from "./up/up-command.js";

process.exitCode = await runCli(process.argv.slice(2), {
  commands: [
    storeCommand,
    apiServerCommand,
    controllerManagerCommand,
    schedulerCommand,
    criSimCommand,
    kubeletCommand,
    upCommand,
    imagesCommand,
  ],
});

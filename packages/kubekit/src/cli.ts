import { apiServerCommand } from "@kubekit/apiserver";
import { criSimCommand } from "@kubekit/cri-sim";
import { kubeletCommand } from "@kubekit/kubelet";
import { schedulerCommand } from "@kubekit/scheduler-plugins";
import { storeCommand } from "@kubekit/store-raft/cli";
import { runCli } from "./program.js";

process.exitCode = await runCli(process.argv.slice(2), {
  commands: [storeCommand, apiServerCommand, schedulerCommand, criSimCommand, kubeletCommand],
});

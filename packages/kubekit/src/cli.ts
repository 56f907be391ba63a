import { criSimCommand } from "@kubekit/cri-sim";
import { runCli } from "./program.js";

process.exitCode = await runCli(process.argv.slice(2), { commands: [criSimCommand] });

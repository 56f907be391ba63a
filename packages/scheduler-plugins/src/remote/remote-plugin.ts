/**
 * Out-of-process plugins: an adapter that turns a `kubekit.scheduler.v1`
 * SchedulerPluginService (reached through any Connect transport: in-memory,
 * gRPC over TCP or a unix socket) into a Filter and/or Score plugin of the
 * framework. Each extension point costs one round trip per scheduling cycle,
 * carrying the pod and every candidate node.
 */
import { create as createMessage } from "@bufbuild/protobuf";
import { type Client, createClient, type Transport } from "@connectrpc/connect";
import {
  ExtensionPoint,
  type NodeInfo as NodeInfoMessage,
  NodeInfoSchema,
  SchedulerPluginService,
  StatusCode,
} from "@kubekit/proto/scheduler";
import type { Pod } from "../api/types.js";
import type { CycleState } from "../framework/cycle-state.js";
import type {
  BatchFilterPlugin,
  BatchScorePlugin,
  NodeScore,
  Plugin,
} from "../framework/interfaces.js";
import type { NodeInfo } from "../framework/node-info.js";
import type { PluginFactory } from "../framework/registry.js";
import { Code, Status } from "../framework/status.js";

/** A client of an out-of-process plugin. */
export type SchedulerPluginClient = Client<typeof SchedulerPluginService>;

const encoder = new TextEncoder();

function json(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

function nodeMessages(nodes: readonly NodeInfo[]): NodeInfoMessage[] {
  return nodes.map((n) =>
    createMessage(NodeInfoSchema, {
      nodeJson: json(n.node),
      podsJson: n.pods.map((p) => json(p.pod)),
    }),
  );
}

const CODES: Record<StatusCode, Code> = {
  [StatusCode.UNSPECIFIED]: Code.Error,
  [StatusCode.SUCCESS]: Code.Success,
  [StatusCode.UNSCHEDULABLE]: Code.Unschedulable,
  [StatusCode.UNSCHEDULABLE_AND_UNRESOLVABLE]: Code.UnschedulableAndUnresolvable,
  [StatusCode.SKIP]: Code.Skip,
  [StatusCode.ERROR]: Code.Error,
};

/** What GetPluginInfo said about a plugin. */
export interface RemotePluginInfo {
  name: string;
  filter: boolean;
  score: boolean;
}

/** Builds the framework plugin for a remote service with known info and args. */
export function remotePlugin(
  client: SchedulerPluginClient,
  info: RemotePluginInfo,
  args: unknown,
): Plugin & Partial<BatchFilterPlugin & BatchScorePlugin> {
  const argsJson = args === undefined ? new Uint8Array() : json(args);
  const plugin: Plugin & Partial<BatchFilterPlugin & BatchScorePlugin> = { name: info.name };
  if (info.filter) {
    plugin.filterBatch = async (_state: CycleState, pod: Pod, nodes: readonly NodeInfo[]) => {
      const res = await client.filter({ podJson: json(pod), nodes: nodeMessages(nodes), argsJson });
      const out = new Map<string, Status>();
      for (const s of res.statuses) {
        const code = CODES[s.code] ?? Code.Error;
        const reasons =
          s.code === StatusCode.UNSPECIFIED
            ? [`plugin "${info.name}" left the status of node "${s.nodeName}" unset`]
            : s.reasons;
        out.set(s.nodeName, new Status(code, reasons));
      }
      return out;
    };
  }
  if (info.score) {
    plugin.scoreBatch = async (_state: CycleState, pod: Pod, nodes: readonly NodeInfo[]) => {
      const res = await client.score({ podJson: json(pod), nodes: nodeMessages(nodes), argsJson });
      if (res.error) return new Status(Code.Error, [res.error]);
      const byName = new Map(res.scores.map((s) => [s.nodeName, Number(s.score)]));
      const scores: NodeScore[] = [];
      for (const n of nodes) {
        const score = byName.get(n.name);
        if (score === undefined)
          return new Status(Code.Error, [
            `plugin "${info.name}" gave no score for node "${n.name}"`,
          ]);
        scores.push({ name: n.name, score });
      }
      return scores;
    };
  }
  return plugin;
}

/**
 * Asks a remote plugin who it is and returns a registry entry for it: merge
 * it into the scheduler's registry, then enable it by name in a profile.
 */
export async function loadRemotePlugin(
  transport: Transport,
): Promise<readonly [string, PluginFactory]> {
  const client = createClient(SchedulerPluginService, transport);
  const res = await client.getPluginInfo({});
  if (!res.name) throw new Error("remote scheduler plugin returned an empty name");
  const info: RemotePluginInfo = {
    name: res.name,
    filter: res.extensionPoints.includes(ExtensionPoint.FILTER),
    score: res.extensionPoints.includes(ExtensionPoint.SCORE),
  };
  return [info.name, (args) => remotePlugin(client, info, args)] as const;
}

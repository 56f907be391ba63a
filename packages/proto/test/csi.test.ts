import { create, fromBinary, ScalarType, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import {
  ContainerConfigSchema,
  KeyValueSchema,
  LinuxContainerSecurityContextSchema,
  RuntimeService,
} from "../src/cri.js";
import {
  Identity,
  Node,
  NodePublishVolumeRequestSchema,
  NodeServiceCapability_RPC_Type,
  PluginCapability_Service_Type,
  VolumeCapability_AccessMode_Mode,
} from "../src/csi.js";

describe("csi.v1", () => {
  it("serves a plugin's Identity and Node services over a Connect transport", async () => {
    const published = new Map<string, string>();
    const transport = createRouterTransport(({ service }) => {
      service(Identity, {
        getPluginInfo: () => ({ name: "hostpath.csi.kubekit.dev", vendorVersion: "0.0.0" }),
        getPluginCapabilities: () => ({
          capabilities: [
            {
              type: {
                case: "service",
                value: { type: PluginCapability_Service_Type.CONTROLLER_SERVICE },
              },
            },
          ],
        }),
        probe: () => ({ ready: true }),
      });
      service(Node, {
        nodeGetInfo: () => ({ nodeId: "node-1", maxVolumesPerNode: 10n }),
        nodeGetCapabilities: () => ({
          capabilities: [
            {
              type: {
                case: "rpc",
                value: { type: NodeServiceCapability_RPC_Type.STAGE_UNSTAGE_VOLUME },
              },
            },
          ],
        }),
        nodePublishVolume: (request) => {
          if (request.volumeCapability?.accessType.case !== "mount") {
            throw new ConnectError("only mount volumes", Code.InvalidArgument);
          }
          published.set(request.volumeId, request.targetPath);
          return {};
        },
      });
    });
    const identity = createClient(Identity, transport);
    const node = createClient(Node, transport);

    expect((await identity.getPluginInfo({})).name).toBe("hostpath.csi.kubekit.dev");
    expect((await identity.probe({})).ready).toBe(true);
    const { capabilities } = await identity.getPluginCapabilities({});
    expect(capabilities[0]?.type.case).toBe("service");
    expect((await node.nodeGetInfo({})).maxVolumesPerNode).toBe(10n);

    await node.nodePublishVolume({
      volumeId: "v1",
      targetPath: "/var/lib/kubelet/pods/p/volumes/v1",
      volumeCapability: {
        accessType: { case: "mount", value: { fsType: "ext4" } },
        accessMode: { mode: VolumeCapability_AccessMode_Mode.SINGLE_NODE_WRITER },
      },
    });
    expect(published.get("v1")).toBe("/var/lib/kubelet/pods/p/volumes/v1");
    const rejected = await node
      .nodePublishVolume({
        volumeId: "v2",
        volumeCapability: { accessType: { case: "block", value: {} } },
      })
      .catch((error: unknown) => error);
    expect(ConnectError.from(rejected).code).toBe(Code.InvalidArgument);
  });

  it("round-trips a NodePublishVolume request with its oneof and maps", () => {
    const request = create(NodePublishVolumeRequestSchema, {
      volumeId: "v1",
      readonly: true,
      secrets: { token: "s3cret" },
      volumeContext: { size: "1Gi" },
      volumeCapability: {
        accessType: { case: "mount", value: { mountFlags: ["noatime"], volumeMountGroup: "2000" } },
      },
    });
    const decoded = fromBinary(
      NodePublishVolumeRequestSchema,
      toBinary(NodePublishVolumeRequestSchema, request),
    );
    expect(decoded.readonly).toBe(true);
    expect(decoded.secrets).toEqual({ token: "s3cret" });
    expect(decoded.volumeCapability?.accessType).toMatchObject({
      case: "mount",
      value: { mountFlags: ["noatime"], volumeMountGroup: "2000" },
    });
  });
});

// Spot checks of field numbers that were added late upstream, far from
// their neighbours, or out of order: the places a transcription slips.
describe("wire numbers match upstream", () => {
  it("CRI", () => {
    expect(ContainerConfigSchema.field.stopSignal?.number).toBe(18);
    expect(ContainerConfigSchema.field.CDIDevices?.number).toBe(17);
    expect(LinuxContainerSecurityContextSchema.field.runAsGroup?.number).toBe(12);
    expect(LinuxContainerSecurityContextSchema.field.supplementalGroupsPolicy?.number).toBe(17);
    // bytes since upstream let env values carry non-UTF-8 data.
    const envValue = KeyValueSchema.field.value;
    expect(envValue?.fieldKind === "scalar" && envValue.scalar).toBe(ScalarType.BYTES);
    expect(RuntimeService.method.execSync.name).toBe("ExecSync");
    expect(RuntimeService.typeName).toBe("runtime.v1.RuntimeService");
  });

  it("CSI", () => {
    expect(NodePublishVolumeRequestSchema.field.volumeContext?.number).toBe(8);
    expect(NodePublishVolumeRequestSchema.field.secrets?.number).toBe(7);
    expect(Identity.typeName).toBe("csi.v1.Identity");
    expect(Node.method.nodeExpandVolume.name).toBe("NodeExpandVolume");
  });
});

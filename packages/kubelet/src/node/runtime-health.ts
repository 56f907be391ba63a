import type { Client } from "@connectrpc/connect";
import type { ImageService, RuntimeService } from "@kubekit/proto/cri";
import type { RuntimeHealth } from "./node-status.js";
import type { ContainerImage } from "./types.js";

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Asks the runtime about itself: CRI `Version` for the version string,
 * `Status` for the RuntimeReady and NetworkReady conditions, `ListImages`
 * for the node's images (largest first). A runtime that does not answer is
 * reported down, with the error as the reason.
 */
export async function readRuntimeHealth(
  runtime: Client<typeof RuntimeService>,
  images: Client<typeof ImageService>,
): Promise<RuntimeHealth> {
  try {
    const version = await runtime.version({}, { timeoutMs: 10_000 });
    const { status } = await runtime.status({}, { timeoutMs: 10_000 });
    const problems: string[] = [];
    const condition = (type: string) => {
      const found = status?.conditions.find((c) => c.type === type);
      if (found?.status) return true;
      problems.push(
        type === "RuntimeReady"
          ? `container runtime status check may not have completed yet: RuntimeReady=false reason:${found?.reason ?? ""} message:${found?.message ?? ""}`
          : `container runtime network not ready: NetworkReady=false reason:${found?.reason ?? ""} message:${found?.message ?? ""}`,
      );
      return false;
    };
    const runtimeReady = condition("RuntimeReady");
    const networkReady = condition("NetworkReady");
    const listed = await images.listImages({}, { timeoutMs: 10_000 }).catch(() => ({ images: [] }));
    const nodeImages: ContainerImage[] = listed.images
      .map((image) => ({
        names: [...image.repoDigests, ...image.repoTags],
        sizeBytes: Number(image.size),
      }))
      .filter((image) => image.names.length > 0)
      .sort((a, b) => b.sizeBytes - a.sizeBytes);
    return {
      version: `${version.runtimeName}://${version.runtimeVersion}`,
      runtimeReady,
      networkReady,
      problems,
      images: nodeImages,
    };
  } catch (error) {
    return {
      version: "",
      runtimeReady: false,
      networkReady: false,
      problems: [`container runtime is down: ${errorText(error)}`],
      images: [],
    };
  }
}

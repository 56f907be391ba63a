import type { ServiceImpl } from "@connectrpc/connect";
import type { ImageService } from "@kubekit/proto/cri";
import type { RuntimeState } from "../state/runtime-state.js";
import { acting, answering } from "./errors.js";
import { DEFAULT_FS_MOUNTPOINT } from "./runtime-service.js";
import { toImage } from "./to-proto.js";

/** The `runtime.v1.ImageService` of a simulated runtime: pulls download nothing. */
export function createImageServiceImpl(
  state: RuntimeState,
  fsMountpoint = DEFAULT_FS_MOUNTPOINT,
): ServiceImpl<typeof ImageService> {
  return {
    listImages: (request) =>
      answering(() => {
        const wanted = request.filter?.image?.image ?? "";
        if (wanted === "") return { images: state.images.list().map(toImage) };
        const image = state.images.find(wanted);
        return { images: image === undefined ? [] : [toImage(image)] };
      }),
    imageStatus: (request) =>
      answering(() => {
        const image = state.images.find(request.image?.image ?? "");
        return { image: image === undefined ? undefined : toImage(image), info: {} };
      }),
    pullImage: (request) =>
      answering(() => ({ imageRef: state.images.pull(request.image?.image ?? "").id })),
    removeImage: (request) => acting(() => state.images.remove(request.image?.image ?? "")),
    imageFsInfo: () =>
      answering(() => ({
        imageFilesystems: [
          {
            timestamp: state.now(),
            fsId: { mountpoint: `${fsMountpoint}/images` },
            usedBytes: { value: state.images.usedBytes },
            inodesUsed: { value: BigInt(state.images.list().length) },
          },
        ],
        containerFilesystems: [],
      })),
  };
}

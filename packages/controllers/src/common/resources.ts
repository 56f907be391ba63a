import type { GroupVersionResource } from "@kubekit/client";

/** Resources the controllers use that `@kubekit/client`'s `Resources` does not list. */
export const ControllerResources = {
  replicationControllers: {
    group: "",
    version: "v1",
    resource: "replicationcontrollers",
    namespaced: true,
  },
} as const satisfies Record<string, GroupVersionResource>;

/** metav1.APIResource: one resource of a group/version, as discovery reports it. */
export interface APIResource {
  /** Plural name (`deployments`); subresources appear as `deployments/status`. */
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}

/** metav1.APIResourceList: the resources of one group/version. */
export interface APIResourceList {
  groupVersion: string;
  resources: APIResource[];
}

/** metav1.GroupVersionForDiscovery. */
export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

/** metav1.APIGroup. */
export interface APIGroup {
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion?: GroupVersionForDiscovery;
}

/** metav1.APIGroupList (`GET /apis`). */
export interface APIGroupList {
  groups: APIGroup[];
}

/** metav1.APIVersions (`GET /api`): the core group's versions. */
export interface APIVersions {
  versions: string[];
}

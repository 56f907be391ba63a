import type { ServerResponse } from "node:http";
import { AGGREGATED_DISCOVERY_CONTENT_TYPE, aggregatedDiscovery } from "../discovery/aggregated.js";
import { apiGroup, apiGroupList, apiResourceList, apiVersions } from "../discovery/legacy.js";
import { notAcceptable } from "../errors/builders.js";
import type { ResourceIndex } from "../registry/resource-index.js";
import { parseDiscoveryPath } from "../request/discovery-path.js";
import { negotiateOutput, PRODUCED_MEDIA_TYPES } from "../request/media-type.js";
import { pageNotFound, sendObject, sendStatus } from "./http-io.js";

/** The Kubernetes version this server speaks, as `/version` reports it. */
export const SERVED_KUBERNETES_VERSION = { major: "1", minor: "32", gitVersion: "v1.32.0-kubekit" };

/** `GET /version`: version.Info. */
export function versionInfo(
  platform = `${process.platform}/${process.arch}`,
): Record<string, string> {
  return {
    ...SERVED_KUBERNETES_VERSION,
    gitCommit: "",
    gitTreeState: "clean",
    buildDate: "1970-01-01T00:00:00Z",
    goVersion: `node${process.versions.node}`,
    compiler: "tsc",
    platform,
  };
}

/**
 * Answers a discovery GET (`/api`, `/api/v1`, `/apis`, `/apis/<g>`,
 * `/apis/<g>/<v>`), in the aggregated v2 form when Accept asks for it.
 * Returns false when the path is not a discovery path.
 */
export function serveDiscovery(
  index: ResourceIndex,
  path: string,
  accept: string | undefined,
  serverAddress: string,
  res: ServerResponse,
): boolean {
  const doc = parseDiscoveryPath(path);
  if (!doc) return false;
  const aggregatable = doc.kind === "legacy-versions" || doc.kind === "groups";
  const output = negotiateOutput(accept, aggregatable);
  if (!output) {
    sendStatus(res, notAcceptable(PRODUCED_MEDIA_TYPES));
    return true;
  }
  if (output.kind === "aggregated-discovery") {
    sendObject(
      res,
      200,
      aggregatedDiscovery(index, doc.kind === "legacy-versions"),
      AGGREGATED_DISCOVERY_CONTENT_TYPE,
    );
    return true;
  }
  switch (doc.kind) {
    case "legacy-versions":
      sendObject(res, 200, apiVersions(serverAddress));
      return true;
    case "groups":
      sendObject(res, 200, apiGroupList(index));
      return true;
    case "group": {
      const group = apiGroup(index, doc.group);
      if (group) sendObject(res, 200, group);
      else sendStatus(res, pageNotFound());
      return true;
    }
    case "resources": {
      const list = apiResourceList(index, doc.group, doc.version);
      if (list) sendObject(res, 200, list);
      else sendStatus(res, pageNotFound());
      return true;
    }
  }
}

import type { RequestInfo } from "../request/request-info.js";

/** The labels upstream's apiserver request metrics carry, minus the response code. */
export interface RequestLabels {
  verb: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: string;
  component: string;
}

const VERBS: Record<string, string> = {
  get: "GET",
  list: "LIST",
  watch: "WATCH",
  create: "POST",
  update: "PUT",
  patch: "PATCH",
  delete: "DELETE",
  deletecollection: "DELETECOLLECTION",
  proxy: "CONNECT",
};

/**
 * The labels of one request, as upstream's metrics report them: the verb
 * in capitals (LIST and WATCH apart from GET, APPLY for a server-side
 * apply patch), the resource's group, version, resource and subresource,
 * and the scope (`resource` for one named object, `namespace`, or
 * `cluster`). Requests outside the resource API carry only their method.
 */
export function requestLabels(
  info: RequestInfo | undefined,
  method: string,
  contentType: string | undefined,
): RequestLabels {
  if (!info?.isResourceRequest)
    return {
      verb: method.toUpperCase(),
      group: "",
      version: "",
      resource: "",
      subresource: "",
      scope: "",
      component: "apiserver",
    };
  let verb = VERBS[info.verb] ?? info.verb.toUpperCase();
  if (
    verb === "PATCH" &&
    (contentType ?? "").split(";")[0]!.trim() === "application/apply-patch+yaml"
  )
    verb = "APPLY";
  const scope = info.name !== "" ? "resource" : info.namespace !== "" ? "namespace" : "cluster";
  return {
    verb,
    group: info.apiGroup,
    version: info.apiVersion,
    resource: info.resource,
    subresource: info.subresource,
    scope,
    component: "apiserver",
  };
}

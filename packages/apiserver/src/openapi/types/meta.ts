import { REQUIRED, type TypeTable } from "../type-description.js";

/** apimachinery's meta/v1 types every object uses. */
export const META_TYPES: TypeTable = {
  "meta.v1.ObjectMeta": {
    doc: "Metadata every persisted object carries: its name, namespace, labels and the server's bookkeeping.",
    fields: {
      name: ["string", "The object's name, unique among objects of its kind in its namespace."],
      generateName: [
        "string",
        "A prefix the server completes with random characters when no name is given.",
      ],
      namespace: ["string", "The namespace the object lives in; empty for cluster-scoped kinds."],
      selfLink: ["string", "Deprecated and no longer set."],
      uid: ["string", "A unique identifier the server assigns at creation and never reuses."],
      resourceVersion: [
        "string",
        "An opaque version of the object, changed by every write; used for optimistic concurrency and watches.",
      ],
      generation: ["int64", "A counter of changes to the desired state, kept by the server."],
      creationTimestamp: ["time", "When the server created the object."],
      deletionTimestamp: [
        "time",
        "When deletion was requested; set by the server, the object goes once its finalizers are done.",
      ],
      deletionGracePeriodSeconds: ["int64", "Seconds the object has left to terminate gracefully."],
      labels: ["{string}", "Key/value pairs used to select and group objects."],
      annotations: ["{string}", "Key/value pairs for tools and people; not used for selection."],
      ownerReferences: [
        "OwnerReference[]",
        "Objects this one depends on; when all owners are gone it is garbage collected.",
        { patch: "merge", mergeKey: "uid", listType: "map", mapKeys: ["uid"] },
      ],
      finalizers: [
        "string[]",
        "Names of steps that must finish before the object is removed.",
        { patch: "merge", listType: "set" },
      ],
      managedFields: [
        "ManagedFieldsEntry[]",
        "Which field manager set which fields; maintained by the server.",
        { listType: "atomic" },
      ],
    },
  },
  "meta.v1.OwnerReference": {
    doc: "A reference to an owning object in the same namespace (or a cluster-scoped one).",
    fields: {
      apiVersion: ["string", "The owner's API version.", REQUIRED],
      kind: ["string", "The owner's kind.", REQUIRED],
      name: ["string", "The owner's name.", REQUIRED],
      uid: ["string", "The owner's uid.", REQUIRED],
      controller: ["boolean", "True when the owner is the managing controller."],
      blockOwnerDeletion: [
        "boolean",
        "When true, foreground deletion of the owner waits for this object.",
      ],
    },
  },
  "meta.v1.ManagedFieldsEntry": {
    doc: "The set of fields one manager owns, for one operation and API version.",
    fields: {
      manager: ["string", "The name of the field manager."],
      operation: ["string", "Apply or Update."],
      apiVersion: ["string", "The API version the fields are expressed in."],
      time: ["time", "When the entry last changed."],
      fieldsType: ["string", "The format of fieldsV1; always FieldsV1."],
      fieldsV1: ["raw", "The owned fields, as a tree of field names."],
      subresource: ["string", "The subresource the write went to, if any."],
    },
  },
  "meta.v1.ListMeta": {
    doc: "Metadata of a list response.",
    fields: {
      selfLink: ["string", "Deprecated and no longer set."],
      resourceVersion: ["string", "The store's version when the list was read."],
      continue: ["string", "A token to fetch the next page, when the list was limited."],
      remainingItemCount: ["int64", "How many items follow this page, when the server knows."],
    },
  },
  "meta.v1.LabelSelector": {
    doc: "A query over labels: all matchLabels and all matchExpressions must hold. An empty selector matches everything.",
    fields: {
      matchLabels: ["{string}", "Labels that must have exactly these values."],
      matchExpressions: [
        "LabelSelectorRequirement[]",
        "Set-based requirements on labels.",
        { listType: "atomic" },
      ],
    },
  },
  "meta.v1.LabelSelectorRequirement": {
    doc: "One set-based requirement on a label.",
    fields: {
      key: ["string", "The label key.", REQUIRED],
      operator: ["string", "In, NotIn, Exists or DoesNotExist.", REQUIRED],
      values: [
        "string[]",
        "The values for In and NotIn; empty for Exists and DoesNotExist.",
        { listType: "atomic" },
      ],
    },
  },
  "meta.v1.Status": {
    doc: "The outcome of a call that does not return an object, or of one that failed.",
    fields: {
      apiVersion: ["string", "The schema version of this representation."],
      kind: ["string", "Always Status."],
      metadata: ["ListMeta", "Standard list metadata."],
      status: ["string", "Success or Failure."],
      message: ["string", "A human-readable description of what happened."],
      reason: ["string", "A machine-readable reason, such as NotFound or Invalid."],
      details: ["raw", "More about the failure: the object's name, kind and per-field causes."],
      code: ["int32", "The HTTP status code."],
    },
  },
};

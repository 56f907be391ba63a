/** A namespaced CRD with status and scale subresources, printer columns, defaults and validation. */
export const WIDGET_CRD = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.example.com" },
  spec: {
    group: "example.com",
    scope: "Namespaced",
    names: { plural: "widgets", singular: "widget", kind: "Widget", shortNames: ["wd"] },
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        subresources: {
          status: {},
          scale: {
            specReplicasPath: ".spec.replicas",
            statusReplicasPath: ".status.replicas",
            labelSelectorPath: ".status.selector",
          },
        },
        additionalPrinterColumns: [
          { name: "Replicas", type: "integer", jsonPath: ".spec.replicas" },
          { name: "Color", type: "string", jsonPath: ".spec.color" },
        ],
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: {
                type: "object",
                required: ["color"],
                properties: {
                  replicas: { type: "integer", minimum: 0, maximum: 10, default: 1 },
                  color: { type: "string", enum: ["red", "green", "blue"] },
                  size: { "x-kubernetes-int-or-string": true },
                  name: { type: "string", minLength: 2, maxLength: 8, pattern: "^[a-z]+$" },
                  tags: { type: "array", maxItems: 2, items: { type: "string" } },
                  extra: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
                },
              },
              status: {
                type: "object",
                properties: {
                  replicas: { type: "integer" },
                  selector: { type: "string" },
                  phase: { type: "string" },
                },
              },
            },
          },
        },
      },
    ],
  },
};

/**
 * The label and annotation keys the kubelet puts on CRI sandboxes and
 * containers. They are upstream's keys, so tools that read them (crictl
 * filters, log collectors) work unchanged, and a kubelet restarted on the
 * same runtime finds its pods again from labels alone.
 */

/** Pod name, on sandboxes and containers. */
export const POD_NAME_LABEL = "io.kubernetes.pod.name";
/** Pod namespace, on sandboxes and containers. */
export const POD_NAMESPACE_LABEL = "io.kubernetes.pod.namespace";
/** Pod UID, on sandboxes and containers: the key the kubelet relists by. */
export const POD_UID_LABEL = "io.kubernetes.pod.uid";
/** Container name (from the pod spec), on containers. */
export const CONTAINER_NAME_LABEL = "io.kubernetes.container.name";

/** Hash of the container spec the container was created from. */
export const CONTAINER_HASH_ANNOTATION = "io.kubernetes.container.hash";
/** How many times this container had been restarted when this instance was created. */
export const CONTAINER_RESTART_COUNT_ANNOTATION = "io.kubernetes.container.restartCount";
/** Where the container writes its termination message. */
export const TERMINATION_MESSAGE_PATH_ANNOTATION = "io.kubernetes.container.terminationMessagePath";
/** `File` or `FallbackToLogsOnError`. */
export const TERMINATION_MESSAGE_POLICY_ANNOTATION =
  "io.kubernetes.container.terminationMessagePolicy";
/** The pod's termination grace period, in seconds. */
export const TERMINATION_GRACE_PERIOD_ANNOTATION = "io.kubernetes.pod.terminationGracePeriod";
/** The preStop hook as JSON, so a restarted kubelet can still run it. */
export const PRE_STOP_HANDLER_ANNOTATION = "io.kubernetes.container.preStopHandler";
/** The container's ports as JSON. */
export const CONTAINER_PORTS_ANNOTATION = "io.kubernetes.container.ports";
/** Whether the container is an init container (kubekit's own; upstream tells by spec). */
export const INIT_CONTAINER_ANNOTATION = "kubekit.io/init-container";

/**
 * Normalizes an image reference the way Docker and containerd read a short
 * one: `busybox` is `docker.io/library/busybox:latest`, `kubekit/x` is
 * `docker.io/kubekit/x:latest`, and a reference without tag or digest gets
 * `:latest`. A first path component with a `.` or `:`, or `localhost`, is a
 * registry host and is kept.
 */
export function normalizeImageReference(reference: string): string {
  const ref = reference.trim();
  if (ref === "") return ref;
  const slash = ref.indexOf("/");
  const first = slash === -1 ? "" : ref.slice(0, slash);
  const hasDomain =
    first !== "" && (first.includes(".") || first.includes(":") || first === "localhost");
  let named = hasDomain ? ref : `docker.io/${ref}`;
  if (named.startsWith("docker.io/") && !named.slice("docker.io/".length).includes("/")) {
    named = `docker.io/library/${named.slice("docker.io/".length)}`;
  }
  if (named.includes("@")) return named;
  const lastSegment = named.slice(named.lastIndexOf("/") + 1);
  return lastSegment.includes(":") ? named : `${named}:latest`;
}

/** True when `reference` names an image by digest (`name@sha256:…`). */
export function isDigestReference(reference: string): boolean {
  return reference.includes("@");
}

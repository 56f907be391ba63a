// Kubernetes-style version names (v1, v2beta1, v1alpha3) sort GA first,
// then beta, then alpha, higher numbers first; anything else comes after,
// alphabetically. This is the order discovery lists a CRD's versions in.
const KUBE_VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

const STABILITY: Record<string, number> = { "": 3, beta: 2, alpha: 1 };

/** Compares two version names by upstream's priority: negative when `a` comes first. */
export function compareVersionPriority(a: string, b: string): number {
  const ma = KUBE_VERSION.exec(a);
  const mb = KUBE_VERSION.exec(b);
  if (!ma || !mb) {
    if (ma) return -1;
    if (mb) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const sa = STABILITY[ma[2] ?? ""]!;
  const sb = STABILITY[mb[2] ?? ""]!;
  if (sa !== sb) return sb - sa;
  const major = Number(mb[1]) - Number(ma[1]);
  if (major !== 0) return major;
  return Number(mb[3] ?? 0) - Number(ma[3] ?? 0);
}

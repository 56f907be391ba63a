/** A kubeconfig (or in-cluster config) that cannot be used, naming the file and field at fault. */
export class KubeconfigError extends Error {
  override readonly name = "KubeconfigError";

  constructor(
    /** The file at fault, or `"<in-cluster>"`. */
    readonly file: string,
    /** A path to the field at fault, such as `clusters[0].cluster.server`; empty for the whole file. */
    readonly field: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(`${file}${field ? `: ${field}` : ""}: ${problem}`, options);
  }
}

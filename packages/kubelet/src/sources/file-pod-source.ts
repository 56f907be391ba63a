import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import type { Pod } from "../api/types.js";
import type { PodSource } from "../runtime/seams.js";
import { staticPodFromManifest } from "./static-pods.js";

/** Structured log lines; pino's `(fields, message)` shape. */
export type SourceLogger = (fields: Record<string, unknown>, message: string) => void;

/**
 * Static pods from `--pod-manifest-path`: every file in the directory not
 * starting with a dot holds one Pod (YAML or JSON). The directory is read
 * on {@link refresh} (the kubelet calls it every 20 s, upstream's
 * file-check frequency); a file that does not parse is logged and skipped,
 * keeping the pod it held before out (as upstream drops it).
 */
export class FilePodSource implements PodSource {
  private current: Pod[] = [];

  constructor(
    private readonly dir: string,
    private readonly nodeName: string,
    private readonly log?: SourceLogger,
  ) {}

  pods(): readonly Pod[] {
    return this.current;
  }

  /** Re-reads the directory; true when the set of pods changed. */
  async refresh(): Promise<boolean> {
    const names = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT")
        this.log?.({ dir: this.dir, err: error.message }, "reading manifests failed");
      return [] as string[];
    });
    const pods: Pod[] = [];
    for (const name of names.sort()) {
      if (name.startsWith(".")) continue;
      const path = join(this.dir, name);
      try {
        const text = await readFile(path, "utf8");
        const docs = parseAllDocuments(text).filter((doc) => doc.contents !== null);
        if (docs.length !== 1)
          throw new Error(`want one Pod per file, found ${docs.length} documents`);
        const doc = docs[0];
        if (doc?.errors.length) throw new Error(doc.errors[0]?.message);
        pods.push(staticPodFromManifest(doc?.toJS(), this.nodeName));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EISDIR") continue;
        this.log?.({ file: path, err: (error as Error).message }, "skipping static pod manifest");
      }
    }
    const before = this.current.map((p) => p.metadata.uid).join(",");
    this.current = pods;
    return before !== pods.map((p) => p.metadata.uid).join(",");
  }
}

/** Several pod sources seen as one (the apiserver's pods and the static ones). */
export class CombinedPodSource implements PodSource {
  constructor(private readonly sources: readonly PodSource[]) {}

  pods(): readonly Pod[] {
    return this.sources.flatMap((source) => source.pods());
  }
}

import { chmod, mkdir, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, normalize } from "node:path";
import { create } from "@bufbuild/protobuf";
import { type Mount, MountSchema } from "@kubekit/proto/cri";
import type { Container, KeyToPath, Pod, Volume } from "../api/types.js";
import { ContainerConfigError, type ObjectLookup } from "../cri/lookup.js";

/** Default file mode of ConfigMap and Secret volume files: 0644. */
export const DEFAULT_VOLUME_FILE_MODE = 0o644;

/** `<podsDir>/<uid>`: the pod's own directory on the node. */
export function podDirectory(podsDir: string, pod: Pod): string {
  return join(podsDir, pod.metadata.uid);
}

/** `<podsDir>/<uid>/volumes/kubernetes.io~<plugin>/<name>`, where a volume's files live. */
export function volumeDirectory(podsDir: string, pod: Pod, plugin: string, name: string): string {
  return join(podDirectory(podsDir, pod), "volumes", `kubernetes.io~${plugin}`, name);
}

/**
 * A file path inside a volume, refusing absolute paths and `..` so a
 * ConfigMap key can't write outside its volume.
 */
function safeRelative(path: string): string {
  const clean = normalize(path);
  if (clean.startsWith("/") || clean === ".." || clean.startsWith("../")) {
    throw new ContainerConfigError(`invalid volume item path ${JSON.stringify(path)}`);
  }
  return clean;
}

async function writeItems(
  dir: string,
  data: Record<string, Uint8Array | string>,
  items: KeyToPath[] | undefined,
  defaultMode: number,
  what: string,
): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const chosen = items ?? Object.keys(data).map((key) => ({ key, path: key }) as KeyToPath);
  for (const item of chosen) {
    const value = data[item.key];
    if (value === undefined) {
      throw new ContainerConfigError(`configmap or secret ${what} has no key ${item.key}`);
    }
    const file = join(dir, safeRelative(item.path));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, value);
    await chmod(file, item.mode ?? defaultMode);
  }
}

async function prepareVolume(
  pod: Pod,
  volume: Volume,
  podsDir: string,
  lookup: ObjectLookup,
): Promise<string | undefined> {
  const namespace = pod.metadata.namespace ?? "default";
  if (volume.emptyDir) {
    const dir = volumeDirectory(podsDir, pod, "empty-dir", volume.name);
    await mkdir(dir, { recursive: true, mode: 0o777 });
    await chmod(dir, 0o777);
    return dir;
  }
  if (volume.hostPath) {
    const { path, type = "" } = volume.hostPath;
    if (type === "DirectoryOrCreate") await mkdir(path, { recursive: true, mode: 0o755 });
    else if (type === "FileOrCreate") {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, "", { flag: "a" });
    } else if (type === "Directory" || type === "File") {
      const info = await stat(path).catch(() => undefined);
      const ok = type === "Directory" ? info?.isDirectory() : info?.isFile();
      if (!ok)
        throw new ContainerConfigError(`hostPath type check failed: ${path} is not a ${type}`);
    }
    return path;
  }
  if (volume.configMap) {
    const source = volume.configMap;
    const data = lookup.configMap(namespace, source.name);
    if (!data && !source.optional) {
      throw new ContainerConfigError(`configmap "${source.name}" not found`);
    }
    const dir = volumeDirectory(podsDir, pod, "configmap", volume.name);
    await writeItems(
      dir,
      data ?? {},
      source.items,
      source.defaultMode ?? DEFAULT_VOLUME_FILE_MODE,
      source.name,
    );
    return dir;
  }
  if (volume.secret) {
    const source = volume.secret;
    const data = lookup.secret(namespace, source.secretName);
    if (!data && !source.optional) {
      throw new ContainerConfigError(`secret "${source.secretName}" not found`);
    }
    const dir = volumeDirectory(podsDir, pod, "secret", volume.name);
    await writeItems(
      dir,
      data ?? {},
      source.items,
      source.defaultMode ?? DEFAULT_VOLUME_FILE_MODE,
      source.secretName,
    );
    return dir;
  }
  return undefined;
}

/**
 * Sets up a pod's volumes on the node (emptyDir and ConfigMap/Secret
 * directories under the pod's dir, hostPath checked or created) and returns
 * each volume's host path by name. Volumes of other kinds are skipped.
 */
export async function preparePodVolumes(
  pod: Pod,
  podsDir: string,
  lookup: ObjectLookup,
): Promise<Map<string, string>> {
  const paths = new Map<string, string>();
  for (const volume of pod.spec.volumes ?? []) {
    const path = await prepareVolume(pod, volume, podsDir, lookup);
    if (path !== undefined) paths.set(volume.name, path);
  }
  return paths;
}

/**
 * The CRI mounts of a container's volumeMounts, given each volume's host
 * path. ConfigMap and Secret volumes are always read-only, as upstream
 * mounts them. Throws when a mount names a volume the pod lacks.
 */
export function containerMounts(
  pod: Pod,
  container: Container,
  volumePaths: ReadonlyMap<string, string>,
): Mount[] {
  const kinds = new Map((pod.spec.volumes ?? []).map((v) => [v.name, v]));
  return (container.volumeMounts ?? []).map((mount) => {
    const hostPath = volumePaths.get(mount.name);
    if (hostPath === undefined) {
      throw new ContainerConfigError(
        `cannot find volume "${mount.name}" to mount into container "${container.name}"`,
      );
    }
    const volume = kinds.get(mount.name);
    const alwaysReadOnly = Boolean(volume?.configMap || volume?.secret);
    return create(MountSchema, {
      containerPath: mount.mountPath,
      hostPath: mount.subPath ? join(hostPath, safeRelative(mount.subPath)) : hostPath,
      readonly: alwaysReadOnly || (mount.readOnly ?? false),
    });
  });
}

/** Removes the pod's directory (its emptyDir, ConfigMap and Secret volumes). */
export async function removePodDirectory(
  podsDir: string,
  pod: Pick<Pod, "metadata">,
): Promise<void> {
  await rm(join(podsDir, pod.metadata.uid), { recursive: true, force: true });
}

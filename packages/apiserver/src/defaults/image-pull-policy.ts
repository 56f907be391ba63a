/**
 * The tag of an image reference, as upstream's image name parser reads it:
 * the part after the last `:` of the last path segment, `latest` when there
 * is no tag and no digest, and "" when there is only a digest.
 */
export function imageTag(image: string): string {
  const at = image.indexOf("@");
  const name = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = name.lastIndexOf("/");
  const lastColon = name.lastIndexOf(":");
  // A colon before the last slash is a registry port, not a tag.
  if (lastColon > lastSlash) return name.slice(lastColon + 1);
  return at >= 0 ? "" : "latest";
}

/** `Always` for `:latest` or untagged images, `IfNotPresent` otherwise, as upstream defaults it. */
export function defaultImagePullPolicy(image: string): "Always" | "IfNotPresent" {
  return imageTag(image) === "latest" ? "Always" : "IfNotPresent";
}

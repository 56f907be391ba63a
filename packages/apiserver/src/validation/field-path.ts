/**
 * A path to a field, printed as upstream prints field.Path:
 * `spec.containers[0].ports[1].containerPort`, `metadata.labels[app]`.
 */
export class FieldPath {
  private constructor(private readonly rendered: string) {}

  /** The root of a path: `FieldPath.root("spec")`. */
  static root(name: string, ...more: string[]): FieldPath {
    let path = new FieldPath(name);
    for (const m of more) path = path.child(m);
    return path;
  }

  /** A named child field. */
  child(name: string, ...more: string[]): FieldPath {
    let path = new FieldPath(this.rendered === "" ? name : `${this.rendered}.${name}`);
    for (const m of more) path = path.child(m);
    return path;
  }

  /** A list element by position. */
  index(i: number): FieldPath {
    return new FieldPath(`${this.rendered}[${i}]`);
  }

  /** A map entry by key. */
  key(k: string): FieldPath {
    return new FieldPath(`${this.rendered}[${k}]`);
  }

  /** The printed path. */
  toString(): string {
    return this.rendered;
  }
}

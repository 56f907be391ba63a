/**
 * Per-cycle scratch data shared between a pod's plugins (e.g. PreFilter
 * computes, Filter reads). One CycleState lives for one scheduling attempt.
 */

/** A value stored in CycleState; a `clone` method, when present, is used by {@link CycleState.clone}. */
export interface StateData {
  clone?(): StateData;
}

/** Key/value scratch space for one scheduling cycle. */
export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Filter plugins whose PreFilter returned Skip; the framework does not call their Filter. */
  readonly skipFilterPlugins = new Set<string>();
  /** Score plugins whose PreScore returned Skip; the framework does not call their Score. */
  readonly skipScorePlugins = new Set<string>();

  /** Reads a value written earlier in this cycle; undefined when absent. */
  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  /** Stores a value for later plugins of this cycle. */
  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }

  /** Deletes a value. */
  delete(key: string): void {
    this.data.delete(key);
  }

  /** A copy whose values are cloned where they know how (preemption simulates on copies). */
  clone(): CycleState {
    const copy = new CycleState();
    for (const [key, value] of this.data) {
      const cloneable = value as StateData | undefined;
      copy.data.set(key, typeof cloneable?.clone === "function" ? cloneable.clone() : value);
    }
    for (const name of this.skipFilterPlugins) copy.skipFilterPlugins.add(name);
    for (const name of this.skipScorePlugins) copy.skipScorePlugins.add(name);
    return copy;
  }
}

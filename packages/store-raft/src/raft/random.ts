import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

/**
 * The only randomness the core uses (election timeout jitter), injected so
 * that a run is reproducible from its seed.
 */
export interface RandomSource {
  /** A uniformly chosen integer in `[0, n)`; `n` >= 1. */
  intn(n: number): number;
}

/** A reproducible {@link RandomSource} from a 32-bit seed (xoroshiro128+, via pure-rand). */
export function seededRandom(seed: number): RandomSource {
  const rng = xoroshiro128plus(seed | 0);
  return {
    intn(n: number): number {
      if (n < 1) throw new Error(`intn: n must be >= 1, got ${n}`);
      return uniformInt(rng, 0, n - 1);
    },
  };
}

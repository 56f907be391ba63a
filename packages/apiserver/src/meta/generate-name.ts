/**
 * The characters upstream draws generated name suffixes from: lowercase
 * letters and digits without vowels and look-alikes (no a e i o u, 0 1 3),
 * so a suffix never spells a word or reads ambiguously.
 */
export const NAME_SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** Length of the random suffix appended to generateName. */
export const NAME_SUFFIX_LENGTH = 5;

/** The longest name a generated name may reach (a DNS-1123 subdomain). */
const MAX_NAME_LENGTH = 253;

/**
 * A name from a generateName prefix: the prefix (cut so the result fits)
 * plus five random characters drawn with `random`.
 */
export function generateName(prefix: string, random: () => number): string {
  let suffix = "";
  for (let i = 0; i < NAME_SUFFIX_LENGTH; i++) {
    const index = Math.min(
      NAME_SUFFIX_ALPHABET.length - 1,
      Math.floor(random() * NAME_SUFFIX_ALPHABET.length),
    );
    suffix += NAME_SUFFIX_ALPHABET[index];
  }
  return prefix.slice(0, MAX_NAME_LENGTH - NAME_SUFFIX_LENGTH) + suffix;
}

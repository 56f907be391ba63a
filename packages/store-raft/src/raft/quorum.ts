/** The outcome of counting votes. */
export enum VoteResult {
  /** Not decided yet: some voters have not answered. */
  Pending = 0,
  /** A majority rejected. */
  Lost = 1,
  /** A majority granted. */
  Won = 2,
}

/**
 * The highest index acknowledged by a majority of `voters`: sort their
 * match indexes descending and take the one at position floor(n/2), the
 * smallest index that n/2+1 voters have reached. Voters missing from
 * `matchOf` count as 0. An empty voter set commits nothing.
 */
export function majorityCommitted(
  voters: ReadonlySet<number>,
  matchOf: (id: number) => number | undefined,
): number {
  if (voters.size === 0) return 0;
  const matches: number[] = [];
  for (const id of voters) matches.push(matchOf(id) ?? 0);
  matches.sort((a, b) => b - a);
  return matches[Math.floor(matches.length / 2)] ?? 0;
}

/**
 * Counts `votes` (true = granted) among `voters`; votes from non-voters are
 * ignored. An empty voter set wins by convention (there is nobody to ask).
 */
export function majorityVoteResult(
  voters: ReadonlySet<number>,
  votes: ReadonlyMap<number, boolean>,
): VoteResult {
  if (voters.size === 0) return VoteResult.Won;
  let granted = 0;
  let rejected = 0;
  for (const id of voters) {
    const v = votes.get(id);
    if (v === true) granted++;
    else if (v === false) rejected++;
  }
  const q = Math.floor(voters.size / 2) + 1;
  if (granted >= q) return VoteResult.Won;
  if (granted + (voters.size - granted - rejected) >= q) return VoteResult.Pending;
  return VoteResult.Lost;
}

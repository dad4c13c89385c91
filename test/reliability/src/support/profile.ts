/**
 * The run profile: `short` (the default, what CI runs: the 5-minute soak and about 2.5 minutes of scenarios on two cores) or
 * `long` (`KES_RELIABILITY_PROFILE=long`: an hour-long soak and longer attacks, for a release or a night run).
 */

/** Durations (ms) and sizes of one profile. */
export interface Profile {
  readonly name: 'short' | 'long';
  /** How long each hostile-input attack runs while the legitimate client measures. */
  readonly attackMs: number;
  /** Mutated requests the fuzzer sends. */
  readonly fuzzCases: number;
  /** SIGHUPs under load. */
  readonly reloads: number;
  /** Soak duration (after warm-up and the capacity measurement). */
  readonly soakMs: number;
  /** Period of the keystore blips during the soak, and how long each lasts. */
  readonly blipEveryMs: number;
  readonly blipMs: number;
  /** Duration of each phase of the keystore-fault and race scenarios. */
  readonly phaseMs: number;
}

const PROFILES: Readonly<Record<Profile['name'], Profile>> = {
  short: { name: 'short', attackMs: 3_000, fuzzCases: 1_200, reloads: 200, soakMs: 300_000, blipEveryMs: 10_000, blipMs: 1_500, phaseMs: 3_000 },
  long: { name: 'long', attackMs: 60_000, fuzzCases: 100_000, reloads: 2_000, soakMs: 3_600_000, blipEveryMs: 30_000, blipMs: 3_000, phaseMs: 30_000 },
};

/**
 * The profile named by `KES_RELIABILITY_PROFILE` (`short` when unset).
 * @throws Error for any other value.
 */
export function profileFrom(env: NodeJS.ProcessEnv = process.env): Profile {
  const name = env['KES_RELIABILITY_PROFILE'] ?? 'short';
  const profile = PROFILES[name as Profile['name']];
  if (profile === undefined) throw new Error(`KES_RELIABILITY_PROFILE='${name}' is not a profile (use 'short' or 'long')`);
  return profile;
}

/** The profile of this run. */
export const PROFILE: Profile = profileFrom();

/** A vitest timeout for a test expected to take about `expectedMs`: generous, so that a slow machine is not a failure. */
export function budget(expectedMs: number): number {
  return Math.round(expectedMs * 2 + 60_000);
}

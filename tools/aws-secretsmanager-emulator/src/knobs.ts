/** How the emulator is unreachable: connection refused (not listening), reset, or accepted and never answered. */
export type Outage = 'none' | 'refused' | 'reset' | 'hang';

/** The Secrets Manager operations the emulator implements (the `X-Amz-Target` suffixes). */
export const OPERATIONS = ['CreateSecret', 'GetSecretValue', 'DescribeSecret', 'DeleteSecret', 'RestoreSecret', 'ListSecrets'] as const;
/** One implemented operation. */
export type Operation = (typeof OPERATIONS)[number];

/**
 * Fault and timing knobs. The emulator reads them on every request, so a test changes them in place
 * (`emulator.knobs.latencyMs = 500`); the `*Next` counters count down as they fire.
 */
export interface Knobs {
  /** Delay before every answer (also before outage handling), ms. */
  latencyMs: number;
  /** The next N authenticated requests get `ThrottlingException` (400, "Rate exceeded"; the SDK retries it). */
  throttleNext: number;
  /** The next N authenticated requests get `InternalServiceError` (500; the SDK retries it). */
  failNext: number;
  /**
   * The next N mutating requests (Create/Delete/Restore) are carried out, then the connection is reset without an
   * answer (a lost response: the SDK retries with the same idempotency token).
   */
  lostResponses: number;
  /**
   * Forced deletes (`ForceDeleteWithoutRecovery`) finish only after this many ms; until then the name is "scheduled
   * for deletion" (Get and Create → `InvalidRequestException`), like AWS's asynchronous deletion. 0 → immediate.
   */
  forceDeleteDelayMs: number;
  /** ListSecrets page size when the request has no `MaxResults` (AWS's maximum is 100). */
  pageSize: number;
  /** Operations every caller is denied (`AccessDeniedException`), e.g. `['ListSecrets']`. */
  deniedOperations: Operation[];
  /** KMS key ids that are "disabled": Create with one → `EncryptionFailure`, Get of a secret under one → `DecryptionFailure`. */
  disabledKmsKeys: string[];
  /** Offset of the emulator's clock (response `Date` header and the signature's skew check), ms. */
  clockSkewMs: number;
}

/** A healthy, immediate, strongly consistent service. */
export function defaultKnobs(): Knobs {
  return {
    latencyMs: 0,
    throttleNext: 0,
    failNext: 0,
    lostResponses: 0,
    forceDeleteDelayMs: 0,
    pageSize: 100,
    deniedOperations: [],
    disabledKmsKeys: [],
    clockSkewMs: 0,
  };
}

const NUMBER_KNOBS = ['latencyMs', 'throttleNext', 'failNext', 'lostResponses', 'forceDeleteDelayMs', 'pageSize'] as const;

/**
 * Checks a knob patch (from the command line or JSON): known fields only, counters and delays finite integers ≥ 0,
 * `pageSize` 1–100, `deniedOperations` implemented operation names, `disabledKmsKeys` strings.
 *
 * @returns the patch, typed.
 * @throws Error naming the first bad field.
 */
export function validateKnobPatch(patch: unknown): Partial<Knobs> {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new Error('knobs must be a JSON object');
  const known = new Set<string>(Object.keys(defaultKnobs()));
  for (const [field, value] of Object.entries(patch)) {
    if (!known.has(field)) throw new Error(`unknown knob '${field}' (known: ${[...known].join(', ')})`);
    if ((NUMBER_KNOBS as readonly string[]).includes(field) || field === 'clockSkewMs') {
      const min = field === 'clockSkewMs' ? -Infinity : field === 'pageSize' ? 1 : 0;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || (field === 'pageSize' && value > 100)) {
        throw new Error(`knob '${field}' must be an integer${field === 'pageSize' ? ' from 1 to 100' : min === 0 ? ' >= 0' : ''}`);
      }
    } else if (field === 'deniedOperations') {
      if (!Array.isArray(value) || !value.every((op) => (OPERATIONS as readonly unknown[]).includes(op))) {
        throw new Error(`knob 'deniedOperations' must list operations of: ${OPERATIONS.join(', ')}`);
      }
    } else if (!Array.isArray(value) || !value.every((key) => typeof key === 'string')) {
      throw new Error(`knob '${field}' must be an array of strings`);
    }
  }
  return patch as Partial<Knobs>;
}

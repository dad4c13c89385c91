/**
 * Fault knobs of the emulator: live, mutable settings a test flips through the in-process handle
 * (`emulator.knobs.sealed = true`) or the CLI (`--knobs '{"latencyMs":50}'`).
 */

/** An injected answer: requests matching `method` (any if absent) and the path prefix get `status` + `errors`. */
export interface Fault {
  /** HTTP method (`GET`, `POST`, `DELETE`, `LIST` for list reads); absent = any. */
  readonly method?: string;
  /** Prefix of the path below `/v1/` (e.g. `kv/data/`, `auth/approle/login`). */
  readonly path: string;
  /** Namespace the fault applies to; absent = any. */
  readonly namespace?: string;
  readonly status: number;
  /** The `errors` of the answer body. @default [] */
  readonly errors?: readonly string[];
  /** How many matching requests get the fault; absent = all until removed. */
  times?: number;
}

/** The live knobs. */
export interface Knobs {
  /** Delay before every answer (ms). */
  latencyMs: number;
  /** Every new connection is reset before an answer (clients see ECONNRESET / socket hang up). */
  outage: boolean;
  /** Vault is sealed: 503 "Vault is sealed" for everything but health. */
  sealed: boolean;
  /** Vault is initialised (false: health says so and everything else answers 503). */
  initialized: boolean;
  /** This node is a standby (health answers `standbycode`, default 429). */
  standby: boolean;
  /** Injected answers, checked in order before routing. */
  faults: Fault[];
}

/** A fresh set of knobs: no latency, no outage, unsealed, initialised, active, no faults. */
export function defaultKnobs(): Knobs {
  return { latencyMs: 0, outage: false, sealed: false, initialized: true, standby: false, faults: [] };
}

/** Thrown by {@link validateKnobPatch} for an unknown knob or a value of the wrong type. */
export class KnobError extends Error {
  override readonly name = 'KnobError';
}

/**
 * Checks a knob patch from outside (CLI JSON).
 * @returns the patch, typed.
 * @throws KnobError naming the bad knob.
 */
export function validateKnobPatch(patch: unknown): Partial<Knobs> {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new KnobError('knobs must be a JSON object');
  const types: Record<string, string> = { latencyMs: 'number', outage: 'boolean', sealed: 'boolean', initialized: 'boolean', standby: 'boolean', faults: 'array' };
  for (const [key, value] of Object.entries(patch)) {
    const type = types[key];
    if (type === undefined) throw new KnobError(`unknown knob '${key}' (known: ${Object.keys(types).join(', ')})`);
    const actual = Array.isArray(value) ? 'array' : typeof value;
    if (actual !== type) throw new KnobError(`knob '${key}' must be a ${type}`);
    if (key === 'latencyMs' && (!Number.isFinite(value) || (value as number) < 0)) throw new KnobError("knob 'latencyMs' must be >= 0");
    if (key === 'faults') for (const f of value as unknown[]) checkFault(f);
  }
  return patch as Partial<Knobs>;
}

function checkFault(f: unknown): void {
  const fault = f as Partial<Fault> | null;
  if (typeof fault !== 'object' || fault === null || typeof fault.path !== 'string' || typeof fault.status !== 'number') {
    throw new KnobError('a fault needs a string path and a numeric status');
  }
}

/**
 * The first fault matching a request, consuming one of its `times` (a used-up fault is removed).
 * @returns the fault, or undefined.
 */
export function takeFault(knobs: Knobs, method: string, path: string, namespace: string): Fault | undefined {
  const index = knobs.faults.findIndex(
    (f) => (f.method === undefined || f.method === method) && path.startsWith(f.path) && (f.namespace === undefined || f.namespace === namespace),
  );
  if (index < 0) return undefined;
  const fault = knobs.faults[index]!;
  if (fault.times !== undefined) {
    fault.times -= 1;
    if (fault.times <= 0) knobs.faults.splice(index, 1);
  }
  return fault;
}

/**
 * What every scenario prints: one block per scenario with its figures (requests sent, faults injected, errors by
 * kind, keys lost, latencies, resources), so that a CI log shows what was proven and with which numbers. With
 * `KES_RELIABILITY_REPORT=<file>` the blocks are also appended to that file as JSON lines.
 */
import { appendFileSync } from 'node:fs';
import { PROFILE } from './profile.js';

/** The figures of a scenario; `keysLost` is required (it must be 0). */
export interface ScenarioFigures {
  readonly requests: number;
  readonly faultsInjected: number | Readonly<Record<string, number | string | boolean>>;
  readonly errors: Record<string, number>;
  readonly keysLost: number;
  readonly [more: string]: unknown;
}

/** Prints `figures` of `scenario` (and appends them to the report file when configured). Never throws. */
export function report(scenario: string, figures: ScenarioFigures): void {
  const lines = Object.entries(figures).map(([k, v]) => `  ${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  console.log(`[reliability:${PROFILE.name}] ${scenario}\n${lines.join('\n')}`);
  const file = process.env['KES_RELIABILITY_REPORT'];
  if (file) {
    try {
      appendFileSync(file, `${JSON.stringify({ profile: PROFILE.name, scenario, ...figures })}\n`);
    } catch {
      // the console output above is the report of record
    }
  }
}

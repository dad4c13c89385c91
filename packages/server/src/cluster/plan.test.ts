import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseServerArgs, UsageError } from '../launch/args.js';
import type { ServerConfig } from '../config/server-config.js';
import { planWorkers } from './plan.js';

const config = (name: string, module = false) => ({ keystore: { name, title: name, settings: {}, ...(module ? { module: { specifier: './m.js' } } : {}) } }) as unknown as ServerConfig;

describe('planWorkers', () => {
  it('runs the asked or default number of processes for keystores that keep no state in the process', () => {
    expect(planWorkers(config('fs'), undefined, 4)).toEqual({ workers: 4 });
    expect(planWorkers(config('vault'), 2, 4)).toEqual({ workers: 2 });
    expect(planWorkers(config('aws.secretsmanager'), 1, 4)).toEqual({ workers: 1 });
    expect(planWorkers(config('fs'), undefined, 1)).toEqual({ workers: 1 });
  });

  it('runs one process for development mode and the memory keystore, and for modules unless asked, saying why when more were asked or a module could run more', () => {
    expect(planWorkers(undefined, undefined, 4)).toEqual({ workers: 1 });
    expect(planWorkers(undefined, 3, 4)).toMatchObject({ workers: 1, note: expect.stringContaining('development mode') });
    expect(planWorkers(config('memory'), undefined, 4)).toEqual({ workers: 1 }); // the default: nothing to say
    expect(planWorkers(config('memory'), 8, 4)).toMatchObject({ workers: 1, note: expect.stringContaining('memory keystore') });
    expect(planWorkers(config('example.jsonfile', true), undefined, 4)).toMatchObject({ workers: 1, note: expect.stringContaining('--workers') });
    expect(planWorkers(config('example.jsonfile', true), 3, 4)).toEqual({ workers: 3 });
  });

  it('never plans fewer than one or more than asked (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('fs', 'memory', 'vault', 'x.y'), fc.boolean(), fc.option(fc.integer({ min: 1, max: 64 }), { nil: undefined }), fc.integer({ min: 1, max: 64 }), (name, module, requested, def) => {
        const plan = planWorkers(config(name, module), requested, def);
        expect(plan.workers).toBeGreaterThanOrEqual(1);
        expect(plan.workers).toBeLessThanOrEqual(requested ?? def);
      }),
    );
  });
});

describe('--workers and KES_WORKERS', () => {
  it('takes a whole number from 1 to 1024, the flag over the environment', () => {
    expect(parseServerArgs(['--workers', '3'], {}).workers).toBe(3);
    expect(parseServerArgs(['--workers=2'], { KES_WORKERS: '5' }).workers).toBe(2);
    expect(parseServerArgs([], { KES_WORKERS: '5' }).workers).toBe(5);
    expect(parseServerArgs([], {}).workers).toBeUndefined();
    for (const bad of ['0', '-1', 'two', '1.5', '1025', ' 2']) {
      expect(() => parseServerArgs(['--workers', bad], {})).toThrow(UsageError);
      expect(() => parseServerArgs([], { KES_WORKERS: bad })).toThrow(`invalid number of workers '${bad}'`);
    }
  });
});

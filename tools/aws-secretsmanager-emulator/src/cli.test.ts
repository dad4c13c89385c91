import { join } from 'node:path';
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { spawnStandalone } from '@kes/emulator-support';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { banner } from './banner.js';
import { parseCli } from './cli.js';
import { defaultKnobs, validateKnobPatch } from './knobs.js';
import { emulatorWithClient } from './test/sdk-helpers.js';

describe('parseCli', () => {
  it('maps flags to emulator options, including the forms Nx forwards', () => {
    const config = parseCli(['--', '--json=true', '--port', '4572', '--region', 'us-east-2', '--access-key', 'AKID', '--secret-key', 'S', '--session-token', 'T', '--knobs', '{"pageSize":2}', '--no-verify']);
    expect(config.json).toBe(true);
    expect(config.options).toEqual({
      port: 4572,
      region: 'us-east-2',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'S', sessionToken: 'T' },
      verifySignatures: false,
      knobs: { pageSize: 2 },
    });
    expect(parseCli(['--json=false'])).toEqual({ json: false, help: false, options: {} });
  });

  it('refuses bad values with a message that names the flag', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--port', '70000'], /--port/],
      [['--region', 'us east'], /--region/],
      [['--access-key', 'A'], /--access-key and --secret-key/],
      [['--session-token', 'T'], /--session-token/],
      [['--tls-cert', 'x'], /--tls-cert and --tls-key/],
      [['--knobs', '{'], /--knobs must be a JSON object/],
      [['--knobs', '{"pageSize":0}'], /--knobs: knob 'pageSize'/],
      [['--unknown'], /Unknown option/],
    ];
    for (const [argv, message] of cases) expect(() => parseCli(argv), argv.join(' ')).toThrow(message);
  });
});

describe('validateKnobPatch', () => {
  it('accepts every default and refuses unknown knobs and bad values', () => {
    expect(validateKnobPatch(defaultKnobs())).toEqual(defaultKnobs());
    expect(() => validateKnobPatch({ latency: 1 })).toThrow(/unknown knob 'latency'/);
    expect(() => validateKnobPatch({ deniedOperations: ['PutSecretValue'] })).toThrow(/deniedOperations/);
    expect(() => validateKnobPatch({ disabledKmsKeys: [1] })).toThrow(/disabledKmsKeys/);
    expect(() => validateKnobPatch({ pageSize: 101 })).toThrow(/from 1 to 100/);
    expect(() => validateKnobPatch({ latencyMs: -1 })).toThrow(/>= 0/);
    expect(validateKnobPatch({ clockSkewMs: -5000 })).toEqual({ clockSkewMs: -5000 });
    for (const bad of [null, [], 'x', 3]) expect(() => validateKnobPatch(bad)).toThrow(/JSON object/);
  });

  it('either accepts a patch unchanged or throws an Error, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          expect(validateKnobPatch(value)).toBe(value);
        } catch (err) {
          expect(err).toBeInstanceOf(Error);
        }
      }),
    );
  });
});

describe('serve', () => {
  it('the banner names endpoint, region and credentials and shows a KES config block', async () => {
    const { emu } = await emulatorWithClient({ credentials: { accessKeyId: 'AKIDX', secretAccessKey: 'SECRETX', sessionToken: 'TOKX' } });
    const text = banner(emu);
    for (const part of [emu.endpoint, 'region          us-east-2', 'AKIDX', 'SECRETX', 'token: TOKX', 'secretsmanager:', `AWS_ENDPOINT_URL_SECRETS_MANAGER=${emu.endpoint}`]) {
      expect(text).toContain(part);
    }
  });

  it('`tsx src/main.ts --json` prints one JSON line the SDK can use, and stops on SIGTERM', async () => {
    const p = spawnStandalone(join(import.meta.dirname, 'main.ts'), ['--json', '--region', 'eu-west-1']);
    try {
      const info = JSON.parse(await p.firstLine) as { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string };
      expect(Object.keys(info).sort()).toEqual(['accessKeyId', 'endpoint', 'region', 'secretAccessKey']);
      expect(info.region).toBe('eu-west-1');
      const client = new SecretsManagerClient({ endpoint: info.endpoint, region: info.region, credentials: info });
      await client.send(new CreateSecretCommand({ Name: 'k', SecretString: 'v' }));
      expect((await client.send(new GetSecretValueCommand({ SecretId: 'k' }))).SecretString).toBe('v');
      client.destroy();
    } finally {
      expect(await p.stop()).toBe(0);
    }
  }, 30_000);
});

import { isKeystoreDefinition } from '@kes/core';
import { describe, expect, it } from 'vitest';
import { AwsSecretsManagerKeystore } from './aws-keystore.js';
import { keystoreDefinition } from './definition.js';

describe('aws.secretsmanager keystoreDefinition', () => {
  it('selects keystore.aws.secretsmanager and is a valid definition', () => {
    expect(isKeystoreDefinition(keystoreDefinition)).toBe(true);
    expect(keystoreDefinition.name).toBe('aws.secretsmanager');
    expect(keystoreDefinition.title).toBe('AWS Secrets Manager');
  });

  it('builds a keystore from a validated config without touching the network, and describes it without credentials', async () => {
    const result = keystoreDefinition.validate({
      endpoint: '127.0.0.1:1',
      region: 'us-east-2',
      credentials: { accesskey: 'AKIDEXAMPLE', secretkey: 'very-secret-key', token: 'session-token' },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const ks = await keystoreDefinition.create(result.config, { cwd: '/', warn: () => expect.fail('no warning expected') });
    expect(ks).toBeInstanceOf(AwsSecretsManagerKeystore);
    expect((ks as AwsSecretsManagerKeystore).endpoint).toBe('https://127.0.0.1:1');
    const text = keystoreDefinition.describe?.(result.config) ?? '';
    expect(text).toBe('https://127.0.0.1:1 (region us-east-2)');
    expect(text).not.toMatch(/AKID|secret|session/);
    await ks.close();
  });

  it('passes validation problems through with paths', () => {
    const result = keystoreDefinition.validate(null);
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual([['endpoint'], ['region']]);
  });
});

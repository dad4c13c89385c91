import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterEach } from 'vitest';
import { startSecretsManagerEmulator, type EmulatorOptions, type SecretsManagerEmulator } from '../index.js';

const running: SecretsManagerEmulator[] = [];
const clients: SecretsManagerClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await Promise.all(running.splice(0).map((e) => e.stop()));
});

/** Starts an emulator (stopped after the test) and a real SDK client for it. */
export async function emulatorWithClient(
  options: EmulatorOptions = {},
  clientOptions: { maxAttempts?: number } = {},
): Promise<{ emu: SecretsManagerEmulator; client: SecretsManagerClient }> {
  const emu = await startSecretsManagerEmulator({ region: 'us-east-2', ...options });
  running.push(emu);
  return { emu, client: clientFor(emu, clientOptions) };
}

/** A real SDK client for `emu` (destroyed after the test). */
export function clientFor(emu: SecretsManagerEmulator, options: { maxAttempts?: number; secretAccessKey?: string } = {}): SecretsManagerClient {
  const client = new SecretsManagerClient({
    endpoint: emu.endpoint,
    region: emu.region,
    credentials: { ...emu.credentials, ...(options.secretAccessKey ? { secretAccessKey: options.secretAccessKey } : {}) },
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  });
  clients.push(client);
  return client;
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string; $fault?: string; $metadata?: { httpStatusCode?: number; attempts?: number } }> {
  try {
    await promise;
  } catch (err) {
    return err as never;
  }
  throw new Error('expected a rejection');
}

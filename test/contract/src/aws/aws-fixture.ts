/**
 * Shared set-up of the AWS Secrets Manager contract tests: emulator-backed keystores, an SDK client for
 * "administrator" actions the keystore never does (recovery-window deletes, restores), and the switch for runs
 * against real AWS.
 */
import { randomBytes } from 'node:crypto';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startSecretsManagerEmulator, type EmulatorOptions, type SecretsManagerEmulator } from '@kes/aws-secretsmanager-emulator';
import { AwsSecretsManagerKeystore, type AwsSecretsManagerKeystoreOptions } from '@kes/keystore-aws-secretsmanager';

// The SDK warns once that releases after January 2027 need Node 22; tests must never probe the EC2 metadata service.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
process.env['AWS_EC2_METADATA_DISABLED'] = 'true';

/** Starts an emulator for one test file. */
export function startEmulator(options: EmulatorOptions = {}): Promise<SecretsManagerEmulator> {
  return startSecretsManagerEmulator({ region: 'us-east-2', ...options });
}

/** A keystore talking to `emu` with the emulator's credentials (options override the defaults). */
export function emulatorKeystore(emu: SecretsManagerEmulator, options: Partial<AwsSecretsManagerKeystoreOptions> = {}): AwsSecretsManagerKeystore {
  return new AwsSecretsManagerKeystore({
    endpoint: emu.endpoint,
    region: emu.region,
    credentials: { accessKey: emu.credentials.accessKeyId, secretKey: emu.credentials.secretAccessKey },
    ...options,
  });
}

/** A plain SDK client for `emu`, for what an administrator would do with the AWS CLI. */
export function adminClient(emu: SecretsManagerEmulator): SecretsManagerClient {
  return new SecretsManagerClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials });
}

/** The real-AWS settings from the environment (see docs/aws-secretsmanager.md), or `undefined` when not configured. */
export interface RealAwsSettings {
  readonly region: string;
  readonly endpoint: string;
  readonly kmsKey?: string;
  /** Static credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY[/AWS_SESSION_TOKEN]; absent → AWS_PROFILE via the default chain. */
  readonly credentials?: { accessKey: string; secretKey: string; sessionToken?: string };
  /** Prefix of every secret this run creates: `kes-contract-<random>-`. */
  readonly runPrefix: string;
}

/**
 * Reads `KES_TEST_AWS_REGION` (required), `KES_TEST_AWS_ENDPOINT` and `KES_TEST_AWS_KMSKEY` (optional), and the
 * credentials: `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`) or `AWS_PROFILE`.
 * @returns the settings, or `undefined` when the region or the credentials are missing.
 */
export function realAwsSettings(env: NodeJS.ProcessEnv = process.env): RealAwsSettings | undefined {
  const region = env['KES_TEST_AWS_REGION']?.trim();
  const accessKey = env['AWS_ACCESS_KEY_ID']?.trim();
  const secretKey = env['AWS_SECRET_ACCESS_KEY']?.trim();
  const sessionToken = env['AWS_SESSION_TOKEN']?.trim();
  const profile = env['AWS_PROFILE']?.trim();
  if (!region || !((accessKey && secretKey) || profile)) return undefined;
  const kmsKey = env['KES_TEST_AWS_KMSKEY']?.trim();
  return {
    region,
    endpoint: env['KES_TEST_AWS_ENDPOINT']?.trim() || `https://secretsmanager.${region}.amazonaws.com`,
    ...(kmsKey ? { kmsKey } : {}),
    ...(accessKey && secretKey ? { credentials: { accessKey, secretKey, ...(sessionToken ? { sessionToken } : {}) } } : {}),
    runPrefix: `kes-contract-${randomBytes(4).toString('hex')}-`,
  };
}

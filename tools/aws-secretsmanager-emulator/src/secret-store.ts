import { randomInt } from 'node:crypto';

/** The stored value of a secret's current version. */
export type SecretValue = { readonly kind: 'string'; readonly text: string } | { readonly kind: 'binary'; readonly bytes: Uint8Array };

/** One secret, as the emulator keeps it. Times are epoch ms on the emulator's clock. */
export interface StoredSecret {
  readonly name: string;
  readonly arn: string;
  /** Creation order; ListSecrets pages follow it. */
  readonly seq: number;
  readonly createdMs: number;
  lastChangedMs: number;
  lastAccessedMs: number | undefined;
  /** `AWSCURRENT` version: its id (the create's ClientRequestToken) and value; absent for a secret without value. */
  version: { readonly id: string; readonly value: SecretValue; readonly createdMs: number } | undefined;
  readonly kmsKeyId: string | undefined;
  readonly description: string | undefined;
  readonly tags: readonly { readonly Key: string; readonly Value: string }[];
  /** When deletion was requested (DescribeSecret `DeletedDate`); absent while the secret is active. */
  deletedMs: number | undefined;
  /** When the secret disappears for good (end of the recovery window or of the forced-deletion delay). */
  purgeAtMs: number | undefined;
  /** Deleted with `ForceDeleteWithoutRecovery` (cannot be restored). */
  forced: boolean;
}

const SUFFIX_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * The secrets of one emulated region, keyed by name. Deletions become final lazily: {@link SecretStore.sweep}
 * removes every secret whose `purgeAtMs` has passed and is called before each operation.
 */
export class SecretStore {
  readonly #secrets = new Map<string, StoredSecret>();
  #seq = 0;

  constructor(
    readonly region: string,
    readonly accountId: string,
  ) {}

  /** Removes secrets whose deletion has become final by `now`. */
  sweep(now: number): void {
    for (const [name, secret] of this.#secrets) {
      if (secret.purgeAtMs !== undefined && secret.purgeAtMs <= now) this.#secrets.delete(name);
    }
  }

  /** The secret a `SecretId` (name or full ARN) refers to, in any state. */
  find(secretId: string): StoredSecret | undefined {
    if (secretId.startsWith('arn:')) {
      for (const secret of this.#secrets.values()) if (secret.arn === secretId) return secret;
      return undefined;
    }
    return this.#secrets.get(secretId);
  }

  /** Adds a new secret (the caller checked that the name is free) and gives it an ARN with AWS's random suffix. */
  add(fields: Omit<StoredSecret, 'arn' | 'seq' | 'lastAccessedMs' | 'deletedMs' | 'purgeAtMs' | 'forced' | 'lastChangedMs'>): StoredSecret {
    const suffix = Array.from({ length: 6 }, () => SUFFIX_CHARS[randomInt(SUFFIX_CHARS.length)]).join('');
    const secret: StoredSecret = {
      ...fields,
      arn: this.arnOf(`${fields.name}-${suffix}`),
      seq: ++this.#seq,
      lastChangedMs: fields.createdMs,
      lastAccessedMs: undefined,
      deletedMs: undefined,
      purgeAtMs: undefined,
      forced: false,
    };
    this.#secrets.set(secret.name, secret);
    return secret;
  }

  /** Removes a secret at once. */
  remove(name: string): void {
    this.#secrets.delete(name);
  }

  /** Every secret in creation order. */
  all(): StoredSecret[] {
    return [...this.#secrets.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Drops every secret. */
  clear(): void {
    this.#secrets.clear();
  }

  /** The ARN of `resource` (`name-XXXXXX`) in this region and account. */
  arnOf(resource: string): string {
    return `arn:aws:secretsmanager:${this.region}:${this.accountId}:secret:${resource}`;
  }
}

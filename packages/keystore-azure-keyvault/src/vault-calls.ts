import type { SecretClient } from '@azure/keyvault-secrets';
import { withRetries, type AzureKeyVaultTiming, type Budget } from './retry.js';
import { isVaultHttpError } from './vault-http-error.js';

/** One version of a secret as a versions list shows it. */
export interface VersionInfo {
  /** The 32-hex version id. */
  readonly version: string;
  /** `attributes.created` (integer seconds on the real service), or `undefined` when absent. */
  readonly createdOn: Date | undefined;
}

/** A secret value as read from the vault. */
export interface SecretValue {
  readonly version: string;
  readonly value: string;
}

/**
 * The Key Vault requests the keystore makes, each sent through {@link withRetries} inside the caller's budget, so
 * throttling, transient 5xx and connection failures are retried and everything else is thrown unchanged (the
 * pipeline's {@link vaultErrorPolicy} has turned error answers into `VaultHttpError`s).
 */
export class VaultCalls {
  constructor(
    private readonly client: SecretClient,
    private readonly timing: AzureKeyVaultTiming,
  ) {}

  /** `GET /secrets/{name}/` (latest version). @throws VaultHttpError 404 when absent, 403 `SecretDisabled`, … */
  latest(name: string, budget: Budget): Promise<SecretValue> {
    return this.#retry(budget, async (abortSignal) => toValue(await this.client.getSecret(name, { abortSignal })));
  }

  /** `GET /secrets/{name}/{version}`. */
  version(name: string, version: string, budget: Budget): Promise<SecretValue> {
    return this.#retry(budget, async (abortSignal) => toValue(await this.client.getSecret(name, { version, abortSignal })));
  }

  /**
   * `PUT /secrets/{name}` with `{"value": …}` only: no content type, no tags, no attributes, like upstream KES.
   * @returns the new version's id.
   */
  set(name: string, value: string, budget: Budget): Promise<string> {
    return this.#retry(budget, async (abortSignal) => {
      const secret = await this.client.setSecret(name, value, { abortSignal });
      return secret.properties.version ?? '';
    });
  }

  /**
   * `GET /secrets/{name}/versions`, following every `nextLink` (empty pages included) to the end. A transient
   * failure restarts the listing (the SDK does not expose page tokens). An unknown name has no versions.
   */
  versions(name: string, budget: Budget): Promise<VersionInfo[]> {
    return this.#retry(budget, async (abortSignal) => {
      const out: VersionInfo[] = [];
      for await (const page of this.client.listPropertiesOfSecretVersions(name, { abortSignal }).byPage()) {
        for (const p of page) out.push({ version: p.version ?? '', createdOn: p.createdOn });
      }
      return out;
    });
  }

  /** `GET /secrets`, following every `nextLink` (empty pages included) to the end. @returns the secret names. */
  names(budget: Budget): Promise<string[]> {
    return this.#retry(budget, async (abortSignal) => {
      const out: string[] = [];
      for await (const page of this.client.listPropertiesOfSecrets({ abortSignal }).byPage()) {
        for (const p of page) out.push(p.name);
      }
      return out;
    });
  }

  /**
   * `DELETE /secrets/{name}` (soft delete). The SDK's poller also reads `GET /deletedsecrets/{name}` once; its
   * failure does not undo the delete, so it is ignored.
   * @throws VaultHttpError 404 when the secret does not exist.
   */
  softDelete(name: string, budget: Budget): Promise<void> {
    return this.#retry(budget, async (abortSignal) => {
      try {
        await this.client.beginDeleteSecret(name, { abortSignal });
      } catch (err) {
        if (isVaultHttpError(err) && err.method === 'GET' && err.url.includes('/deletedsecrets/')) return;
        throw err;
      }
    });
  }

  /** `DELETE /deletedsecrets/{name}` (purge). @throws VaultHttpError 404, 409 `ObjectIsBeingDeleted`, 403, … */
  purge(name: string, budget: Budget): Promise<void> {
    return this.#retry(budget, (abortSignal) => this.client.purgeDeletedSecret(name, { abortSignal }));
  }

  /** `GET /deletedsecrets/{name}`. @returns when Key Vault will purge it, if it says. */
  scheduledPurgeDate(name: string, budget: Budget): Promise<Date | undefined> {
    return this.#retry(budget, async (abortSignal) => (await this.client.getDeletedSecret(name, { abortSignal })).properties.scheduledPurgeDate);
  }

  #retry<T>(budget: Budget, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return withRetries(fn, budget, this.timing);
  }
}

function toValue(secret: { value?: string; properties: { version?: string } }): SecretValue {
  return { version: secret.properties.version ?? '', value: secret.value ?? '' };
}

/**
 * The version every reader serves: the one with the smallest `created`; among equal ones the one listed first
 * (upstream KES's rule, so mixed deployments agree). Versions without `created` come last.
 * @returns `undefined` for an empty list. Never throws.
 */
export function oldestVersion(versions: readonly VersionInfo[]): VersionInfo | undefined {
  let best: VersionInfo | undefined;
  let bestTime = Infinity;
  for (const v of versions) {
    const t = v.createdOn?.getTime() ?? Infinity;
    if (best === undefined || t < bestTime) {
      best = v;
      bestTime = Number.isNaN(t) ? Infinity : t;
    }
  }
  return best;
}

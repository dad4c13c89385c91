/**
 * "Nothing lost", checked against the keystore itself (the fs keystore's directory): every key whose create was
 * answered 200 must exist (else it is lost), and every key whose create failed must not (else the server accepted
 * a request whose answer was lost — the client cannot know the key exists).
 */
import { readdirSync } from 'node:fs';

/** The outcome of an audit. */
export interface KeyAudit {
  readonly creates: number;
  readonly acknowledged: number;
  /** Acknowledged (200) but not in the keystore. */
  readonly lost: readonly string[];
  /** Failed at the client but present in the keystore. */
  readonly answerLost: readonly string[];
  /** Failed at the client and absent: never accepted. */
  readonly neverAccepted: number;
  /** Leftover temporary files of the fs keystore (`.kes-tmp-…`). */
  readonly tempFiles: number;
}

/** Compares `created` (name → `ok` or an error kind) with the files in `keysDir`. */
export function auditCreates(created: Readonly<Record<string, string>>, keysDir: string): KeyAudit {
  const files = new Set(readdirSync(keysDir));
  const lost: string[] = [];
  const answerLost: string[] = [];
  let acknowledged = 0;
  let neverAccepted = 0;
  for (const [name, outcome] of Object.entries(created)) {
    if (outcome === 'ok') {
      acknowledged++;
      if (!files.has(name)) lost.push(name);
    } else if (files.has(name)) answerLost.push(`${name} (${outcome})`);
    else neverAccepted++;
  }
  return {
    creates: Object.keys(created).length,
    acknowledged,
    lost,
    answerLost,
    neverAccepted,
    tempFiles: [...files].filter((f) => f.startsWith('.kes-tmp')).length,
  };
}

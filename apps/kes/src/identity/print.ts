/**
 * Printing an API key with its identity.
 */
import type { ApiKey } from '@kes/core';
import type { CliContext } from '../cli/context.js';

/** Prints an API key and its identity (human block on a terminal, only the key otherwise, JSON with --json). */
export function printApiKey(ctx: CliContext, key: ApiKey, json: boolean, bareWhenPiped: boolean): void {
  if (json) {
    ctx.json({ api_key: key.toString(), identity: key.identity });
    return;
  }
  if (!ctx.isTTY && bareWhenPiped) {
    ctx.out(key.toString());
    return;
  }
  const s = ctx.style();
  ctx.out(
    `\n  API key:   ${s.bold(key.toString())}\n  Identity:  ${s.bold(key.identity)}\n\n` +
      '  The API key is a secret: whoever has it can authenticate as this identity. It is not stored anywhere.\n' +
      "  The identity is public: name it in the server's config (admin.identity or a policy's identities).\n",
  );
}

/**
 * Shared output of the list commands (`kes ls`, `kes key ls`, `kes policy ls`, `kes identity ls`): a header and one
 * name per line on a terminal, bare names otherwise, a JSON array with `--json`.
 */
import type { Listing } from '@kes/client';
import type { CliContext } from '../cli/context.js';
import type { ColorMode } from '../cli/io.js';

/** Collects a listing and prints it. */
export async function printListing(
  ctx: CliContext,
  listing: Listing,
  opts: { header: string; json?: boolean; color?: ColorMode },
): Promise<void> {
  const names = [...new Set(await listing.all())].sort();
  if (opts.json === true) {
    ctx.json(names);
    return;
  }
  if (!ctx.isTTY) {
    ctx.out(names.map((n) => `${n}\n`).join(''));
    return;
  }
  if (names.length === 0) return;
  const style = ctx.style(opts.color);
  ctx.out(`${style.underline(opts.header)}\n${names.join('\n')}\n`);
}

#!/usr/bin/env node
// Launcher of the `kes` command line.
// - Built (apps/kes/dist/main.js exists): runs the compiled JavaScript.
// - Not built (a checkout after `npm ci`): runs the TypeScript sources through tsx's ESM loader, resolving workspace
//   packages to their sources with the `@kes/source` export condition. No build step needed.
// - A build that cannot be loaded (stale or partial: a missing module or export) falls back to the sources.
// KES_CLI_FROM=source|dist forces one of the two.
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const root = new URL('../', import.meta.url);
const dist = new URL('dist/main.js', root);
const from = process.env.KES_CLI_FROM;

/** True for errors raised while linking the module graph, i.e. before any of the CLI's code ran. */
function isLinkError(err) {
  return err instanceof SyntaxError || err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
}

async function runSources() {
  try {
    const tsx = await import('tsx/esm/api');
    tsx.register();
  } catch (err) {
    process.stderr.write(
      `Error: cannot run kes from its sources: tsx is not installed (${err?.message ?? err}). Run 'npm ci' in the checkout, or build with 'npx nx build kes'\n`,
    );
    process.exit(1);
  }
  // Registered last, so it runs first: adds the `@kes/source` condition, so that `@kes/core` & co. resolve to
  // ./src/index.ts instead of ./dist.
  const conditions = [
    'export async function resolve(specifier, context, next) {',
    "  const conditions = context.conditions.includes('@kes/source') ? context.conditions : ['@kes/source', ...context.conditions];",
    '  return next(specifier, { ...context, conditions });',
    '}',
  ].join('\n');
  register(`data:text/javascript,${encodeURIComponent(conditions)}`);
  await import(new URL('src/main.ts', root).href);
}

if (from === 'dist' || (from !== 'source' && existsSync(dist))) {
  try {
    await import(dist.href);
  } catch (err) {
    if (from === 'dist' || !isLinkError(err)) throw err;
    process.stderr.write(`Warning: the build in ${new URL('dist/', root).pathname} cannot be loaded (${err.message}); running from the sources. Rebuild with 'npx nx build kes'.\n`);
    await runSources();
  }
} else {
  await runSources();
}

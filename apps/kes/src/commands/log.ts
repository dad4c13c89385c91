/**
 * `kes log`: follow the server's audit log (default) or error log live (spec §7.2, §9.1–§9.2).
 */
import type { AuditEvent, ErrorEvent, LogStream } from '@kes/client';
import { Command, Option } from 'commander';
import { withClient } from '../cli/connect.js';
import type { CliContext } from '../cli/context.js';
import { attempt, CliError, failed } from '../cli/errors.js';
import { loadDurations, type Durations } from '../cli/durations.js';
import { formatLatency, padEnd } from '../cli/format.js';
import { colorOption, examples, jsonOption, withClientOptions, type ClientOptionValues } from '../cli/options.js';
import type { Style } from '../cli/style.js';

interface LogOptions extends ClientOptionValues {
  audit?: boolean;
  error?: boolean;
}

const COLUMNS = [8, 6, 8, 15, 32] as const;

function auditHeader(s: Style): string {
  const names = ['Time', 'Status', 'Identity', 'IP', 'API'];
  return names.map((n, i) => s.underline(padEnd(n, COLUMNS[i]!))).join(' ') + ' ' + s.underline('Latency') + '\n';
}

function auditRow(e: AuditEvent, s: Style, d: Durations): string {
  const time = /T(\d{2}:\d{2}:\d{2})/.exec(e.time)?.[1] ?? e.time;
  const code = e.response.code;
  const status = padEnd(String(code), COLUMNS[1]);
  const colored = code >= 500 ? s.red(status) : code >= 400 ? s.yellow(status) : s.green(status);
  return [
    padEnd(time, COLUMNS[0]),
    colored,
    s.faint(padEnd(e.request.identity.slice(0, 7), COLUMNS[2])),
    padEnd(e.request.ip ?? '', COLUMNS[3]),
    padEnd(e.request.path, COLUMNS[4]),
    formatLatency(e.response.time, d),
  ].join(' ') + '\n';
}

async function follow<T>(ctx: CliContext, stream: LogStream<T>, print: (event: T) => void): Promise<void> {
  const onAbort = (): void => stream.close();
  ctx.io.signal.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const event of stream) print(event);
  } catch (err) {
    if (ctx.io.signal.aborted) return;
    throw failed('the log stream broke', err);
  } finally {
    ctx.io.signal.removeEventListener('abort', onAbort);
    stream.close();
  }
  if (!ctx.io.signal.aborted) throw new CliError('the server closed the log stream (restarted or shut down?): run the command again to reconnect');
}

/** The `kes log` command. */
export function logCommand(ctx: CliContext): Command {
  return withClientOptions(new Command('log').description('Follow the audit log (default) or the error log of the server live, until Ctrl-C'))
    .addOption(new Option('--audit', 'show the audit log: one event per request (default)').conflicts('error'))
    .addOption(new Option('--error', 'show the error log'))
    .addOption(jsonOption('each event (newline-delimited JSON)'))
    .addOption(colorOption())
    .addHelpText('after', examples('kes log', 'kes log --error', 'kes log --json | jq .request.path'))
    .action(async (opts: LogOptions) => {
      const json = ctx.printsJson(opts);
      const s = ctx.style(opts.color);
      const d = await loadDurations();
      await withClient(ctx, opts, async (client) => {
        if (opts.error === true) {
          const stream = await attempt('failed to subscribe to the error log', client.errorLog({ signal: ctx.io.signal }));
          await follow<ErrorEvent>(ctx, stream, (e) => (json ? ctx.json({ message: e.message }) : ctx.out(`${e.message}\n`)));
          return;
        }
        const stream = await attempt('failed to subscribe to the audit log', client.auditLog({ signal: ctx.io.signal }));
        if (!json) ctx.out(auditHeader(s));
        await follow<AuditEvent>(ctx, stream, (e) => (json ? ctx.json(e) : ctx.out(auditRow(e, s, d))));
      });
    });
}

/**
 * `kes metric`: scrape the server's metrics periodically — a live view redrawn in place on a terminal, one JSON
 * object per scrape otherwise (spec §7.2, §9.3).
 */
import { metricAverageLatencySeconds, metricRequestCount, metricToJSON, type Metric } from '@kes/client';
import { Command, InvalidArgumentError } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import { withClient } from '../cli/connect.js';
import type { CliContext } from '../cli/context.js';
import { describeError, failed, usageError } from '../cli/errors.js';
import { loadDurations, type Durations } from '../cli/durations.js';
import { formatBytes, formatLatency, formatUptime, padStart } from '../cli/format.js';
import { colorOption, examples, jsonOption, withClientOptions, type ClientOptionValues } from '../cli/options.js';
import type { Style } from '../cli/style.js';

interface MetricOptions extends ClientOptionValues {
  rate: string;
  count?: number;
}

/** `--rate` in ms. @throws CliError (usage) for anything but a Go duration of at least 100ms. */
function parseRate(text: string, d: Durations): number {
  const ns = d.parse(text);
  if (ns === undefined || ns < 100_000_000n) {
    throw usageError(`option '--rate <DURATION>' argument '${text}' is invalid: use a duration of at least 100ms, e.g. 5s or 1m`, 'kes metric');
  }
  return Number(ns / 1_000_000n);
}

function parseCount(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('use a positive whole number');
  return n;
}

function percent(part: number, total: number): string {
  return `${total === 0 ? '0.00' : ((100 * part) / total).toFixed(2)}%`;
}

/** The live table (7 lines). */
export function renderMetric(m: Metric, reqPerSecond: number, s: Style, d: Durations): string {
  const total = metricRequestCount(m);
  const latency = formatLatency(metricAverageLatencySeconds(m) * 1e9, d);
  return [
    s.faint(s.bold('Request       OK [2xx]       Err [4xx]       Err [5xx]       Req/s        Latency')),
    s.green(padStart(String(m.requestOK), 19)) + s.yellow(padStart(String(m.requestErr), 16)) + s.red(padStart(String(m.requestFail), 16)) +
      padStart(reqPerSecond.toFixed(2), 12) + padStart(latency, 15),
    s.green(padStart(percent(m.requestOK, total), 19)) + s.yellow(padStart(percent(m.requestErr, total), 16)) + s.red(padStart(percent(m.requestFail, total), 16)),
    '',
    s.faint(s.bold('System             UpTime            Heap           Stack       CPUs        Threads')),
    padStart(formatUptime(m.uptimeSeconds), 26) + padStart(formatBytes(m.heapAlloc), 16) + padStart(formatBytes(m.stackAlloc), 16) +
      padStart(String(m.usableCpus), 11) + padStart(String(m.threads), 15),
    '',
  ].join('\n') + '\n';
}

/** The `kes metric` command. */
export function metricCommand(ctx: CliContext): Command {
  return withClientOptions(new Command('metric').description('Watch the server metrics live: requests by status, request rate, latency, memory'))
    .option('--rate <DURATION>', 'time between two scrapes, e.g. 5s or 1m', '5s')
    .option('-n, --count <N>', 'stop after N scrapes (default: run until Ctrl-C)', parseCount)
    .addOption(jsonOption('one JSON object per scrape'))
    .addOption(colorOption())
    .addHelpText(
      'after',
      '\nOn a terminal the table is redrawn in place; otherwise each scrape prints one JSON object per line.\n' +
        examples('kes metric', 'kes metric --rate 1s', 'kes metric --count 1 | jq .kes_http_request_success'),
    )
    .action(async (opts: MetricOptions) => {
      const d = await loadDurations();
      const rateMs = parseRate(opts.rate, d);
      const live = ctx.isTTY && opts.json !== true;
      const s = ctx.style(opts.color);
      const signal = ctx.io.signal;
      await withClient(ctx, opts, async (client) => {
        let previous: number | undefined;
        let lines = 0;
        if (live) ctx.out('\u001b[?25l'); // hide the cursor while redrawing
        try {
          for (let scrape = 1; !signal.aborted; scrape++) {
            let text: string;
            try {
              const m = await client.metrics({ signal });
              const n = metricRequestCount(m);
              const rate = previous === undefined ? 0 : Math.max(0, n - previous) / (rateMs / 1000);
              previous = n;
              if (!live) {
                ctx.json(metricToJSON(m));
              }
              text = renderMetric(m, rate, s, d);
            } catch (err) {
              if (signal.aborted) break;
              if (!live) throw failed('failed to fetch metrics', err);
              text = `${s.red('Error:')} failed to fetch metrics: ${describeError(err).message} (retrying)\n`;
            }
            if (live) {
              // Move up over the previous drawing and clear it, then draw again.
              ctx.out((lines > 0 ? `\u001b[${lines}F\u001b[J` : '') + text);
              lines = text.split('\n').length - 1;
            }
            if (opts.count !== undefined && scrape >= opts.count) break;
            await sleep(rateMs, undefined, { signal }).catch(() => undefined);
          }
        } finally {
          if (live) ctx.out('\u001b[?25h');
        }
      });
    });
}

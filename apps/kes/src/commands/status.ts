/**
 * `kes status`: server version, uptime, latency, platform and memory; `--api` lists the server's routes (spec §7.2).
 */
import { apiToJSON, statusToJSON, type ApiInfo } from '@kes/client';
import { Command } from 'commander';
import { withClient } from '../cli/connect.js';
import type { CliContext } from '../cli/context.js';
import { attempt } from '../cli/errors.js';
import { loadDurations, type Durations } from '../cli/durations.js';
import { formatBytes, formatMillis, formatUptime, padEnd } from '../cli/format.js';
import { colorOption, examples, jsonOption, withClientOptions, type ClientOptionValues } from '../cli/options.js';

interface StatusOptions extends ClientOptionValues {
  short?: boolean;
  api?: boolean;
}

function formatTimeout(seconds: number, d: Durations): string {
  return seconds > 0 ? formatMillis(seconds * 1000, d) : 'Inf';
}

/** The `kes status` command. */
export function statusCommand(ctx: CliContext): Command {
  return withClientOptions(new Command('status').description('Show the status of the server (version, uptime, latency, memory)'))
    .option('-s, --short', 'print only the endpoint line (or compact JSON)')
    .option('--api', 'also list the APIs (routes) of the server with their timeouts')
    .addOption(jsonOption('the status (or, with --api, the API list)'))
    .addOption(colorOption())
    .addHelpText('after', examples('kes status', 'kes status --api', 'kes status --json'))
    .action(async (opts: StatusOptions) => {
      const d = await loadDurations();
      await withClient(ctx, opts, async (client) => {
        const signal = { signal: ctx.io.signal };
        const started = performance.now();
        const status = await attempt('failed to get the server status', client.status(signal));
        const latencyMs = performance.now() - started;
        let apis: ApiInfo[] = [];
        if (opts.api === true) {
          apis = await attempt('failed to list the server APIs', client.apis(signal));
        }
        if (ctx.printsJson(opts)) {
          const value = opts.api === true ? apis.map(apiToJSON) : statusToJSON(status);
          ctx.json(value, ctx.isTTY && opts.short !== true);
          return;
        }
        const s = ctx.style(opts.color);
        const label = (text: string): string => s.faint(`  ${padEnd(text, 8)}`);
        const endpoint = (client.endpoints[0] ?? '').replace(/^https:\/\//, '');
        const healthy = !status.keystoreUnreachable && !status.keystoreUnavailable;
        let out = `${healthy ? s.green('●') : s.red('●')} ${s.cyan(endpoint)}\n`;
        if (opts.short !== true) {
          out += `${label('Version')} ${status.version}\n`;
          out += `${label('Uptime')} ${formatUptime(status.uptimeSeconds)}\n`;
          out += `${label('Latency')} ${formatMillis(latencyMs, d)}\n`;
          out += `${label('OS')} ${status.os}\n`;
          out += `${label('CPUs')} ${status.usableCpus} ${status.arch}\n`;
          out += `${s.faint('  Memory')}\n`;
          out += `${s.faint(`  · ${padEnd('Heap', 6)}`)} ${formatBytes(status.heapAlloc)}\n`;
          out += `${s.faint(`  · ${padEnd('Stack', 6)}`)} ${formatBytes(status.stackAlloc)}\n`;
          out += `${label('Keystore')} ${
            healthy
              ? `${formatMillis(status.keystoreLatencyMs ?? 0, d)} latency`
              : s.red(status.keystoreUnreachable ? 'unreachable' : 'unavailable')
          }\n`;
        }
        if (opts.api === true) {
          out += `\n  ${s.underline(padEnd('Method', 7))} ${s.underline(padEnd('API', 28))} ${s.underline('Timeout')}\n`;
          for (const api of [...apis].sort((a, b) => a.path.localeCompare(b.path))) {
            out += `  ${padEnd(api.method, 7)} ${s.blue(padEnd(api.path, 28))} ${formatTimeout(api.timeoutSeconds, d)}\n`;
          }
        }
        ctx.out(out);
      });
    });
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ServerMetrics } from './metrics.js';
import { OpsMetrics } from './ops-metrics.js';

const DASHBOARD = join(import.meta.dirname, '..', '..', '..', '..', 'docs', 'grafana-dashboard.json');

describe('docs/grafana-dashboard.json', () => {
  it('queries only metric families the server registers, and shows every family', () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: { targets?: { expr: string }[] }[] };
    const metrics = new ServerMetrics(performance.now());
    new OpsMetrics(metrics.registry, { cache: () => ({ stats: () => ({ hits: 0, misses: 0, loads: 0, size: 0 }) }), connections: () => 0 });
    const registered = new Set(metrics.registry.getMetricsAsArray().map((m) => m.name));
    const used = new Set<string>();
    for (const panel of dashboard.panels) {
      for (const target of panel.targets ?? []) {
        for (const [name] of target.expr.matchAll(/\bkes_[a-z_]+/g)) used.add(name.replace(/_(bucket|sum|count)$/, ''));
      }
    }
    expect([...used].filter((name) => !registered.has(name))).toEqual([]);
    expect([...registered].filter((name) => !used.has(name)).sort()).toEqual(['kes_system_mem_heap_objects', 'kes_system_mem_stack_used']);
  });
});

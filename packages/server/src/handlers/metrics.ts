/** `GET /v1/metrics` (spec §2.3, §9.3): the Prometheus text exposition of the `kes_*` families. */
import { METRICS_CONTENT_TYPE } from '../metrics/metrics.js';
import type { Handler } from './handler.js';

/** Answers with the current metrics. */
export const metrics: Handler = async (ctx) => ({
  kind: 'raw',
  contentType: METRICS_CONTENT_TYPE,
  body: await ctx.services.metrics.exposition(),
});

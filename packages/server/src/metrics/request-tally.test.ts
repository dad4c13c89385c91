import { AggregatorRegistry, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RESPONSE_TIME_BUCKETS } from './metrics.js';
import { RequestTally, TallyHistogram } from './request-tally.js';

const OBSERVATIONS = [0, 0.004, 0.01, 0.010001, 0.05, 0.2, 0.25, 1, 1.4, 3, 5, 9.99, 10, 11, 600];

/** The same observations in prom-client's Histogram and in a TallyHistogram, each in a registry of its own. */
function both(observations: readonly number[]): { reference: Registry; tallied: Registry } {
  const reference = new Registry();
  const histogram = new Histogram({ name: 'h', help: 'Help.', buckets: RESPONSE_TIME_BUCKETS, registers: [reference] });
  const tallied = new Registry();
  const tally = new RequestTally(RESPONSE_TIME_BUCKETS);
  new TallyHistogram('h', 'Help.', tally, tallied);
  for (const seconds of observations) {
    histogram.observe(seconds);
    tally.started();
    tally.finished(200, seconds);
  }
  return { reference, tallied };
}

describe('TallyHistogram', () => {
  it('is exposed exactly as prom-client exposes a histogram of the same observations', async () => {
    for (const observations of [[], OBSERVATIONS]) {
      const { reference, tallied } = both(observations);
      expect(await tallied.metrics()).toBe(await reference.metrics());
      expect(await tallied.getMetricsAsJSON()).toEqual(await reference.getMetricsAsJSON());
    }
  });

  it('sums across processes as prom-client sums histograms', async () => {
    const { reference, tallied } = both(OBSERVATIONS);
    const twice = async (r: Registry) => {
      const json = await r.getMetricsAsJSON();
      return AggregatorRegistry.aggregate([json, json]).metrics();
    };
    expect(await twice(tallied)).toBe(await twice(reference));
  });
});

describe('RequestTally', () => {
  it('counts requests in flight and answers by status', () => {
    const tally = new RequestTally([1]);
    tally.started();
    tally.started();
    tally.finished(200, 0.5);
    tally.finished(404, 2);
    tally.started();
    expect(tally.active).toBe(1);
    expect([...tally.byStatus]).toEqual([[200, 1], [404, 1]]);
    expect([...tally.buckets]).toEqual([1, 1]);
    expect(tally.count).toBe(2);
    expect(tally.sum).toBe(2.5);
  });
});

/**
 * Latency histograms: HDR histograms of microseconds, summarised in milliseconds. Values are
 * integers inside (HDR needs them); two decimals of a millisecond are kept in the summary.
 */
import { build, type Histogram } from "hdr-histogram-js";

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

export class LatencyHistogram {
  private readonly histogram: Histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 120_000_000, // two minutes; autoResize covers anything beyond
    numberOfSignificantValueDigits: 3,
  });

  get count(): number {
    return this.histogram.totalCount;
  }

  /** Records one latency in milliseconds (fractions kept to the microsecond). */
  record(ms: number): void {
    this.histogram.recordValue(Math.max(0, Math.round(ms * 1000)));
  }

  percentileMs(percentile: number): number {
    return this.count === 0 ? 0 : this.histogram.getValueAtPercentile(percentile) / 1000;
  }

  summary(): LatencySummary {
    return summarize(this);
  }
}

export function summarize(h: Pick<LatencyHistogram, "percentileMs" | "count">): LatencySummary {
  return {
    p50: round2(h.percentileMs(50)),
    p95: round2(h.percentileMs(95)),
    p99: round2(h.percentileMs(99)),
    p999: round2(h.percentileMs(99.9)),
    max: round2(h.percentileMs(100)),
  };
}

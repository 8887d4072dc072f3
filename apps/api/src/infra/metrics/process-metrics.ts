import type { OnModuleDestroy } from '@nestjs/common';
import type { ProcessMetrics as ProcessMetricsDto } from '@orch/contracts';
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

const NS_PER_MS = 1e6;

/**
 * Memory, event-loop lag and the startup report of this process. The lag is sampled by
 * Node itself (a libuv timer every 20 ms), never on a request's path.
 */
export class ProcessMetrics implements OnModuleDestroy {
  private readonly lag: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });
  /** Filled by startServer once the server listens (the same object main.ts logs). */
  startup: Record<string, number> = {};

  constructor() {
    this.lag.enable();
  }

  snapshot(): ProcessMetricsDto {
    const memory = process.memoryUsage();
    const lag = this.lag;
    const ms = (ns: number) => (Number.isFinite(ns) ? Math.round((ns / NS_PER_MS) * 100) / 100 : 0);
    return {
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
      eventLoopLagMs: {
        p50: lag.count > 0 ? ms(lag.percentile(50)) : 0,
        p99: lag.count > 0 ? ms(lag.percentile(99)) : 0,
        max: lag.count > 0 ? ms(lag.max) : 0,
      },
      startup: { ...this.startup },
    };
  }

  onModuleDestroy(): void {
    this.lag.disable();
  }
}

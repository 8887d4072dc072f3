import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DatabaseMetrics } from '@orch/contracts';
import type {
  AfterQueryEvent,
  BeforeQueryEvent,
  DataSource,
  EntitySubscriberInterface,
} from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { currentRequest } from '../http/request-context.js';
import { StatementStats } from '../metrics/statement-stats.js';

const ERROR_THRESHOLD_MS = 1000;

/** The list `record()` fills, in the async context of the work it runs. */
const recording = new AsyncLocalStorage<RecordedStatement[]>();

export interface RecordedStatement {
  sql: string;
  parameters: unknown[];
}

/**
 * Sees every round trip TypeORM makes (queries, BEGIN/COMMIT, raw SQL) through
 * its AfterQuery event, which runs in the caller's async context: so it adds
 * each one to the current request's count and time, keeps per-statement
 * timings, and logs slow statements.
 */
@Injectable()
export class QueryAccounting implements EntitySubscriberInterface, OnModuleInit {
  private readonly logger = new Logger('SlowQuery');
  readonly statements = new StatementStats();
  private total = 0;
  private slow = 0;
  private recorder: RecordedStatement[] | undefined;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.db.subscribers.push(this);
  }

  /** A query runner runs one statement at a time: it keys the start time. */
  private readonly started = new WeakMap<object, number>();

  beforeQuery(event: BeforeQueryEvent): void {
    const now = performance.now();
    this.started.set(event.queryRunner, now);
    const request = currentRequest();
    if (request && request.dbActive++ === 0) request.dbActiveSince = now;
  }

  afterQuery(event: AfterQueryEvent): void {
    // TypeORM's own executionTime has whole-millisecond resolution; keep the microseconds.
    const start = this.started.get(event.queryRunner);
    const ms = start === undefined ? (event.executionTime ?? 0) : performance.now() - start;
    this.total += 1;
    const request = currentRequest();
    if (request) {
      request.queries += 1;
      if (request.dbActive > 0 && --request.dbActive === 0) {
        request.dbMs += performance.now() - request.dbActiveSince;
      }
    }
    this.statements.record(event.query, ms);
    if (this.recorder && (request || recording.getStore() === this.recorder)) {
      this.recorder.push({
        sql: event.query,
        parameters: Array.isArray(event.parameters) ? event.parameters : [],
      });
    }
    if (ms >= this.config.slowQueryMs) {
      this.slow += 1;
      const message = `${ms.toFixed(1)} ms: ${event.query.replace(/\s+/g, ' ').slice(0, 2000)}`;
      if (ms > ERROR_THRESHOLD_MS) this.logger.error(message);
      else this.logger.warn(message);
    }
  }

  /**
   * Records the statements run while `work` runs (for EXPLAIN checks and exact statement
   * lists in tests and tools): those of `work` itself and of every request (the API's HTTP
   * requests `work` sends, work wrapped in runInRequestContext). Background work (the display
   * queue's lease every second, the goal monitor) runs in neither and is left out, so a list
   * cannot depend on whether a poll happened to fall inside the window.
   */
  async record(work: () => Promise<unknown>): Promise<RecordedStatement[]> {
    const recorded: RecordedStatement[] = [];
    this.recorder = recorded;
    try {
      await recording.run(recorded, work);
    } finally {
      this.recorder = undefined;
    }
    return recorded;
  }

  metrics(): DatabaseMetrics {
    const pool = (this.db.driver as unknown as { master?: PgPoolCounters }).master;
    return {
      queries: this.total,
      slowQueries: this.slow,
      slowQueryThresholdMs: this.config.slowQueryMs,
      pool: {
        max: this.config.pool.max,
        total: pool?.totalCount ?? 0,
        idle: pool?.idleCount ?? 0,
        waiting: pool?.waitingCount ?? 0,
      },
      slowestStatements: this.statements.slowest(10),
    };
  }
}

interface PgPoolCounters {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

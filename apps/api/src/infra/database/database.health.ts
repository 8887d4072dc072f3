import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { HealthCheck } from '@orch/contracts';
import type { DataSource } from 'typeorm';

@Injectable()
export class DatabaseHealth {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async check(): Promise<HealthCheck> {
    const started = performance.now();
    try {
      await this.db.query('SELECT 1');
      return { status: 'up', latencyMs: round(performance.now() - started) };
    } catch (error) {
      return { status: 'down', error: error instanceof Error ? error.message : String(error) };
    }
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

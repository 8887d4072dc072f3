import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPTIMIZATION_NAMES } from '@orch/contracts';
import { describe, expect, it } from 'vitest';
import { AppConfig, ConfigError } from './app-config.js';
import { envSchema } from './config.schema.js';

const base = { JWT_SECRET: 'x'.repeat(32) };

describe('AppConfig', () => {
  it('applies the documented defaults', () => {
    const config = AppConfig.from(base);
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.pool).toEqual({
      max: 10,
      connectTimeoutMs: 5000,
      idleTimeoutMs: 30000,
      statementTimeoutMs: 15000,
      idleInTransactionTimeoutMs: 10000,
    });
    expect(config.demo).toMatchObject({
      seed: true,
      email: 'demo@example.com',
      password: 'demo-password',
    });
  });

  it('has the goal monitor on, checking every 1 to 60 minutes, and refuses a maximum below the minimum', () => {
    expect(AppConfig.from(base).goalMonitor).toEqual({
      enabled: true,
      minIntervalMs: 60_000,
      maxIntervalMs: 3_600_000,
      eventDelayMs: 2_000,
      eventCooldownMs: 10_000,
      pollMs: 10_000,
    });
    expect(() =>
      AppConfig.from({
        ...base,
        GOAL_MONITOR_MIN_INTERVAL_MS: '120000',
        GOAL_MONITOR_MAX_INTERVAL_MS: '60000',
      }),
    ).toThrow(/GOAL_MONITOR_MAX_INTERVAL_MS: must be at least GOAL_MONITOR_MIN_INTERVAL_MS/);
    expect(() => AppConfig.from({ ...base, GOAL_MONITOR_POLL_MS: '10' })).toThrow(
      /GOAL_MONITOR_POLL_MS/,
    );
  });

  it('reads OPTIMIZATIONS as all, none, a list to keep, or a list of -name to switch off', () => {
    const on = (value: string) => [
      ...AppConfig.from({ ...base, OPTIMIZATIONS: value }).optimizations,
    ];
    expect(on('all')).toEqual([...OPTIMIZATION_NAMES]);
    expect(on('none')).toEqual([]);
    expect(on('batching, display-cache')).toEqual(['batching', 'display-cache']);
    expect(on('-display-queue')).toEqual(OPTIMIZATION_NAMES.filter((n) => n !== 'display-queue'));
    expect(on('-display-queue,-batching')).toEqual(
      OPTIMIZATION_NAMES.filter((n) => n !== 'display-queue' && n !== 'batching'),
    );
    expect(() => on('batching,-display-queue')).toThrow(/not both/);
    expect(() => on('-warp-drive')).toThrow(/unknown optimization warp-drive/);
  });

  it('names every bad variable and the value it got', () => {
    let error: unknown;
    try {
      AppConfig.from({ ...base, PORT: 'eighty', DB_POOL_MAX: '0', DATABASE_URL: 'mysql://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('PORT');
    expect(message).toContain('"eighty"');
    expect(message).toContain('DB_POOL_MAX');
    expect(message).toContain('DATABASE_URL: must be a postgres:// URL');
    expect((error as ConfigError).problems).toHaveLength(3);
  });

  it('treats an empty DATABASE_URL as unset and refuses production without JWT_SECRET', () => {
    expect(AppConfig.from({ ...base, DATABASE_URL: '' }).databaseUrl).toBeUndefined();
    expect(() => AppConfig.from({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(() => AppConfig.from({ JWT_SECRET: 'short' })).toThrow(
      /JWT_SECRET: must be at least 32/,
    );
  });

  it('.env.example lists exactly the variables the schema reads, with the same defaults', () => {
    const example = readFileSync(join(__dirname, '../../../../../.env.example'), 'utf8');
    const entries = Object.fromEntries(
      example
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        // CACHE_<NAME>_MAX / _TTL_MS belong to the caches the modules declare (caches.spec.ts).
        .filter((line) => !/^CACHE_[A-Z0-9_]+?_(MAX|TTL_MS)=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(Object.keys(entries).sort()).toEqual(Object.keys(envSchema.shape).sort());
    // Each documented value parses to the schema's own default.
    const defaults = envSchema.parse({}) as Record<string, unknown>;
    for (const [name, value] of Object.entries(entries)) {
      const parsed = envSchema.parse({ [name]: value === '' ? undefined : value }) as Record<
        string,
        unknown
      >;
      expect(parsed[name], name).toEqual(defaults[name]);
    }
  });
});

import { OPTIMIZATION_NAMES, type OptimizationName } from '@orch/contracts';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'on' || v === 'yes');
const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/**
 * Every environment variable the API reads, with its default. `.env.example`
 * lists the same set; a test keeps the two in step.
 */
/**
 * `all`, `none`, a comma list of the optimizations to keep on, or a comma list of
 * `-name` to switch off from all (`-display-queue`: everything but the display queue).
 */
const optimizations = z
  .string()
  .default('all')
  .transform((value, ctx): OptimizationName[] => {
    const v = value.trim().toLowerCase();
    if (v === 'all' || v === '') return [...OPTIMIZATION_NAMES];
    if (v === 'none') return [];
    const names = v
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean);
    const excluded = names.filter((n) => n.startsWith('-')).map((n) => n.slice(1));
    if (excluded.length > 0 && excluded.length !== names.length) {
      ctx.addIssue({
        code: 'custom',
        message:
          'list either the optimizations to keep on or, each with a leading -, the ones to switch off; not both',
      });
      return z.NEVER;
    }
    const listed = excluded.length > 0 ? excluded : names;
    const unknown = listed.filter((n) => !(OPTIMIZATION_NAMES as string[]).includes(n));
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown optimization ${unknown.join(', ')}; known: ${OPTIMIZATION_NAMES.join(', ')} (or all, none)`,
      });
      return z.NEVER;
    }
    if (excluded.length > 0) return OPTIMIZATION_NAMES.filter((n) => !excluded.includes(n));
    return names as OptimizationName[];
  });

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(3000),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  /** One JSON line per request (pino) at LOG_LEVEL=log and below; false: none. */
  LOG_REQUESTS: bool.default(true),
  /** Where `npm start` finds the built web app; served at / when it exists. */
  WEB_DIST_DIR: z.string().default('dist/apps/web'),
  BODY_LIMIT_BYTES: int(1024).default(1_048_576),
  SHUTDOWN_TIMEOUT_MS: int(0).default(10_000),
  OPTIMIZATIONS: optimizations,

  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
  ),
  EMBEDDED_PG_DIR: z.string().min(1).default('.data/postgres'),
  EMBEDDED_PG_PORT: int(1, 65535).default(54329),
  DB_POOL_MAX: int(1, 500).default(10),
  DB_CONNECT_TIMEOUT_MS: int(100).default(5_000),
  DB_IDLE_TIMEOUT_MS: int(0).default(30_000),
  DB_STATEMENT_TIMEOUT_MS: int(0).default(15_000),
  DB_IDLE_IN_TX_TIMEOUT_MS: int(0).default(10_000),
  DB_SLOW_QUERY_MS: int(1).default(500),

  REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .optional(),
  ),
  /** Proxies (IPs or CIDRs, comma-separated) whose X-Forwarded-For is believed. */
  TRUST_PROXY: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(
            /^[0-9a-fA-F:.]+(\/\d{1,3})?$/,
            'must list IP addresses or CIDRs, e.g. 10.0.0.0/8,127.0.0.1',
          ),
      ),
    ),
  RATE_LIMIT_MULTIPLIER: z.coerce.number().positive().max(1_000_000).default(1),
  RATE_LIMIT_ANONYMOUS_PER_MIN: int(1).default(20),
  RATE_LIMIT_USER_PER_MIN: int(1).default(100),
  RATE_LIMIT_INGEST_PER_MIN: int(1).default(200),
  RATE_LIMIT_REGENERATE_PER_MIN: int(1).default(10),
  RATE_LIMIT_QUOTA_STATUS_PER_MIN: int(1).default(20),
  RATE_LIMIT_QUOTA_CHECK_PER_MIN: int(1).default(10),
  RATE_LIMIT_QUOTA_USAGE_PER_MIN: int(1).default(15),
  RATE_LIMIT_QUOTA_NOTIFICATIONS_PER_MIN: int(1).default(30),
  RATE_LIMIT_REDIS_FAILURE: z.enum(['local', 'open', 'closed']).default('local'),
  AI_DAILY_QUOTA: int(1).default(500),

  WS_MAX_PER_WORKSPACE: int(1).default(3),
  WS_MAX_TOTAL: int(1).default(50),
  WS_HEARTBEAT_MS: int(50).default(25_000),
  WS_HEARTBEAT_MISSES: int(1, 100).default(2),
  WS_HANDSHAKE_TIMEOUT_MS: int(100).default(10_000),
  WS_MAX_BACKLOG: int(1).default(1_000),
  WS_MESSAGES_PER_MIN: int(1).default(120),
  WS_INSTANCE_TTL_MS: int(1_000).default(15_000),
  GOAL_MONITOR_ENABLED: bool.default(true),
  GOAL_MONITOR_MIN_INTERVAL_MS: int(100, 2_147_483_647).default(60_000),
  GOAL_MONITOR_MAX_INTERVAL_MS: int(100, 2_147_483_647).default(3_600_000),
  GOAL_MONITOR_EVENT_DELAY_MS: int(0, 3_600_000).default(2_000),
  GOAL_MONITOR_EVENT_COOLDOWN_MS: int(0, 3_600_000).default(10_000),
  GOAL_MONITOR_POLL_MS: int(50, 3_600_000).default(10_000),
  DEMO_ACTIVITY: z.enum(['auto', 'on', 'off']).default('auto'),
  DEMO_ACTIVITY_MS: int(200).default(4_000),

  /** Accounts (emails, comma-separated) that may read instance-wide figures and flush caches. */
  OPERATOR_EMAILS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.email('must list email addresses, e.g. ops@example.com,sre@example.com'))),
  /** Bearer token GET /metrics requires; empty: /metrics answers 404. */
  METRICS_TOKEN: optionalString.pipe(
    z.string().min(16, 'must be at least 16 characters').optional(),
  ),

  JWT_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  JWT_TTL_SECONDS: int(60).default(43_200),

  AI_PROVIDER: z.enum(['local', 'openai']).default('local'),
  AI_BASE_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  AI_API_KEY: optionalString,
  AI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  AI_TIMEOUT_MS: int(100).default(30_000),
  AI_MAX_RETRIES: int(0, 10).default(2),
  AI_CONCURRENCY: int(1, 64).default(4),
  AI_LOCAL_COST_MS: int(0).default(300),
  AI_COST_PER_CALL_USD: z.coerce.number().min(0).default(0.002),
  DISPLAY_QUEUE_POLL_MS: int(10).default(1_000),
  DISPLAY_QUEUE_MAX_ATTEMPTS: int(1, 100).default(5),
  DISPLAY_QUEUE_RETRY_BASE_MS: int(1).default(5_000),

  DEMO_SEED: bool.default(true),
  DEMO_EMAIL: z.email().default('demo@example.com'),
  DEMO_PASSWORD: z.string().min(8).default('demo-password'),
  DEMO_NAME: z.string().min(1).default('Demo User'),
});

export type Env = z.infer<typeof envSchema>;

import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { OptimizationName } from '@orch/contracts';
import type { RateLimitTier } from '../throttling/rate-limit.decorators.js';
import { envSchema, type Env } from './config.schema.js';

/** Variables whose values never appear in an error message or log. */
const SECRETS = new Set([
  'DATABASE_URL',
  'REDIS_URL',
  'JWT_SECRET',
  'DEMO_PASSWORD',
  'AI_API_KEY',
  'METRICS_TOKEN',
]);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface DatabasePoolConfig {
  max: number;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

/**
 * The one place that reads the environment. Built once at boot; an invalid
 * value stops start-up with a message that names the variable.
 */
export class AppConfig {
  readonly nodeEnv: Env['NODE_ENV'];
  readonly host: string;
  readonly port: number;
  readonly logLevel: Env['LOG_LEVEL'];
  readonly logRequests: boolean;
  readonly webDistDir: string;
  readonly bodyLimitBytes: number;
  readonly shutdownTimeoutMs: number;
  /** Undefined: start the embedded Postgres. */
  readonly databaseUrl: string | undefined;
  readonly embeddedPg: { dir: string; port: number };
  readonly pool: DatabasePoolConfig;
  readonly slowQueryMs: number;
  readonly optimizations: ReadonlySet<OptimizationName>;
  readonly jwt: { secret: string; ttlSeconds: number; secretSource: 'env' | 'file' };
  readonly redisUrl: string | undefined;
  readonly trustProxy: string[];
  readonly rateLimits: {
    multiplier: number;
    perMinute: Record<RateLimitTier, number>;
    redisFailure: Env['RATE_LIMIT_REDIS_FAILURE'];
  };
  readonly aiDailyQuota: number;
  /**
   * CACHE_<NAME>_MAX and CACHE_<NAME>_TTL_MS, by prefix (`CACHE_<NAME>_`): overrides of the
   * defaults each module declares for its caches. The cache service refuses a name nobody declared.
   */
  readonly cacheSettings: ReadonlyMap<string, { maxEntries?: number; ttlMs?: number }>;
  readonly realtime: {
    maxPerWorkspace: number;
    maxTotal: number;
    heartbeatMs: number;
    heartbeatMisses: number;
    handshakeTimeoutMs: number;
    maxBacklog: number;
    messagesPerMinute: number;
    instanceTtlMs: number;
  };
  readonly ai: {
    provider: Env['AI_PROVIDER'];
    baseUrl: string | undefined;
    apiKey: string | undefined;
    model: string;
    timeoutMs: number;
    maxRetries: number;
    concurrency: number;
    localCostMs: number;
    costPerCallUsd: number;
  };
  /** docs/display-content.md: the queue that makes display content behind the read path. */
  readonly displayQueue: {
    /** How often an idle worker looks for due jobs (writes on this instance wake it at once). */
    pollMs: number;
    /** Failed attempts before a job waits for the next write of its deliverable. */
    maxAttempts: number;
    /** The wait after the first failed attempt, doubled after each further one (max 10 min). */
    retryBaseMs: number;
  };
  /** docs/goal-monitor.md; the 20-minute baseline cycle is not configurable. */
  readonly goalMonitor: {
    enabled: boolean;
    minIntervalMs: number;
    maxIntervalMs: number;
    eventDelayMs: number;
    eventCooldownMs: number;
    pollMs: number;
  };
  /**
   * Emails of the operators: OPERATOR_EMAILS, and the demo user when it is seeded.
   * They read instance-wide figures and flush caches (docs/observability.md).
   */
  readonly operatorEmails: ReadonlySet<string>;
  /** GET /metrics answers only `Authorization: Bearer <this>`; undefined: not served. */
  readonly metricsToken: string | undefined;
  readonly demo: {
    seed: boolean;
    email: string;
    password: string;
    name: string;
    /** The activity simulator: on by default only in the embedded demo. */
    activity: boolean;
    activityMs: number;
  };

  private constructor(
    env: Env,
    jwtSecret: { secret: string; source: 'env' | 'file' },
    cacheSettings: ReadonlyMap<string, { maxEntries?: number; ttlMs?: number }>,
  ) {
    this.cacheSettings = cacheSettings;
    this.nodeEnv = env.NODE_ENV;
    this.host = env.HOST;
    this.port = env.PORT;
    this.logLevel = env.LOG_LEVEL;
    this.logRequests = env.LOG_REQUESTS;
    this.webDistDir = resolve(env.WEB_DIST_DIR);
    this.bodyLimitBytes = env.BODY_LIMIT_BYTES;
    this.shutdownTimeoutMs = env.SHUTDOWN_TIMEOUT_MS;
    this.databaseUrl = env.DATABASE_URL;
    this.embeddedPg = { dir: resolve(env.EMBEDDED_PG_DIR), port: env.EMBEDDED_PG_PORT };
    this.pool = {
      max: env.DB_POOL_MAX,
      connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
      idleTimeoutMs: env.DB_IDLE_TIMEOUT_MS,
      statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
      idleInTransactionTimeoutMs: env.DB_IDLE_IN_TX_TIMEOUT_MS,
    };
    this.slowQueryMs = env.DB_SLOW_QUERY_MS;
    this.optimizations = new Set(env.OPTIMIZATIONS);
    this.jwt = {
      secret: jwtSecret.secret,
      ttlSeconds: env.JWT_TTL_SECONDS,
      secretSource: jwtSecret.source,
    };
    this.redisUrl = env.REDIS_URL;
    this.trustProxy = env.TRUST_PROXY;
    const m = env.RATE_LIMIT_MULTIPLIER;
    const scaled = (n: number) => Math.max(1, Math.ceil(n * m));
    this.rateLimits = {
      multiplier: m,
      redisFailure: env.RATE_LIMIT_REDIS_FAILURE,
      perMinute: {
        anonymous: scaled(env.RATE_LIMIT_ANONYMOUS_PER_MIN),
        user: scaled(env.RATE_LIMIT_USER_PER_MIN),
        ingest: scaled(env.RATE_LIMIT_INGEST_PER_MIN),
        regenerate: scaled(env.RATE_LIMIT_REGENERATE_PER_MIN),
        'quota-status': scaled(env.RATE_LIMIT_QUOTA_STATUS_PER_MIN),
        'quota-check': scaled(env.RATE_LIMIT_QUOTA_CHECK_PER_MIN),
        'quota-usage': scaled(env.RATE_LIMIT_QUOTA_USAGE_PER_MIN),
        'quota-notifications': scaled(env.RATE_LIMIT_QUOTA_NOTIFICATIONS_PER_MIN),
      },
    };
    this.aiDailyQuota = env.AI_DAILY_QUOTA;
    this.realtime = {
      maxPerWorkspace: env.WS_MAX_PER_WORKSPACE,
      maxTotal: env.WS_MAX_TOTAL,
      heartbeatMs: env.WS_HEARTBEAT_MS,
      heartbeatMisses: env.WS_HEARTBEAT_MISSES,
      handshakeTimeoutMs: env.WS_HANDSHAKE_TIMEOUT_MS,
      maxBacklog: env.WS_MAX_BACKLOG,
      messagesPerMinute: env.WS_MESSAGES_PER_MIN,
      instanceTtlMs: env.WS_INSTANCE_TTL_MS,
    };
    this.ai = {
      provider: env.AI_PROVIDER,
      baseUrl: env.AI_BASE_URL?.replace(/\/+$/, ''),
      apiKey: env.AI_API_KEY,
      model: env.AI_MODEL,
      timeoutMs: env.AI_TIMEOUT_MS,
      maxRetries: env.AI_MAX_RETRIES,
      concurrency: env.AI_CONCURRENCY,
      localCostMs: env.AI_LOCAL_COST_MS,
      costPerCallUsd: env.AI_COST_PER_CALL_USD,
    };
    this.displayQueue = {
      pollMs: env.DISPLAY_QUEUE_POLL_MS,
      maxAttempts: env.DISPLAY_QUEUE_MAX_ATTEMPTS,
      retryBaseMs: env.DISPLAY_QUEUE_RETRY_BASE_MS,
    };
    this.goalMonitor = {
      enabled: env.GOAL_MONITOR_ENABLED,
      minIntervalMs: env.GOAL_MONITOR_MIN_INTERVAL_MS,
      maxIntervalMs: env.GOAL_MONITOR_MAX_INTERVAL_MS,
      eventDelayMs: env.GOAL_MONITOR_EVENT_DELAY_MS,
      eventCooldownMs: env.GOAL_MONITOR_EVENT_COOLDOWN_MS,
      pollMs: env.GOAL_MONITOR_POLL_MS,
    };
    this.operatorEmails = new Set([
      ...env.OPERATOR_EMAILS,
      ...(env.DEMO_SEED ? [env.DEMO_EMAIL.toLowerCase()] : []),
    ]);
    this.metricsToken = env.METRICS_TOKEN;
    this.demo = {
      seed: env.DEMO_SEED,
      email: env.DEMO_EMAIL.toLowerCase(),
      password: env.DEMO_PASSWORD,
      name: env.DEMO_NAME,
      activity:
        env.DEMO_ACTIVITY === 'on' ||
        (env.DEMO_ACTIVITY === 'auto' &&
          env.DEMO_SEED &&
          !env.DATABASE_URL &&
          env.NODE_ENV !== 'test'),
      activityMs: env.DEMO_ACTIVITY_MS,
    };
  }

  /** Parses and validates; throws ConfigError naming every bad variable. */
  static from(source: Record<string, string | undefined>): AppConfig {
    const parsed = envSchema.safeParse(source);
    const caches = cacheSettingsFrom(source);
    if (!parsed.success || caches.problems.length > 0) {
      throw new ConfigError([
        ...(parsed.error?.issues ?? []).map((issue) => {
          const name = issue.path.join('.');
          const value = source[name];
          const shown =
            value === undefined || SECRETS.has(name) ? '' : ` (got ${JSON.stringify(value)})`;
          return `${name}: ${issue.message}${shown}`;
        }),
        ...caches.problems,
      ]);
    }
    const env = parsed.data;
    if (env.AI_PROVIDER === 'openai' && !env.AI_BASE_URL) {
      throw new ConfigError([
        'AI_BASE_URL: required when AI_PROVIDER=openai (e.g. http://host:port/v1)',
      ]);
    }
    if (env.GOAL_MONITOR_MAX_INTERVAL_MS < env.GOAL_MONITOR_MIN_INTERVAL_MS) {
      throw new ConfigError([
        `GOAL_MONITOR_MAX_INTERVAL_MS: must be at least GOAL_MONITOR_MIN_INTERVAL_MS (${env.GOAL_MONITOR_MIN_INTERVAL_MS}) (got ${env.GOAL_MONITOR_MAX_INTERVAL_MS})`,
      ]);
    }
    if (!env.JWT_SECRET && env.NODE_ENV === 'production') {
      throw new ConfigError(['JWT_SECRET: required when NODE_ENV=production (32+ characters)']);
    }
    const jwtSecret = env.JWT_SECRET
      ? { secret: env.JWT_SECRET, source: 'env' as const }
      : {
          secret: localJwtSecret(resolve(dirname(resolve(env.EMBEDDED_PG_DIR)), 'jwt-secret')),
          source: 'file' as const,
        };
    return new AppConfig(env, jwtSecret, caches.settings);
  }

  static fromProcessEnv(): AppConfig {
    return AppConfig.from(process.env);
  }
}

const CACHE_SETTING = /^(CACHE_[A-Z0-9_]+?_)(MAX|TTL_MS)$/;

/** CACHE_<NAME>_MAX / CACHE_<NAME>_TTL_MS: positive integers, grouped by cache prefix. */
function cacheSettingsFrom(source: Record<string, string | undefined>): {
  settings: Map<string, { maxEntries?: number; ttlMs?: number }>;
  problems: string[];
} {
  const settings = new Map<string, { maxEntries?: number; ttlMs?: number }>();
  const problems: string[] = [];
  for (const [name, raw] of Object.entries(source)) {
    const match = CACHE_SETTING.exec(name);
    if (!match || raw === undefined || raw.trim() === '') continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) {
      problems.push(`${name}: must be a whole number of at least 1 (got ${JSON.stringify(raw)})`);
      continue;
    }
    const [, prefix, kind] = match;
    const entry = settings.get(prefix!) ?? {};
    if (kind === 'MAX') entry.maxEntries = value;
    else entry.ttlMs = value;
    settings.set(prefix!, entry);
  }
  return { settings, problems };
}

/**
 * Without JWT_SECRET (a local run), tokens are signed with a random secret kept
 * beside the embedded database, so logins survive a restart. Several instances
 * must share JWT_SECRET instead.
 */
function localJwtSecret(file: string): string {
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch {
    // not there yet
  }
  const secret = randomBytes(32).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

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
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(3000),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  /** Where `npm start` finds the built web app; served at / when it exists. */
  WEB_DIST_DIR: z.string().default('dist/apps/web'),
  BODY_LIMIT_BYTES: int(1024).default(1_048_576),
  SHUTDOWN_TIMEOUT_MS: int(0).default(10_000),

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

  JWT_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  JWT_TTL_SECONDS: int(60).default(43_200),

  DEMO_SEED: bool.default(true),
  DEMO_EMAIL: z.email().default('demo@example.com'),
  DEMO_PASSWORD: z.string().min(8).default('demo-password'),
  DEMO_NAME: z.string().min(1).default('Demo User'),
});

export type Env = z.infer<typeof envSchema>;

import 'reflect-metadata';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnyCacheDeclaration } from './infra/cache/cache-declaration.js';
import { cacheEnvPrefix } from './infra/cache/cache-declaration.js';
import { AppConfig, ConfigError } from './infra/config/app-config.js';

/** Every `<module>.cache.ts` under modules/, and the caches (not tags) each exports. */
async function declaredCaches(): Promise<AnyCacheDeclaration[]> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.cache.ts')) files.push(path);
    }
  };
  walk(join(__dirname, 'modules'));
  const caches: AnyCacheDeclaration[] = [];
  for (const file of files) {
    const exported = (await import(file)) as Record<string, unknown>;
    for (const value of Object.values(exported)) {
      if (value && typeof value === 'object' && 'optimization' in value && 'key' in value) {
        caches.push(value as AnyCacheDeclaration);
      }
    }
  }
  return caches;
}

describe('the caches the modules declare', () => {
  it('have unique names and are documented in .env.example with their declared defaults', async () => {
    const caches = await declaredCaches();
    expect(caches.map((c) => c.name).sort()).toEqual([
      'agents',
      'dashboard',
      'membership',
      'quota',
      'workspace',
    ]);
    const example = readFileSync(join(__dirname, '../../../.env.example'), 'utf8');
    const documented = Object.fromEntries(
      example
        .split('\n')
        .filter((line) => /^CACHE_[A-Z0-9_]+=/.test(line))
        .map((line) => [
          line.slice(0, line.indexOf('=')),
          Number(line.slice(line.indexOf('=') + 1)),
        ]),
    );
    const declared = Object.fromEntries(
      caches.flatMap((c) => [
        [`${cacheEnvPrefix(c.name)}MAX`, c.defaults.maxEntries],
        [`${cacheEnvPrefix(c.name)}TTL_MS`, c.defaults.ttlMs],
      ]),
    );
    expect(documented).toEqual(declared);
  });

  it('settings are positive whole numbers, refused at boot naming the variable', () => {
    const base = {
      NODE_ENV: 'test',
      JWT_SECRET: 'unit-test-secret-that-is-at-least-32-characters',
    };
    const config = AppConfig.from({ ...base, CACHE_AGENTS_MAX: '7', CACHE_AGENTS_TTL_MS: '900' });
    expect(config.cacheSettings.get('CACHE_AGENTS_')).toEqual({ maxEntries: 7, ttlMs: 900 });
    let error: unknown;
    try {
      AppConfig.from({ ...base, CACHE_AGENTS_MAX: '0', CACHE_DASHBOARD_TTL_MS: 'soon' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'CACHE_AGENTS_MAX: must be a whole number of at least 1 (got "0")',
      'CACHE_DASHBOARD_TTL_MS: must be a whole number of at least 1 (got "soon")',
    ]);
  });
});

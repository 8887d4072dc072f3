import { Ajv, type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../support/spawn-api.js';

/**
 * The deployment files, checked without Docker (this machine has none): docker-compose.yml
 * against the Compose Specification's JSON schema (the `dclint` package ships it, so the check
 * needs no network), and the images' Node against the supported LTS lines while
 * the code keeps running on Node 20.19+.
 */

/**
 * The Compose Specification's schema as dclint (docker-compose-linter) ships it, kept current
 * with the spec: `models`, `gw_priority`, `name`, ... Its exports do not list the file, so it is
 * found beside the package's own package.json.
 */
const require = createRequire(__filename);
const SCHEMA_FILE = join(
  dirname(require.resolve('dclint/package.json')),
  'schemas/compose.schema.json',
);
const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
// It names its draft https://json-schema.org/draft-07/schema, which Ajv knows as http://...#:
// drop the pointer (as dclint does), Ajv's default draft is 07.
delete schema.$schema;

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  // Draft-07; union types (`type: ['string', 'number']`) throughout: as dclint compiles it.
  compiled ??= new Ajv({ strict: false, allErrors: true, allowUnionTypes: true }).compile(schema);
  return compiled;
}

const read = (file: string) => readFileSync(join(repoRoot, file), 'utf8');

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', () => {
    const validate = validator();
    const compose = parse(read('docker-compose.yml')) as Record<string, unknown>;
    const valid = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
    // What the multi-instance deployment relies on.
    expect(compose).toMatchObject({
      services: {
        api: { deploy: { replicas: 2 }, init: true, stop_grace_period: '20s' },
        web: { depends_on: { api: { condition: 'service_healthy' } } },
      },
    });
  });

  it('the schema rejects what Compose would: the check can fail', () => {
    const validate = validator();
    const compose = parse(read('docker-compose.yml')) as {
      services: Record<string, Record<string, unknown>>;
    };
    const broken = structuredClone(compose);
    broken.services.api.deploy = { replicas: { count: 2 } };
    broken.services.web.restrat = 'always';
    expect(validate(broken)).toBe(false);
    const paths = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join('\n');
    expect(paths).toMatch(/\/services\/api\/deploy\/replicas/);
    expect(paths).toMatch(/\/services\/web must NOT have additional properties/);
  });
});

describe('the images’ Node', () => {
  /** Node release lines in long-term support on this repository's date (Node 20 ended 2026-04-30). */
  const SUPPORTED_LTS = [22, 24];

  it('builds the images on a supported Node LTS', () => {
    const image = /^ARG NODE_IMAGE=node:(\d+)-[\w-]+$/m.exec(read('Dockerfile'));
    expect(image, 'ARG NODE_IMAGE=node:<major>-<variant> in the Dockerfile').not.toBeNull();
    expect(SUPPORTED_LTS).toContain(Number(image?.[1]));
    expect(read('docs/deployment.md')).toContain(`node:${image?.[1]}-`);
  });

  it('keeps the code running on Node 20.19+ (what this machine has)', () => {
    const pkg = JSON.parse(read('package.json')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe('>=20.19.0');
    const [major, minor] = process.versions.node.split('.').map(Number);
    expect(major > 20 || (major === 20 && minor >= 19)).toBe(true);
  });
});

import type { OpenAPIObject } from '@nestjs/swagger';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factory, type TestUser } from '../support/factories.js';
import {
  contentTypes,
  hostileJsonText,
  hostilePathSegment,
  hostileScalar,
  hostileValue,
  type Schema,
  validValue,
} from '../support/hostile-input.js';
import { JSON_DEPTH_MAX } from '../../src/infra/http/request-limits.js';
import { OPENAPI_PATH } from '../support/openapi-conformance.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Hostile input generated from the served OpenAPI document, for every operation: path ids,
 * query strings and bodies derived from its schemas and mutated (hostile-input.ts). Every
 * answer must be below 500; the test ApiClient checks that its status is documented for the
 * operation and its body is the documented one (the error format for every 4xx); a 4xx must
 * leave every table's row count as it was.
 *
 * Bounded for CI: HOSTILE_RUNS cases (default 20) or HOSTILE_MS milliseconds (default 1200)
 * per operation, whichever ends first. A longer run:
 *   HOSTILE_RUNS=2000 HOSTILE_MS=60000 npx vitest run --project api apps/api/test/integration/hostile-input.spec.ts
 * HOSTILE_SEED replays a reported seed.
 */
const RUNS = Number(process.env.HOSTILE_RUNS ?? 20);
const MS_PER_OPERATION = Number(process.env.HOSTILE_MS ?? 1200);
const SEED = process.env.HOSTILE_SEED === undefined ? undefined : Number(process.env.HOSTILE_SEED);

type Method = 'get' | 'post' | 'patch' | 'delete';
interface Operation {
  method: Method;
  path: string;
  parameters: { name: string; in: string; schema?: Schema }[];
  body?: Schema;
}
interface Request {
  url: string;
  token: string | undefined;
  body?: string;
  contentType?: string;
}

const safeEncode = (value: unknown): string => {
  try {
    return encodeURIComponent(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
  } catch {
    return '%ED%A0%80'; // a lone surrogate, as raw UTF-8 bytes
  }
};

describe('hostile input generated from the contract', () => {
  let t: TestApp;
  let doc: OpenAPIObject;
  let owner: TestUser;
  let stranger: TestUser;
  let tables: string[];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    // Without the display queue: its workers write in the background (jobs, ai_usage), which
    // would move the row counts this spec compares around each refused request.
    t = await startTestApp({ env: { OPTIMIZATIONS: '-display-queue' } });
    doc = (await (await fetch(`${t.baseUrl}${OPENAPI_PATH}`)).json()) as OpenAPIObject;
    const f = factory(t.api);
    [owner, stranger] = [await f.user(), await f.user()];
    const workspace = await f.workspace(owner);
    const agent = await f.agent(owner, workspace.id);
    ids.workspaces = workspace.id;
    ids.agents = agent.id;
    ids.deliverables = (await f.deliverable(owner, workspace.id, { agentId: agent.id })).id;
    ids.thinking = (await f.process(owner, workspace.id, agent.id)).id;
    ids.goals = (await f.goal(owner, workspace.id)).id;
    ids.others = (await f.workspace(stranger)).id;
    const rows = await t.db.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    tables = rows.map((r) => r.table_name);
  });
  afterAll(() => t.close());

  const resolve = (ref: string): Schema =>
    (doc.components!.schemas as Record<string, Schema>)[ref.split('/').pop()!]!;

  const rowCounts = async (): Promise<Record<string, number>> => {
    const [counts] = await t.db.query<Record<string, number>[]>(
      `SELECT ${tables.map((name) => `(SELECT count(*) FROM "${name}")::int AS "${name}"`).join(', ')}`,
    );
    return counts!;
  };

  const operations = (): Operation[] =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      (['get', 'post', 'patch', 'delete'] as const).flatMap((method) => {
        const op = item[method];
        if (!op) return [];
        const content = op.requestBody && 'content' in op.requestBody ? op.requestBody.content : {};
        return [
          {
            method,
            path,
            parameters: (op.parameters ?? []) as Operation['parameters'],
            body: content['application/json']?.schema as Schema | undefined,
          },
        ];
      }),
    );

  /** A path id: the fixture of the right kind (never for DELETE), or something hostile. */
  const pathArbitrary = (op: Operation): fc.Arbitrary<string> => {
    const segments = op.path.split('/');
    const parts = segments.map((segment, i) => {
      if (!segment.startsWith('{')) return fc.constant(segment);
      const own = ids[segments[i - 1]!];
      const choices = [hostilePathSegment, fc.constant(ids.others!)];
      if (own && op.method !== 'delete')
        choices.push(fc.constant(own), fc.constant(own.toUpperCase()));
      return fc.oneof(...choices);
    });
    return fc.tuple(...parts).map((p) => p.join('/'));
  };

  const queryArbitrary = (op: Operation): fc.Arbitrary<string> => {
    const params = op.parameters.filter((p) => p.in === 'query');
    const one = params.map((p) =>
      fc.option(
        fc
          .oneof(
            p.name === 'workspaceId'
              ? fc.constant(ids.workspaces!)
              : validValue(p.schema ?? {}, resolve),
            hostileScalar,
          )
          .map((v) => `${p.name}=${safeEncode(v)}`),
        { nil: undefined },
      ),
    );
    const extra = fc.constantFrom(
      '',
      '',
      'limit=1&limit=2',
      'limit[]=5',
      'unknown=1',
      'cursor=%00',
    );
    return fc.tuple(fc.tuple(...one), extra).map(([parts, more]) => {
      const all = [...parts.filter((x): x is string => x !== undefined), more].filter(Boolean);
      return all.length > 0 ? `?${all.join('&')}` : '';
    });
  };

  const requestArbitrary = (op: Operation): fc.Arbitrary<Request> => {
    const token = fc.constantFrom<string | undefined>(
      owner.token,
      owner.token,
      owner.token,
      stranger.token,
      undefined,
      'garbage',
    );
    const body = op.body
      ? fc.oneof(
          {
            weight: 3,
            arbitrary: hostileValue(op.body, resolve).map((v) => JSON.stringify(v) ?? 'null'),
          },
          { weight: 1, arbitrary: validValue(op.body, resolve).map((v) => JSON.stringify(v)) },
          { weight: 1, arbitrary: hostileJsonText },
        )
      : fc.constant(undefined);
    return fc
      .tuple(pathArbitrary(op), queryArbitrary(op), token, body, contentTypes)
      .map(([path, query, tokenValue, text, contentType]) => ({
        url: `${path}${query}`,
        token: tokenValue,
        ...(text === undefined ? {} : { body: text, contentType }),
      }));
  };

  it(
    'never answers 5xx, always in the documented format, and writes nothing on a 4xx',
    async () => {
      const ops = operations();
      expect(ops).toHaveLength(39);
      const failures: string[] = [];
      let requests = 0;
      for (const op of ops) {
        const name = `${op.method.toUpperCase()} ${op.path}`;
        const result = await fc.check(
          fc.asyncProperty(requestArbitrary(op), async (req) => {
            requests++;
            const before = await rowCounts();
            const res = await t.api.request(op.method.toUpperCase(), req.url, {
              token: req.token,
              ...(req.body === undefined
                ? {}
                : {
                    body: req.body,
                    headers: { 'content-type': req.contentType ?? 'application/json' },
                  }),
            });
            expect(res.status, res.text.slice(0, 300)).toBeLessThan(500);
            if (res.status >= 400) expect(await rowCounts()).toEqual(before);
          }),
          {
            numRuns: RUNS,
            interruptAfterTimeLimit: MS_PER_OPERATION,
            markInterruptAsFailure: false,
            endOnFailure: true,
            ...(SEED === undefined ? {} : { seed: SEED }),
          },
        );
        if (result.failed) {
          const example = JSON.stringify(result.counterexample?.[0]).slice(0, 400);
          failures.push(
            `${name} (seed ${result.seed}): ${example}\n  ${String(result.errorInstance).slice(0, 600)}`,
          );
        }
      }
      expect(failures, failures.join('\n')).toEqual([]);
      expect(requests).toBeGreaterThanOrEqual(39);
    },
    39 * MS_PER_OPERATION + 120_000,
  );

  describe('explicit limits (docs/api.md)', () => {
    const deep = (levels: number) => '{"a":'.repeat(levels - 1) + '{}' + '}'.repeat(levels - 1);

    it(`refuses a body nested deeper than ${JSON_DEPTH_MAX} levels with 400, and writes nothing`, async () => {
      const before = await rowCounts();
      const url = `/api/workspaces/${ids.workspaces}/agents`;
      const headers = { 'content-type': 'application/json' };
      const tooDeep = await t.api.post(url, deep(JSON_DEPTH_MAX + 1), {
        token: owner.token,
        headers,
      });
      expect(tooDeep.status, tooDeep.text).toBe(400);
      expect(tooDeep.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [
          { field: 'body', messages: [expect.stringContaining(`${JSON_DEPTH_MAX} levels`)] },
        ],
      });
      // At the limit the body is judged on its fields instead (`a` is not one).
      const atLimit = await t.api.post(url, deep(JSON_DEPTH_MAX), { token: owner.token, headers });
      expect(atLimit.status, atLimit.text).toBe(400);
      expect(JSON.stringify(atLimit.body)).not.toContain('levels');
      expect(await rowCounts()).toEqual(before);
    });

    it('answers a body over BODY_LIMIT_BYTES with 413 and a non-JSON body with 415', async () => {
      const url = `/api/workspaces/${ids.workspaces}/deliverables`;
      const big = JSON.stringify({ title: 't', content: 'x'.repeat(1_048_577) });
      const tooBig = await t.api.post(url, big, { token: owner.token });
      expect(tooBig.status, tooBig.text.slice(0, 200)).toBe(413);
      const text = await t.api.post(url, 'title=t', {
        token: owner.token,
        headers: { 'content-type': 'text/csv' },
      });
      expect(text.status, text.text).toBe(415);
    });

    it('answers a malformed URL with 404 and an over-long request line with 431, both in the error format', async () => {
      const bad = await t.api.get('/api/workspaces/%ED%A0%80', { token: owner.token });
      expect(bad.status).toBe(404);
      expect(bad.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
      const long = await t.api.get(`/api/workspaces?cursor=${'c'.repeat(20_000)}`, {
        token: owner.token,
      });
      expect(long.status).toBe(431);
      expect(long.body).toEqual({
        statusCode: 431,
        error: 'Request Header Fields Too Large',
        message: 'The request line and headers are larger than 16 KiB',
        code: 'VALIDATION_FAILED',
      });
    });
  });
});

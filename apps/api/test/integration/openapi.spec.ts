import type { OpenAPIObject } from '@nestjs/swagger';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RouteAudit } from '../../src/modules/auth/route-audit.js';
import { OPENAPI_PATH, OpenApiConformance } from '../support/openapi-conformance.js';
import { factory } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;
type Schema = Record<string, unknown>;

/** The resources a reader of the docs meets first: each must come with a full example. */
const MAIN_RESOURCES = [
  'AuthResponse',
  'Workspace',
  'WorkspaceForUser',
  'Agent',
  'AgentLite',
  'DisplayedDeliverable',
  'Goal',
  'ThinkingProcess',
  'ThinkingStep',
  'WorkspaceMember',
  'Dashboard',
  'QuotaStatus',
  'ErrorResponse',
];

describe('the served OpenAPI document', () => {
  let t: TestApp;
  let doc: OpenAPIObject;
  let operations: { key: string; op: Operation }[];

  beforeAll(async () => {
    t = await startTestApp();
    const res = await fetch(`${t.baseUrl}${OPENAPI_PATH}`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as OpenAPIObject;
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      (['get', 'post', 'patch', 'put', 'delete'] as const).flatMap((m) =>
        item[m] ? [{ key: `${m.toUpperCase()} ${path}`, op: item[m] }] : [],
      ),
    );
  });
  afterAll(() => t.close());

  it('is a valid OpenAPI 3 document', async () => {
    const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toMatch(/^3\./);
  });

  it('has an operation for every route the app registers', () => {
    const routes = t.app
      .get(RouteAudit)
      .routes()
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
      .sort();
    expect(operations.map((o) => o.key).sort()).toEqual(routes);
    expect(routes.length).toBe(39);
  });

  it('documents a success body for every operation (204 alone has none)', () => {
    const missing = operations.flatMap(({ key, op }) => {
      const success = Object.entries(op.responses).filter(([s]) => /^2/.test(s));
      if (success.length === 0) return [`${key}: no 2xx`];
      return success.flatMap(([status, r]) =>
        status === '204' || (r && 'content' in r && r.content?.['application/json']?.schema)
          ? []
          : [`${key} ${status}: no schema`],
      );
    });
    expect(missing).toEqual([]);
  });

  it('gives every error answer the one ErrorResponse schema', () => {
    const wrong = operations.flatMap(({ key, op }) =>
      Object.entries(op.responses)
        .filter(([s]) => /^[45]/.test(s) && !(key === 'GET /api/health' && s === '503'))
        .flatMap(([status, r]) => {
          const schema = r && 'content' in r ? r.content?.['application/json']?.schema : undefined;
          return schema && '$ref' in schema && schema.$ref === '#/components/schemas/ErrorResponse'
            ? []
            : [`${key} ${status}`];
        }),
    );
    expect(wrong).toEqual([]);
    // Every limited operation can answer 429; every operation with a body 400, 413 and 415.
    for (const { key, op } of operations) {
      if (key !== 'GET /api/health') expect(op.responses, key).toHaveProperty('429');
      if (op.requestBody)
        for (const s of ['400', '413', '415']) expect(op.responses, key).toHaveProperty(s);
      if (op.security) expect(op.responses, key).toHaveProperty('401');
    }
  });

  it('gives the main resources examples that match their own schemas', () => {
    const conformance = new OpenApiConformance(doc);
    const schemas = doc.components!.schemas as Record<string, Schema>;
    const exampleOf = (schema: Schema): unknown => {
      if (typeof schema.$ref === 'string')
        return exampleOf(schemas[schema.$ref.split('/').pop()!]!);
      if (Array.isArray(schema.allOf)) return exampleOf(schema.allOf[0] as Schema);
      if ('example' in schema) return schema.example;
      if (schema.type === 'array') return [exampleOf(schema.items as Schema)];
      if (schema.properties) {
        return Object.fromEntries(
          Object.entries(schema.properties as Record<string, Schema>).map(([k, v]) => [
            k,
            exampleOf(v),
          ]),
        );
      }
      if (Array.isArray(schema.enum)) return schema.enum[0];
      return undefined;
    };
    for (const name of MAIN_RESOURCES) {
      const example = exampleOf({ $ref: `#/components/schemas/${name}` });
      expect(conformance.validateSchema(name, example), name).toEqual([]);
    }
  });

  describe('conformance check (the hook every integration test runs through)', () => {
    it('passes real answers and fails an added, renamed or missing field or an undocumented status', async () => {
      const f = factory(t.api);
      const owner = await f.user();
      const workspace = await f.workspace(owner);
      const agent = await f.agent(owner, workspace.id);
      const conformance = new OpenApiConformance(doc);
      const path = `/api/agents/${agent.id}`;
      const res = await fetch(`${t.baseUrl}${path}`, {
        headers: { authorization: `Bearer ${owner.token}` },
      });
      const text = await res.text();
      const body = JSON.parse(text) as Record<string, unknown>;
      expect(conformance.check('GET', path, 200, body, text)).toEqual([]);

      const { role, ...withoutRole } = body;
      const problems = [
        conformance.check('GET', path, 200, { ...body, secret: 'x' }, text),
        conformance.check('GET', path, 200, { ...withoutRole, title: role }, text),
        conformance.check('GET', path, 200, withoutRole, text),
        conformance.check('GET', path, 200, { ...body, status: 'sleeping' }, text),
        conformance.check('GET', path, 200, { ...body, updatedAt: 'yesterday' }, text),
        conformance.check('GET', path, 418, body, text),
        conformance.check('GET', path, 404, { message: 'gone' }, text),
        conformance.check('GET', '/api/agents', 200, body, text),
      ];
      for (const p of problems) expect(p?.length, JSON.stringify(p)).toBeGreaterThan(0);
      expect(problems[5]![0]).toContain('status 418 is not documented');
      // Outside /api (web app, /metrics) nothing is checked.
      expect(conformance.check('GET', '/index.html', 200, '<html>', '<html>')).toBeNull();
    });

    it('checks a nullable field both ways and a body on a bodiless answer', () => {
      const conformance = new OpenApiConformance(doc);
      const id = '0c9d6a52-3f1e-4b7a-8e2d-5a4c3b2a1f00';
      const workspace = {
        id,
        name: 'w',
        description: null,
        ownerId: id,
        createdAt: '2026-11-30T09:15:00.000Z',
        updatedAt: '2026-11-30T09:15:00.000Z',
      };
      const path = `/api/workspaces/${id}`;
      expect(conformance.check('GET', path, 200, workspace, '{}')).toEqual([]);
      expect(conformance.check('GET', path, 200, { ...workspace, description: 'd' }, '{}')).toEqual(
        [],
      );
      expect(
        conformance.check('GET', path, 200, { ...workspace, description: 7 }, '{}'),
      ).not.toEqual([]);
      expect(conformance.check('GET', path, 304, '', '')).toEqual([]);
      expect(conformance.check('GET', path, 304, workspace, '{}')).not.toEqual([]);
      expect(conformance.check('DELETE', path, 204, '', '')).toEqual([]);
    });
  });
});

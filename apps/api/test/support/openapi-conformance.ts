import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { OpenAPIObject } from '@nestjs/swagger';

// ajv-formats is CommonJS with `exports.default`: under nodenext the default import is the module.
const addFormats = (addFormatsModule as unknown as { default: typeof addFormatsModule }).default;

export const OPENAPI_PATH = '/api/docs/openapi.json';
type Method = 'get' | 'put' | 'post' | 'delete' | 'patch' | 'head' | 'options';
const DOC_ID = 'openapi';

interface Route {
  template: string;
  pattern: RegExp;
  params: number;
}

/**
 * Checks answers against the OpenAPI document the server serves: the status must be one the
 * operation documents, and the body must match that status's schema exactly. Objects are
 * checked closed (`additionalProperties: false` where the document lists properties), so a
 * field that is added, renamed or left out fails.
 */
export class OpenApiConformance {
  private readonly ajv: Ajv;
  private readonly routes: Route[];
  private readonly validators = new Map<string, ValidateFunction | null>();

  constructor(readonly document: OpenAPIObject) {
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema(
      { components: { schemas: toJsonSchema(document.components?.schemas ?? {}, true) } },
      DOC_ID,
    );
    this.routes = Object.keys(document.paths).map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
      params: (template.match(/\{/g) ?? []).length,
    }));
    // A literal segment beats a parameter: /a/{id} and /a/b both match /a/b.
    this.routes.sort((a, b) => a.params - b.params);
  }

  /** Every problem with one answer, empty when it conforms; `null` for paths outside /api. */
  check(method: string, url: string, status: number, body: unknown, text: string): string[] | null {
    const path = url.split('?')[0]!;
    if (!path.startsWith('/api/') || path.startsWith('/api/docs')) return null;
    const where = `${method} ${path} -> ${status}`;
    const route = this.routes.find((r) => r.pattern.test(path));
    const verb = method.toLowerCase() as Method;
    const operation = route ? this.document.paths[route.template]?.[verb] : undefined;
    if (!route || !operation) {
      // Not an operation: Fastify's 404/405, which must still use the one error body.
      if (status < 400) return [`${where}: no such operation in the document`];
      return this.problems(where, this.validator('#/components/schemas/ErrorResponse'), body);
    }
    const key = `${verb} ${route.template} ${status}`;
    const response = operation.responses[String(status)];
    if (!response || !('description' in response))
      return [
        `${where}: status ${status} is not documented for ${verb.toUpperCase()} ${route.template} (documented: ${Object.keys(operation.responses).join(', ')})`,
      ];
    const schema = response.content?.['application/json']?.schema;
    if (!schema) {
      return method === 'HEAD' || text.length === 0
        ? []
        : [`${where}: documented without a body, answered ${text.length} bytes`];
    }
    if (method === 'HEAD') return [];
    if (!this.validators.has(key)) this.validators.set(key, this.compile(schema));
    return this.problems(where, this.validators.get(key)!, body);
  }

  /** Problems of `value` against the component schema `name` (examples, fixtures). */
  validateSchema(name: string, value: unknown): string[] {
    return this.problems(name, this.validator(`#/components/schemas/${name}`), value);
  }

  private validator(ref: string): ValidateFunction {
    const key = `ref ${ref}`;
    if (!this.validators.has(key)) this.validators.set(key, this.compile({ $ref: ref }));
    return this.validators.get(key)!;
  }

  private compile(schema: object): ValidateFunction {
    return this.ajv.compile(toJsonSchema(schema, false) as object);
  }

  private problems(where: string, validate: ValidateFunction | null, body: unknown): string[] {
    if (!validate || validate(body)) return [];
    return (validate.errors ?? []).map(
      (e) =>
        `${where}: ${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
    );
  }
}

/**
 * OpenAPI 3.0 schema objects as JSON Schema for Ajv: `nullable` becomes a union with null,
 * examples go, `$ref`s point into the document, and objects with listed properties are closed.
 * `isMap`: the value is a map of names to schemas (components.schemas, properties).
 */
function toJsonSchema(node: unknown, isMap: boolean): unknown {
  if (Array.isArray(node)) return node.map((n) => toJsonSchema(n, false));
  if (typeof node !== 'object' || node === null) return node;
  if (isMap) {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, toJsonSchema(v, false)]));
  }
  const { nullable, example: _example, ...rest } = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (key === '$ref' && typeof value === 'string') out[key] = `${DOC_ID}${value}`;
    else if (key === 'properties') out[key] = toJsonSchema(value, true);
    else if (['items', 'additionalProperties', 'not', 'allOf', 'anyOf', 'oneOf'].includes(key))
      out[key] = toJsonSchema(value, false);
    else out[key] = value;
  }
  if (out.properties !== undefined && out.additionalProperties === undefined)
    out.additionalProperties = false;
  return nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

const loaded = new Map<string, Promise<OpenApiConformance>>();

/** The conformance checker of the server at `baseUrl`, built from its document once. */
export function conformanceOf(baseUrl: string): Promise<OpenApiConformance> {
  let checker = loaded.get(baseUrl);
  if (!checker) {
    checker = fetch(`${baseUrl}${OPENAPI_PATH}`).then(async (res) => {
      if (!res.ok) throw new Error(`${OPENAPI_PATH} answered ${res.status}`);
      return new OpenApiConformance((await res.json()) as OpenAPIObject);
    });
    loaded.set(baseUrl, checker);
    checker.catch(() => loaded.delete(baseUrl));
  }
  return checker;
}

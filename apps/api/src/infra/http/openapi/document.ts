import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ERROR_MEANING } from './responses.js';

type Operation = OpenAPIObject['paths'][string]['get'] & object;
type Responses = Operation['responses'];

/** The extension a route without rate limit carries (NoRateLimit), read here and removed. */
export const NO_RATE_LIMIT_EXTENSION = 'x-no-rate-limit';

const ERROR_REF = { $ref: '#/components/schemas/ErrorResponse' };
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** The rate-limit headers every limited answer carries (rate-limit.guard.ts). */
const RATE_LIMIT_HEADERS = {
  'RateLimit-Policy': {
    description:
      'IETF draft-ietf-httpapi-ratelimit-headers: the tier’s quota `q` per window `w` seconds, e.g. `"user";q=100;w=60`',
    schema: { type: 'string' },
  },
  RateLimit: {
    description:
      'IETF draft form: requests `r` remaining in the window, which resets in `t` seconds, e.g. `"user";r=99;t=60`',
    schema: { type: 'string' },
  },
  'X-RateLimit-Limit': {
    description: 'Requests allowed per window on this tier',
    schema: { type: 'integer' },
  },
  'X-RateLimit-Remaining': {
    description: 'Requests left in the window',
    schema: { type: 'integer' },
  },
  'X-RateLimit-Reset': {
    description: 'Seconds until the window resets',
    schema: { type: 'integer' },
  },
};

/**
 * The served OpenAPI document: what the controllers' decorators say, plus what every
 * operation shares and no controller should repeat: the 429 and the rate-limit headers of
 * every limited route, the 400/413/415 of every operation that takes a body and the 431 of
 * an over-long URL, all with the one error schema. Built once, when /api/docs is first asked for.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Agent orchestration API')
    .setDescription(
      'Workspaces, agents, deliverables, thinking processes and goals. Every error has the `ErrorResponse` body; lists are keyset pages `{ items, nextCursor }`. See docs/api.md for a generated client.',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  return completeDocument(SwaggerModule.createDocument(app, config));
}

export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  const components = (document.components ??= {});
  components.headers = { ...components.headers, ...RATE_LIMIT_HEADERS };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      addPathParameters(path, operation);
      const extensions = operation as unknown as Record<string, unknown>;
      const limited = !extensions[NO_RATE_LIMIT_EXTENSION];
      delete extensions[NO_RATE_LIMIT_EXTENSION];
      const responses: Responses = (operation.responses ??= {});
      if (operation.requestBody) for (const status of [400, 413, 415]) addError(responses, status);
      addError(responses, 431);
      if (!limited) continue;
      addError(responses, 429, {
        'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } },
      });
      for (const response of Object.values(responses)) {
        if (!response || !('description' in response)) continue;
        response.headers = {
          ...Object.fromEntries(
            Object.keys(RATE_LIMIT_HEADERS).map((name) => [
              name,
              { $ref: `#/components/headers/${name}` },
            ]),
          ),
          ...response.headers,
        };
      }
    }
  }
  return document;
}

function addError(responses: Responses, status: number, headers?: Record<string, object>): void {
  responses[status] ??= {
    description: ERROR_MEANING[status] ?? 'Error',
    content: { 'application/json': { schema: ERROR_REF } },
    ...(headers ? { headers } : {}),
  };
}

/** Path variables that no handler reads with @Param (the access guard does) are declared too. */
function addPathParameters(path: string, operation: Operation): void {
  const parameters = (operation.parameters ??= []);
  for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
    const declared = parameters.find((p) => 'in' in p && p.in === 'path' && p.name === name);
    // Every id in a path is a UUID; any other text is answered 404 like an unknown id.
    const schema = { type: 'string' as const, format: 'uuid' };
    if (declared && 'in' in declared) declared.schema = schema;
    else parameters.push({ name: name!, in: 'path', required: true, schema });
  }
}

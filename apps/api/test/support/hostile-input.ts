import fc from 'fast-check';

/** An OpenAPI 3.0 schema object as the served document has it. */
export type Schema = Record<string, unknown>;
export type Resolve = (ref: string) => Schema;

const SQL = ["' OR '1'='1", "'; DROP TABLE users; --", '1; SELECT pg_sleep(5)', '" OR ""="'];
const HTML = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', 'javascript:alert(1)'];
const UNICODE = [
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\u202Egnp.exe',
  '\uFEFF',
  'e\u0301\u0301\u0301',
  '🧪'.repeat(500),
  '\u{10FFFF}',
];
const ODD = ['', ' ', '\t\n', '__proto__', 'constructor', '../../etc/passwd', '${jndi:x}', '%00'];
const NUMBERS = [-1, 0, -0, 1.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1, 1e308, -1e308, 5e-324];

/** Strings and numbers that have broken APIs before, plus random text of any code point. */
export const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(...SQL, ...HTML, ...UNICODE, ...ODD, ...NUMBERS),
  fc.constantFrom<unknown>(null, true, false, [], {}, 'x'.repeat(100_000)),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double({ noNaN: true }),
);

/** A value the schema accepts (the base that mutations start from). */
export function validValue(schema: Schema, resolve: Resolve): fc.Arbitrary<unknown> {
  if (typeof schema.$ref === 'string') return validValue(resolve(schema.$ref), resolve);
  if (Array.isArray(schema.allOf)) return validValue(schema.allOf[0] as Schema, resolve);
  const base = validNonNull(schema, resolve);
  return schema.nullable === true ? fc.option(base, { nil: null }) : base;
}

function validNonNull(schema: Schema, resolve: Resolve): fc.Arbitrary<unknown> {
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const min = typeof schema.minimum === 'number' ? schema.minimum : 0;
  const max = typeof schema.maximum === 'number' ? schema.maximum : 1000;
  switch (schema.type) {
    case 'string':
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.format === 'email') return fc.emailAddress().filter((e) => e.length < 200);
      if (schema.format === 'date-time')
        return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      return fc.string({
        minLength: Math.max(1, Number(schema.minLength ?? 1)),
        maxLength: Math.min(Number(schema.maxLength ?? 40), 40),
      });
    case 'integer':
      return fc.integer({ min, max });
    case 'number':
      return fc.double({ min, max, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(validValue((schema.items ?? {}) as Schema, resolve), { maxLength: 3 });
    default: {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      if (Object.keys(properties).length === 0) {
        const values = schema.additionalProperties;
        return fc.dictionary(
          fc.stringMatching(/^[a-z]{1,8}$/),
          typeof values === 'object' && values !== null
            ? validValue(values as Schema, resolve)
            : fc.string({ maxLength: 10 }),
          { maxKeys: 3 },
        );
      }
      const required = (schema.required ?? []) as string[];
      return fc.record(
        Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, validValue(v, resolve)])),
        { requiredKeys: required },
      );
    }
  }
}

/**
 * What the schema should refuse (or accept unharmed): wrong types, missing and extra fields,
 * huge strings and arrays, hostile text and numbers, one level down or at the top.
 */
export function hostileValue(schema: Schema, resolve: Resolve, depth = 0): fc.Arbitrary<unknown> {
  if (typeof schema.$ref === 'string') return hostileValue(resolve(schema.$ref), resolve, depth);
  if (Array.isArray(schema.allOf)) return hostileValue(schema.allOf[0] as Schema, resolve, depth);
  const valid = validValue(schema, resolve);
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const keys = Object.keys(properties);
  const options: fc.Arbitrary<unknown>[] = [hostileScalar];
  if (keys.length > 0) {
    const record = valid as fc.Arbitrary<Record<string, unknown>>;
    options.push(
      // One field wrong (recursively hostile), the rest valid.
      fc
        .tuple(record, fc.constantFrom(...keys))
        .chain(([value, key]) =>
          (depth < 3 ? hostileValue(properties[key]!, resolve, depth + 1) : hostileScalar).map(
            (bad) => ({ ...value, [key]: bad }),
          ),
        ),
      // A required field left out.
      fc.tuple(record, fc.constantFrom(...keys)).map(([value, key]) => {
        const copy = { ...value };
        delete copy[key];
        return copy;
      }),
      // Fields the contract does not have.
      fc
        .tuple(
          record,
          fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), hostileScalar, {
            minKeys: 1,
            maxKeys: 3,
          }),
        )
        .map(([value, extra]) => ({ ...extra, ...value, ...extra })),
    );
  }
  if (schema.type === 'array') {
    const item = (schema.items ?? {}) as Schema;
    options.push(
      fc.array(hostileValue(item, resolve, depth + 1), { minLength: 1, maxLength: 3 }),
      validValue(item, resolve).map((v) => Array.from({ length: 10_000 }, () => v)),
    );
  }
  if (schema.type === 'string' && typeof schema.maxLength === 'number') {
    options.push(fc.constant('y'.repeat(schema.maxLength + 1)));
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    options.push(fc.constantFrom('12', '1e3', 'NaN', Number.MAX_SAFE_INTEGER * 10));
  }
  return fc.oneof(...options);
}

/** JSON text no encoder would write: too deep, duplicate keys, cut off, not JSON at all. */
export const hostileJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(1_000, 100_000).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.constantFrom(64, 5_000).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
  fc.constantFrom(
    '{"name":"a","name":{"$gt":""}}',
    '{"title":"t","title":null,"content":"c"}',
    '{"__proto__":{"isAdmin":true},"name":"x"}',
    '{"constructor":{"prototype":{"x":1}}}',
    '{"name":',
    '{name: "unquoted"}',
    '',
    'null',
    '"a string"',
    '12',
    '[]',
    '\u0000',
    '{"a":"\\ud800"}',
    '{"a":"\\u0000"}',
  ),
);

export const contentTypes = fc.constantFrom<string | undefined>(
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=utf-16',
  undefined,
);

/** Path segments that are not ids of records of yours (percent-encoded where they must be). */
export const hostilePathSegment = fc.constantFrom(
  '00000000-0000-0000-0000-000000000000',
  'not-a-uuid',
  '%00',
  '%ED%A0%80',
  '%FF%FE',
  "'%20OR%201%3D1",
  '%3Cscript%3E',
  'x'.repeat(3_000),
  '..%2F..%2Fhealth',
  '%F0%9F%A7%AA',
);

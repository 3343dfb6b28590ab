import fc from 'fast-check';

/**
 * Hostile requests generated from the OpenAPI document: for every operation with a body or a
 * query, a plausible request built from its schema with exactly one thing made wrong (so a
 * correct service refuses every one with a 4xx). Seeded: the same seed gives the same requests.
 */

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
};

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface FuzzTarget {
  method: string;
  /** OpenAPI path, e.g. /api/v1/locations/{id} */
  path: string;
  body?: Schema;
  query: Parameter[];
}

export interface FuzzRequest {
  method: string;
  path: string;
  /** Raw query string (already encoded, may be deliberately broken). */
  query: string;
  /** Raw body text, or undefined for none. */
  body?: string;
  contentType?: string;
  /** What was made wrong, for the failure message. */
  mutation: string;
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** Every operation that reads a body or a query: a route added later joins by being documented. */
export function fuzzTargets(doc: OpenApiDocument): FuzzTarget[] {
  const targets: FuzzTarget[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      if (!HTTP_METHODS.has(method)) continue;
      const query = (op.parameters ?? []).filter((p) => p.in === 'query');
      const body = op.requestBody?.content?.['application/json']?.schema;
      if (body || query.length) targets.push({ method: method.toUpperCase(), path, body, query });
    }
  }
  return targets;
}

function resolve(doc: OpenApiDocument, schema: Schema | undefined, depth = 0): Schema {
  if (!schema || depth > 8) return {};
  if (schema.$ref) return resolve(doc, doc.components?.schemas?.[schema.$ref.split('/').pop()!], depth + 1);
  if (schema.allOf?.length) {
    const merged = schema.allOf.map((s) => resolve(doc, s, depth + 1)).reduce((a, b) => ({ ...a, ...b, properties: { ...a.properties, ...b.properties } }), {} as Schema);
    return { ...merged, ...schema, allOf: undefined, properties: { ...merged.properties, ...schema.properties } };
  }
  return schema;
}

/** A plausible value for a schema: its example, default or first enum value, else one of its type. */
export function plausible(doc: OpenApiDocument, raw: Schema | undefined, depth = 0): unknown {
  const schema = resolve(doc, raw);
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.format === 'uuid') return '7a1f0d4e-2b1c-4c3d-8e9f-0a1b2c3d4e5f';
  switch (schema.type) {
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return false;
    case 'array':
      return depth > 4 ? [] : [plausible(doc, schema.items, depth + 1)];
    case 'string':
      return 'x';
    default:
      if (!schema.properties || depth > 4) return {};
      return Object.fromEntries(Object.entries(schema.properties).map(([k, s]) => [k, plausible(doc, s, depth + 1)]));
  }
}

/** Paths of every value inside an object, nested ones included (for choosing what to spoil). */
function leafPaths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return prefix.length ? [prefix] : [];
  const entries = Object.entries(value as Record<string, unknown>);
  const own = prefix.length ? [prefix] : [];
  return entries.length ? [...own, ...entries.flatMap(([k, v]) => leafPaths(v, [...prefix, k]))] : own;
}

function setAt(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path[path.length - 1]] = value;
}

function deleteAt(target: Record<string, unknown>, path: string[]): void {
  let node = target;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  delete node[path[path.length - 1]];
}

const nested = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? { a: v } : [v];
  return v;
};

/** Strings no field may hold: each has a NUL or a lone surrogate, with other control characters around. */
const poisonedString = fc
  .tuple(fc.constantFrom('\u0000', '\ud800', '\udfff', 'a\ud800b', '\u0000\u0000'), fc.constantFrom('', '\u0001', '\u001f', '\u007f', '\u2028', '\ufeff', '\u200b', 'x'), fc.string({ maxLength: 8 }))
  .map(([bad, other, filler]) => `${filler}${other}${bad}${other}`);

const wrongValue = fc.oneof(
  fc.constantFrom<unknown>(123, -1, 1.5, 1e308, -0, true, false, null, [], {}, '', ' ', [1, [2]], { a: { b: 1 } }, 'not-a-uuid', '2026-02-30', '9999-99-99T99:99:99Z'),
  poisonedString,
  fc.integer({ min: 1000, max: 120_000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 10, max: 60 }).map(nested),
  fc.array(fc.integer(), { minLength: 200, maxLength: 2000 }),
);

const contentTypeMutation = fc.constantFrom(
  { contentType: 'text/plain', body: (b: string) => b },
  { contentType: 'application/x-www-form-urlencoded', body: () => 'a=1&b=2' },
  { contentType: 'application/xml', body: () => '<a/>' },
  { contentType: 'application/json', body: () => '{"a":' },
  { contentType: 'application/json', body: () => '' },
  { contentType: 'application/json', body: () => '[' .repeat(5000) + ']'.repeat(5000) },
  { contentType: 'application/json', body: () => '{"__proto__":{"x":1}}' },
  { contentType: 'application/json', body: () => '"just a string"' },
  { contentType: 'application/json', body: () => 'null' },
  { contentType: 'application/json', body: () => '[]' },
  { contentType: 'application/json; charset=latin1', body: (b: string) => b },
);

/** Raw query values that are wrong for any parameter (some are broken percent-encodings). */
const wrongQueryValue = fc.oneof(
  fc.constantFrom('abc', '-1', '0', '501', '1.5', '1e999', '', '%20', '2026-02-30', '2026-12-01T10:00', 'true%00', '%00', '%ED%A0%80', '%C0%80', '%FF', '%', '%zz'),
  fc.integer({ min: 500, max: 20_000 }).map((n) => 'x'.repeat(n)),
  poisonedString.map((s) => s.replace(/[\ud800-\udfff]/g, '%ED%A0%80').replaceAll('\u0000', '%00').replace(/[^%A-Za-z0-9]/g, (c) => encodeURIComponent(c))),
);

/** One hostile request for a target. */
export function requestArbitrary(doc: OpenApiDocument, target: FuzzTarget): fc.Arbitrary<FuzzRequest> {
  const base = target.body ? plausible(doc, target.body) : undefined;
  const baseText = base === undefined ? undefined : JSON.stringify(base);
  const required = target.body ? (resolve(doc, target.body).required ?? []) : [];
  const paths = base && typeof base === 'object' ? leafPaths(base) : [];
  const requiredQuery = target.query.filter((p) => p.required);
  const baseQuery = requiredQuery.map((p) => `${p.name}=${encodeURIComponent(String(plausible(doc, p.schema)))}`);
  const withQuery = (extra: string[]) => [...baseQuery, ...extra].join('&');
  const request = (mutation: string, over: Partial<FuzzRequest>): FuzzRequest => ({
    method: target.method,
    path: target.path,
    query: withQuery([]),
    body: baseText,
    contentType: baseText === undefined ? undefined : 'application/json',
    mutation,
    ...over,
  });

  const options: fc.Arbitrary<FuzzRequest>[] = [];
  if (target.query.length) {
    options.push(
      fc.tuple(fc.constantFrom(...target.query), wrongQueryValue).map(([p, v]) => request(`query ${p.name}=${v.slice(0, 40)}`, { query: withQuery([`${p.name}=${v}`]) })),
      fc.tuple(fc.constantFrom(...target.query), fc.constantFrom('a', '1')).map(([p, v]) => request(`query ${p.name} twice`, { query: withQuery([`${p.name}=${v}`, `${p.name}=${v}`]) })),
      fc.constantFrom('surprise=1', '__proto__=x', 'constructor[prototype]=1', 'a[b][c]=1').map((extra) => request(`extra query ${extra}`, { query: withQuery([extra]) })),
    );
  }
  if (base !== undefined) {
    const spoil = (mutation: string, change: (copy: Record<string, unknown>) => void) => {
      const copy = structuredClone(base) as Record<string, unknown>;
      change(copy);
      return request(mutation, { body: JSON.stringify(copy) });
    };
    if (paths.length) {
      options.push(
        fc.tuple(fc.constantFrom(...paths), wrongValue).map(([p, v]) => spoil(`body ${p.join('.')} wrong`, (c) => setAt(c, p, v))),
        fc.tuple(fc.constantFrom(...paths), poisonedString).map(([p, v]) => spoil(`body ${p.join('.')} poisoned`, (c) => setAt(c, p, v))),
      );
    }
    if (required.length) options.push(fc.constantFrom(...required).map((k) => spoil(`body ${k} missing`, (c) => deleteAt(c, [k]))));
    options.push(
      fc.tuple(fc.constantFrom('surprise', 'id', 'version', '__extra'), fc.jsonValue({ maxDepth: 2 })).map(([k, v]) => spoil(`extra body field ${k}`, (c) => (c[k] = v ?? 1))),
      fc.constantFrom<unknown>([], 'text', 42, null, true, [base]).map((v) => request(`body is ${JSON.stringify(v).slice(0, 20)}`, { body: JSON.stringify(v) })),
      contentTypeMutation.map((m) => request(`content type ${m.contentType}`, { contentType: m.contentType, body: m.body(baseText!) })),
    );
  }
  return fc.oneof(...options);
}

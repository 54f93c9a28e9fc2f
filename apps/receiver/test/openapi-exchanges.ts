import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { JsonObject, ReceiverCondition } from '../openapi/openapi-types.js';

// Readers of the OpenAPI document for its tests: the example exchanges it documents, and a validator for its
// schemas. They read the document as any client would (by example name), not the specs it was built from.

/** A documented operation: where it is served and its OpenAPI Operation Object. */
export interface DocumentedOperation {
  method: string;
  path: string;
  /** The URL of the path's server (its listener). */
  server: string;
  operation: JsonObject;
}

/** One example exchange: the request an example describes and the answer documented for it. */
export interface Exchange extends DocumentedOperation {
  /** The example name; undefined for the plain request of an operation without a 2xx example. */
  name: string | undefined;
  /** The request body (a string is the raw body), when the example has one. */
  body: unknown;
  /** The media type the body is filed under in requestBody. */
  bodyType: string | undefined;
  /** Parameter values by location and name. */
  params: { path: Record<string, string>; query: Record<string, string>; header: Record<string, string> };
  /** The example's `x-day15-request`: sent bare, or without the ops credential. */
  request: { plain?: boolean; credential?: 'none' };
  /** The example's `x-day15-receiver`: the receiver condition its answer needs (none: the defaults). */
  receiver: ReceiverCondition | undefined;
  status: number;
  mediaType: string;
  /** JSON Pointer to the response body schema in the document (see schemaChecker). */
  schema: string;
  /** The response example of the same name, when there is one. */
  example: unknown;
}

interface Parameter {
  name: string;
  in: string;
  examples?: Record<string, { value: unknown }>;
}
type ExampleObject = {
  value: unknown;
  'x-day15-request'?: Exchange['request'];
  'x-day15-receiver'?: ReceiverCondition;
};
type Content = Record<string, { schema: unknown; examples?: Record<string, ExampleObject> }>;

/** Every operation of the document. */
export function documentedOperations(doc: JsonObject): DocumentedOperation[] {
  return Object.entries(doc.paths as Record<string, JsonObject>).flatMap(([path, item]) => {
    const server = (item.servers as { url: string }[])[0]!.url;
    return Object.entries(item)
      .filter(([key]) => key !== 'servers')
      .map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        server,
        operation: operation as JsonObject,
      }));
  });
}

/** The names of the examples an operation's request parts (body in any media type, parameters) carry. */
export function requestExampleNames(operation: JsonObject): string[] {
  const content = (operation.requestBody as { content: Content } | undefined)?.content ?? {};
  const parameters = (operation.parameters ?? []) as Parameter[];
  return [
    ...new Set([
      ...Object.values(content).flatMap((media) => Object.keys(media.examples ?? {})),
      ...parameters.flatMap((p) => Object.keys(p.examples ?? {})),
    ]),
  ];
}

/**
 * The name of every Example Object anywhere in an operation (request body, parameters, responses, headers),
 * found by walking it rather than by where examples are expected, so none escapes the tests.
 */
export function allExampleNames(operation: JsonObject): string[] {
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'examples' && typeof value === 'object' && value !== null && !Array.isArray(value))
        for (const name of Object.keys(value)) names.add(name);
      else if (key !== 'schema') walk(value);
    }
  };
  walk(operation);
  return [...names];
}

/** The statuses under which an operation documents a response example named `name`. */
export function statusesOf(operation: JsonObject, name: string): number[] {
  return Object.entries(operation.responses as Record<string, { content: Content }>)
    .filter(([, response]) => Object.values(response.content).some((media) => media.examples?.[name] !== undefined))
    .map(([status]) => Number(status));
}

/** The response Example Object named `name`, which carries the example's x-day15-* extensions. */
export function responseExample(operation: JsonObject, name: string): ExampleObject | undefined {
  const responses = Object.values(operation.responses as Record<string, { content: Content }>);
  return responses.flatMap((r) => Object.values(r.content).flatMap((media) => media.examples?.[name] ?? []))[0];
}

/**
 * The exchanges of every operation: one per example, answered with the status whose response example has its
 * name; an operation none of whose examples is answered 2xx also gets one plain request, answered with its first
 * 2xx (e.g. the dashboard's HTML, which has no example).
 */
export function documentedExchanges(doc: JsonObject): Exchange[] {
  return documentedOperations(doc).flatMap((documented) => {
    const { operation } = documented;
    // Request examples in the order they are written (the order setups may rely on), then the bare ones.
    const names: (string | undefined)[] = [
      ...new Set([...requestExampleNames(operation), ...allExampleNames(operation)]),
    ];
    if (!names.some((name) => statusesOf(operation, name!).some((s) => s < 300))) names.push(undefined);
    return names.map((name): Exchange => {
      const status = name === undefined ? firstSuccess(operation) : statusesOf(operation, name)[0]!;
      const response = (operation.responses as Record<string, { content: Content }>)[String(status)]!;
      const [mediaType, media] = Object.entries(response.content)[0]!;
      const parameters = (operation.parameters ?? []) as Parameter[];
      const values = (where: string) =>
        Object.fromEntries(
          parameters
            .filter((p) => p.in === where && name !== undefined && p.examples?.[name] !== undefined)
            .map((p) => [p.name, String(p.examples![name!]!.value)]),
        );
      const content = (operation.requestBody as { content: Content } | undefined)?.content ?? {};
      const [bodyType, bodyMedia] =
        Object.entries(content).find(([, m]) => name !== undefined && m.examples?.[name] !== undefined) ?? [];
      const extensions = name === undefined ? undefined : responseExample(operation, name);
      return {
        ...documented,
        name,
        body: bodyMedia?.examples?.[name!]?.value,
        bodyType,
        params: { path: values('path'), query: values('query'), header: values('header') },
        request: extensions?.['x-day15-request'] ?? {},
        receiver: extensions?.['x-day15-receiver'],
        status,
        mediaType,
        schema: responseSchemaAt(documented.path, documented.method, status, mediaType),
        example: name === undefined ? undefined : media.examples?.[name]?.value,
      };
    });
  });
}

function firstSuccess(operation: JsonObject): number {
  return Math.min(
    ...Object.keys(operation.responses as JsonObject)
      .map(Number)
      .filter((s) => s >= 200 && s < 300),
  );
}

/** JSON Pointer to the schema of an operation's response body of one status and media type. */
export function responseSchemaAt(path: string, method: string, status: number | string, mediaType: string): string {
  return pointer('paths', path, method.toLowerCase(), 'responses', String(status), 'content', mediaType, 'schema');
}

/** A JSON Pointer from a pointer (or nothing) and further segments, each escaped (`/` as `~1`). */
export function pointer(...segments: string[]): string {
  const [first = '', ...rest] = segments;
  const start = first.startsWith('/') ? first : `/${escape(first)}`;
  return [start, ...rest.map(escape)].join('/');
}

const escape = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * Checks values against the schema at a JSON Pointer in the document, as JSON Schema 2020-12 (the dialect of
 * OpenAPI 3.1), strictly, with the formats the event contract uses: undefined when the value fits, else ajv's
 * errors. Schemas are compiled where they stand, so their `#/components/...` references resolve in the document.
 */
export function schemaChecker(doc: JsonObject): (at: string, value: unknown) => unknown[] | undefined {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats.default(ajv, ['date-time', 'email']);
  const base = 'https://day15.test/openapi.json';
  // The document's own fields, so strict mode accepts the document as the root the schemas are resolved in.
  ajv.addVocabulary(Object.keys(doc));
  ajv.addSchema({ ...doc, $id: base }, undefined, undefined, false);
  return (at, value) => {
    const validate = ajv.getSchema(`${base}#${at}`);
    if (!validate) throw new Error(`No schema at ${at}`);
    return validate(value) ? undefined : (validate.errors ?? []);
  };
}

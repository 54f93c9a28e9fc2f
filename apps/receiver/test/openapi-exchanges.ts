import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { JsonObject } from '../openapi/openapi-types.js';

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
  /** The example name; undefined for the plain request of an operation without request examples. */
  name: string | undefined;
  /** The request body (a string is the raw body), when the example has one. */
  body: unknown;
  /** Parameter values by location and name. */
  params: { path: Record<string, string>; query: Record<string, string> };
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
type Content = Record<string, { schema: unknown; examples?: Record<string, { value: unknown }> }>;

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

/** The names of the examples an operation's request parts (body, parameters) carry. */
export function requestExampleNames(operation: JsonObject): string[] {
  const body = (operation.requestBody as { content: Content } | undefined)?.content['application/json']?.examples;
  const parameters = (operation.parameters ?? []) as Parameter[];
  return [...new Set([...Object.keys(body ?? {}), ...parameters.flatMap((p) => Object.keys(p.examples ?? {}))])];
}

/** The statuses under which an operation documents a response example named `name`. */
export function statusesOf(operation: JsonObject, name: string): number[] {
  return Object.entries(operation.responses as Record<string, { content: Content }>)
    .filter(([, response]) => Object.values(response.content).some((media) => media.examples?.[name] !== undefined))
    .map(([status]) => Number(status));
}

/**
 * The exchanges of every operation: one per request example, answered with the status whose response example
 * has its name; an operation without request examples gets one plain request answered with its first 2xx.
 */
export function documentedExchanges(doc: JsonObject): Exchange[] {
  return documentedOperations(doc).flatMap((documented) => {
    const { operation } = documented;
    const names = requestExampleNames(operation);
    return (names.length === 0 ? [undefined] : names).map((name): Exchange => {
      const statuses = name === undefined ? [] : statusesOf(operation, name);
      const status = name === undefined ? firstSuccess(operation) : statuses[0]!;
      const response = (operation.responses as Record<string, { content: Content }>)[String(status)]!;
      const [mediaType, media] = Object.entries(response.content)[0]!;
      const parameters = (operation.parameters ?? []) as Parameter[];
      const values = (where: string) =>
        Object.fromEntries(
          parameters
            .filter((p) => p.in === where && name !== undefined && p.examples?.[name] !== undefined)
            .map((p) => [p.name, String(p.examples![name!]!.value)]),
        );
      const body =
        name === undefined
          ? undefined
          : (operation.requestBody as { content: Content } | undefined)?.content['application/json']?.examples?.[name]
              ?.value;
      return {
        ...documented,
        name,
        body,
        params: { path: values('path'), query: values('query') },
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

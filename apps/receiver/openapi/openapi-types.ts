/** A JSON object: the document is plain data, served as JSON. */
export type JsonObject = { [key: string]: unknown };

/** One documented answer of an operation: what it means, its body's schema and media type, its headers. */
export interface ResponseSpec {
  description: string;
  schema: JsonObject;
  /** application/json unless given. */
  mediaType?: string;
  headers?: Record<string, { description: string; schema: JsonObject }>;
}

/** A path or query parameter. */
export interface ParameterSpec {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: unknown;
}

/**
 * One example exchange of an operation. Its name ties the request parts (body, parameter values) to the
 * response example of the same name, under the status it is answered with.
 */
export interface ExampleSpec {
  summary: string;
  description?: string;
  /** The request body; a string is the raw body, sent as is (e.g. malformed JSON). */
  body?: unknown;
  /** Path and query parameter values by parameter name. */
  params?: Record<string, string | number>;
  status: number;
  /** The response body. */
  response: unknown;
}

/** An operation as written in ingest-paths.ts and ops-paths.ts; build-operation.ts turns it into OpenAPI. */
export interface OperationSpec {
  operationId: string;
  summary: string;
  description?: string;
  parameters?: ParameterSpec[];
  requestBody?: { description: string; schema: JsonObject };
  responses: Record<number, ResponseSpec>;
  examples?: Record<string, ExampleSpec>;
}

/** Where the two listeners are reached; each path of the document names its listener as its server. */
export interface OpenApiServers {
  ingestUrl: string;
  opsUrl: string;
}

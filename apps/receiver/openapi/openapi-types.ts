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

/** A path, query or header parameter. */
export interface ParameterSpec {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: unknown;
}

/**
 * A receiver set up so that an example gets an answer a receiver with the defaults would not give (a limit
 * lowered, signatures checked, Redis away): filed on the example as `x-day15-receiver`, so a reader knows why
 * the answer differs and the examples test knows which receiver to send it to.
 */
export interface ReceiverCondition {
  /** A short name, e.g. `redis_unreachable`. */
  name: string;
  /** What sets this receiver apart, including any state it must be in beyond its settings. */
  description: string;
  /** The DAY15_* settings it needs, on top of a working configuration. */
  settings: Record<string, string>;
}

/**
 * One example exchange of an operation. Its name ties the request parts (body, parameter values) to the
 * response example of the same name, under the status it is answered with. An example has request parts or
 * says it is `plain`, so none can be documented as an answer without the request that gets it.
 */
export interface ExampleSpec {
  summary: string;
  description?: string;
  /** The request body; a string is the raw body, sent as is (e.g. malformed JSON). */
  body?: unknown;
  /** The body's media type: application/json unless given (one of the operation's requestBody media types). */
  mediaType?: string;
  /** Path, query and header parameter values by parameter name. */
  params?: Record<string, string | number>;
  /** The bare request: no parameters and no body. */
  plain?: true;
  /** Sent without the ops credential, so the operation's security requirement is not met. */
  withoutCredential?: true;
  /** The receiver that gives this answer, when a receiver with the defaults would not. */
  receiver?: ReceiverCondition;
  status: number;
  /** The response body. */
  response: unknown;
}

/** An operation's request body: its JSON schema, plus media types documented only because they are refused. */
export interface RequestBodySpec {
  description: string;
  schema: JsonObject;
  /** Media type → schema of what is sent; each is answered 415 (OpenAPI has no way to say so but prose). */
  refusedMediaTypes?: Record<string, JsonObject>;
}

/** An operation as written in ingest-paths.ts and ops-paths.ts; build-operation.ts turns it into OpenAPI. */
export interface OperationSpec {
  operationId: string;
  summary: string;
  description?: string;
  parameters?: ParameterSpec[];
  requestBody?: RequestBodySpec;
  responses: Record<number, ResponseSpec>;
  examples?: Record<string, ExampleSpec>;
}

/** Where the two listeners are reached; each path of the document names its listener as its server. */
export interface OpenApiServers {
  ingestUrl: string;
  opsUrl: string;
}

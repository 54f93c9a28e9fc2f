import type { ExampleSpec, JsonObject, OperationSpec, ReceiverCondition } from './openapi-types.js';

const json = 'application/json';

/**
 * An OpenAPI Operation Object from an OperationSpec. Each named example is split into its request parts (the
 * body under its media type in requestBody, each parameter value under that parameter) and its response, filed
 * under the status it is answered with, all under the same name: that name is how a reader, or a test, pairs a
 * request example with its documented answer. What OpenAPI cannot say about the request rides on every part as
 * extensions: `x-day15-request` (plain, or without the ops credential) and `x-day15-receiver` (the receiver
 * condition the answer needs, also listed in the operation's description).
 */
export function buildOperation(spec: OperationSpec, tags: string[]): JsonObject {
  const examples = Object.entries(spec.examples ?? {});
  for (const [name, example] of examples) assertExampleIsSendable(spec, name, example);
  const exampleObject = (example: ExampleSpec, value: unknown) => ({
    summary: example.summary,
    ...(example.description === undefined ? {} : { description: example.description }),
    value,
    ...requestExtension(example),
    ...(example.receiver ? { 'x-day15-receiver': example.receiver } : {}),
  });
  const named = (pick: (example: ExampleSpec) => unknown) => {
    const picked = examples.flatMap(([name, example]) => {
      const value = pick(example);
      return value === undefined ? [] : [[name, exampleObject(example, value)] as const];
    });
    return picked.length === 0 ? {} : { examples: Object.fromEntries(picked) };
  };
  const bodyIn = (mediaType: string) => (example: ExampleSpec) =>
    (example.mediaType ?? json) === mediaType ? example.body : undefined;

  const description = [spec.description, conditionsNote(examples.map(([, e]) => e.receiver))].filter(Boolean);
  const operation: JsonObject = {
    operationId: spec.operationId,
    tags,
    summary: spec.summary,
    ...(description.length === 0 ? {} : { description: description.join(' ') }),
  };
  if (spec.parameters) {
    operation.parameters = spec.parameters.map((parameter) => ({
      ...parameter,
      ...named((example) => example.params?.[parameter.name]),
    }));
  }
  if (spec.requestBody) {
    const { schema, refusedMediaTypes = {} } = spec.requestBody;
    operation.requestBody = {
      description: spec.requestBody.description,
      required: true,
      content: Object.fromEntries(
        Object.entries({ [json]: schema, ...refusedMediaTypes }).map(([mediaType, mediaSchema]) => [
          mediaType,
          { schema: mediaSchema, ...named(bodyIn(mediaType)) },
        ]),
      ),
    };
  }
  operation.responses = Object.fromEntries(
    Object.entries(spec.responses).map(([status, response]) => [
      status,
      {
        description: response.description,
        ...(response.headers ? { headers: response.headers } : {}),
        content: {
          [response.mediaType ?? json]: {
            schema: response.schema,
            ...named((example) => (String(example.status) === status ? example.response : undefined)),
          },
        },
      },
    ]),
  );
  return operation;
}

/** Throws unless the example's request can be sent as written: its parts exist, or it says it is plain. */
function assertExampleIsSendable(spec: OperationSpec, name: string, example: ExampleSpec): void {
  const fail = (why: string) => {
    throw new Error(`Example ${spec.operationId}/${name} ${why}`);
  };
  if (!(example.status in spec.responses)) fail(`answers ${example.status}, which is not documented`);
  const hasParts = example.body !== undefined || Object.keys(example.params ?? {}).length > 0;
  // A response-only example would document an answer nobody can reproduce (or test).
  if (hasParts === Boolean(example.plain)) fail(hasParts ? 'is plain but has request parts' : 'has no request parts');
  const mediaTypes = [json, ...Object.keys(spec.requestBody?.refusedMediaTypes ?? {})];
  if (example.body !== undefined && (!spec.requestBody || !mediaTypes.includes(example.mediaType ?? json)))
    fail(`has a body the operation does not document (${example.mediaType ?? json})`);
  for (const param of Object.keys(example.params ?? {}))
    if (!spec.parameters?.some((p) => p.name === param)) fail(`sets ${param}, which is not a parameter`);
}

function requestExtension({ plain, withoutCredential }: ExampleSpec): JsonObject {
  const request = { ...(plain ? { plain: true } : {}), ...(withoutCredential ? { credential: 'none' } : {}) };
  return Object.keys(request).length === 0 ? {} : { 'x-day15-request': request };
}

/** The operation's description sentence on the receiver conditions its examples need, if any. */
function conditionsNote(conditions: (ReceiverCondition | undefined)[]): string | undefined {
  const distinct = new Map(conditions.flatMap((c) => (c ? [[c.name, c] as const] : [])));
  if (distinct.size === 0) return undefined;
  const listed = [...distinct.values()].map(({ name, description, settings }) => {
    const values = Object.entries(settings).map(([variable, value]) => `${variable}=${value}`);
    return `\`${name}\`: ${description}${values.length ? ` (${values.join(', ')})` : ''}`;
  });
  return `Some examples are answered so only by a receiver in a particular condition, named by the example's \`x-day15-receiver\`: ${listed.join('; ')}.`;
}

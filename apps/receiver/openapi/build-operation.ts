import type { ExampleSpec, JsonObject, OperationSpec } from './openapi-types.js';

const json = 'application/json';

/**
 * An OpenAPI Operation Object from an OperationSpec. Each named example is split into its request parts (the
 * body under requestBody, each parameter value under that parameter) and its response, filed under the status
 * it is answered with, all under the same name: that name is how a reader, or a test, pairs a request example
 * with its documented answer.
 */
export function buildOperation(spec: OperationSpec, tags: string[]): JsonObject {
  const examples = Object.entries(spec.examples ?? {});
  for (const [name, example] of examples) {
    if (!(example.status in spec.responses))
      throw new Error(`Example ${spec.operationId}/${name} answers ${example.status}, which is not documented`);
  }
  const exampleObject = (example: ExampleSpec, value: unknown) => ({
    summary: example.summary,
    ...(example.description === undefined ? {} : { description: example.description }),
    value,
  });
  const named = (pick: (example: ExampleSpec) => unknown) => {
    const picked = examples.flatMap(([name, example]) => {
      const value = pick(example);
      return value === undefined ? [] : [[name, exampleObject(example, value)] as const];
    });
    return picked.length === 0 ? {} : { examples: Object.fromEntries(picked) };
  };

  const operation: JsonObject = {
    operationId: spec.operationId,
    tags,
    summary: spec.summary,
    ...(spec.description === undefined ? {} : { description: spec.description }),
  };
  if (spec.parameters) {
    operation.parameters = spec.parameters.map((parameter) => ({
      ...parameter,
      ...named((example) => example.params?.[parameter.name]),
    }));
  }
  if (spec.requestBody) {
    operation.requestBody = {
      description: spec.requestBody.description,
      required: true,
      content: { [json]: { schema: spec.requestBody.schema, ...named((example) => example.body) } },
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

import type { OperationSpec } from './openapi-types.js';
import { redisUnreachableReceiver } from './receiver-conditions.js';
import { schemaRef } from './request-schemas.js';

// GET /health and the probes, on the ingest listener.

export const getHealth: OperationSpec = {
  operationId: 'getHealth',
  summary: 'Health and queue depths',
  description: 'One Redis round trip.',
  responses: {
    200: { description: 'Redis answers.', schema: schemaRef('Health') },
    503: { description: 'Redis does not answer.', schema: schemaRef('Unhealthy') },
  },
  examples: {
    healthy: {
      summary: 'Healthy',
      plain: true,
      status: 200,
      response: {
        status: 'healthy',
        mode: 'redis',
        queue_depth: 3,
        in_flight: 0,
        delayed: 0,
        dead_letters: 0,
        uptime_s: 42,
      },
    },
    unhealthy: {
      summary: 'Redis away',
      plain: true,
      receiver: redisUnreachableReceiver,
      status: 503,
      response: { status: 'unhealthy', mode: 'redis', error: 'redis_unreachable' },
    },
  },
};

export const getLivez: OperationSpec = {
  operationId: 'getLivez',
  summary: 'Liveness probe',
  description: 'Answers whenever the process serves HTTP; never touches Redis.',
  responses: { 200: { description: 'Alive.', schema: schemaRef('Alive') } },
  examples: { alive: { summary: 'Alive', plain: true, status: 200, response: { status: 'alive' } } },
};

export const getReadyz: OperationSpec = {
  operationId: 'getReadyz',
  summary: 'Readiness probe',
  description: 'Ready when Redis answers a PING and the receiver is not stopping.',
  responses: {
    200: { description: 'Ready.', schema: schemaRef('Ready') },
    503: {
      description:
        'Redis does not answer a PING (`redis_unreachable`), or the receiver is stopping (`shutting_down`, from ' +
        'SIGTERM until its listeners close).',
      schema: schemaRef('NotReady'),
    },
  },
  // No example of shutting_down: a stopping receiver takes no new connections, so no request could prove it
  // (apps/receiver/test/probes.test.ts covers it in process).
  examples: {
    ready: { summary: 'Ready', plain: true, status: 200, response: { status: 'ready' } },
    not_ready: {
      summary: 'Redis away',
      plain: true,
      receiver: redisUnreachableReceiver,
      status: 503,
      response: { status: 'not_ready', reason: 'redis_unreachable', message: 'Queue operation failed' },
    },
  },
};

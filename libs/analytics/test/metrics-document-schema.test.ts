// Compile-time checks that the type json-schema-to-ts derives from metricsDocumentSchema is as precise as the
// hand-written interface it replaced (`npm run typecheck` runs them), and a run-time check that ajv accepts the
// schema and a document readMetrics really produced.
import { describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { createQueue } from '../../queue/index.js';
import { loadConfig } from '../../config/index.js';
import { mockRedis, uniquePrefix } from '../../../test/support/backends.js';
import { metricsDocumentSchema, readMetrics, type MetricsDocument, type MetricsWindow } from '../index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T | undefined => undefined;

assertType<Equal<MetricsWindow, '1h' | '24h' | '7d'>>();
assertType<Equal<MetricsDocument['totals']['processed'], number>>();
assertType<Equal<MetricsDocument['latency_ms']['p99'], number | null>>();
assertType<Equal<MetricsDocument['signups']['by_source'], { [key: string]: number }>>();
assertType<Equal<MetricsDocument['pipeline']['consumers'], { id: string; last_seen_s: number }[]>>();
assertType<
  Equal<MetricsDocument['series']['per_hour'], { at: string; by_type: { [key: string]: number } }[] | undefined>
>();

describe('the metrics document schema', () => {
  it('accepts what readMetrics returns', async () => {
    const config = loadConfig({ env: { DAY15_KEY_PREFIX: uniquePrefix() }, envFile: '/nonexistent/.env' });
    const document = await readMetrics(createQueue(await mockRedis.connect(), config), { window: '24h' });
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(metricsDocumentSchema);
    expect([validate(document), validate.errors ?? []]).toEqual([true, []]);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import RedisMock from 'ioredis-mock';
import request from 'supertest';
import { receiverHarness } from '../apps/receiver/test/receiver-harness.js';
import { exportedMetricNames, metricNames } from './support/promql-metric-names.js';
import { promtool } from './support/promtool.js';

const rulesFile = 'config/prometheus/day15-alerts.yml';
const rulesTestFile = 'config/prometheus/day15-alerts.test.yml';

/** The `expr:` of every rule, inline (`expr: a > 1`) or a block scalar (`expr: |` and the lines indented below it). */
function ruleExpressions(yaml: string): string[] {
  const lines = yaml.split('\n');
  const expressions: string[] = [];
  lines.forEach((line, i) => {
    const match = /^(\s*)(?:- )?expr:\s*(.*)$/.exec(line);
    if (!match) return;
    const [, indent = '', inline = ''] = match;
    if (!/^[|>]/.test(inline)) {
      expressions.push(inline);
      return;
    }
    const block: string[] = [];
    for (const next of lines.slice(i + 1)) {
      if (next.trim() !== '' && next.length - next.trimStart().length <= indent.length) break;
      block.push(next);
    }
    expressions.push(block.join('\n'));
  });
  return expressions;
}

describe('Prometheus alert rules (config/prometheus)', () => {
  it('pass promtool check rules', async () => {
    expect(await promtool('check', 'rules', rulesFile)).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('pass their promtool unit tests (every alert fires and stays quiet)', async () => {
    expect(await promtool('test', 'rules', rulesTestFile)).toMatch(/SUCCESS/);
  });

  it('reads metric names out of PromQL (the check below relies on it)', () => {
    const expression = `histogram_quantile(0.99, max by (job, le) (rate(a_bucket{le="+Inf",x=~"b|c"}[5m]))) > 1e3
      or on (job) min without (instance) (b:rule) unless absent(c_total offset 5m)`;
    expect(metricNames(expression)).toEqual(['a_bucket', 'b:rule', 'c_total']);
  });

  it('use only metrics that GET /metrics exports, and every alert has a unit test', async () => {
    const rules = readFileSync(rulesFile, 'utf8');
    const expressions = ruleExpressions(rules);
    const alerts = [...rules.matchAll(/^\s*- alert:\s*(\S+)/gm)].map(([, name]) => name);
    expect(expressions).toHaveLength(alerts.length);
    const used = new Set(expressions.flatMap(metricNames));
    // The unit tests' input series must be real series too, or they would prove nothing.
    const tests = readFileSync(rulesTestFile, 'utf8');
    for (const [, name = ''] of tests.matchAll(/series:\s*'([a-zA-Z_:][a-zA-Z0-9_:]*)/g)) used.add(name);
    // The extraction finds the names (an empty or mangled list would pass the check below vacuously).
    expect([...used]).toEqual(
      expect.arrayContaining(['day15_queue_oldest_ready_age_seconds', 'day15_processing_latency_seconds_bucket']),
    );

    const { ops } = receiverHarness(new RedisMock());
    const exported = exportedMetricNames((await request(ops).get('/metrics').expect(200)).text);
    expect(exported.has('day15_queue_depth')).toBe(true);
    expect([...used].filter((name) => !exported.has(name))).toEqual([]);
    const tested = new Set([...tests.matchAll(/alertname:\s*(\S+)/g)].map(([, name]) => name));
    expect(alerts.filter((name) => !tested.has(name))).toEqual([]);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import RedisMock from 'ioredis-mock';
import request from 'supertest';
import { receiverHarness } from '../apps/receiver/test/receiver-harness.js';
import { exportedMetricNames, metricNames } from './support/promql-metric-names.js';
import { promtool } from './support/promtool.js';

interface DatasourceRef {
  type?: string;
  uid?: string;
}
interface Panel {
  id?: number;
  type: string;
  title?: string;
  datasource?: DatasourceRef;
  gridPos?: { h?: number; w?: number; x?: number; y?: number };
  targets?: { refId?: string; expr?: string; datasource?: DatasourceRef }[];
  panels?: Panel[];
}
interface Dashboard {
  __inputs?: { name: string; type: string; pluginId: string }[];
  id: number | null;
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; datasource?: DatasourceRef; query?: { query?: string } }[] };
}

const dashboardFile = 'config/grafana/day15-dashboard.json';
const dashboard = JSON.parse(readFileSync(dashboardFile, 'utf8')) as Dashboard;
// Grafana's import form asks for this input and writes the chosen datasource's uid wherever it appears.
const prometheusInput = { type: 'prometheus', uid: '${DS_PROMETHEUS}' };

/** Every panel, with the panels a collapsed row keeps inside it. */
function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])]);
}
const panels = allPanels(dashboard.panels);
const queryPanels = panels.filter((panel) => panel.type !== 'row');
const panelExpressions = queryPanels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr ?? ''));
// A query variable's `label_values(selector, label)` is Grafana's syntax; its selector is PromQL.
const variableSelectors = dashboard.templating.list.flatMap(
  ({ query }) => /^label_values\((.+),\s*\w+\)$/.exec(query?.query ?? '')?.[1] ?? [],
);
const expressions = [...panelExpressions, ...variableSelectors];
const variables = new Set(dashboard.templating.list.map(({ name }) => name));

/** An expression as Prometheus gets it: Grafana's built-ins ($__rate_interval) are durations, the rest label values. */
function withVariablesFilledIn(expression: string): string {
  return expression.replace(/\$\{?__\w+\}?/g, '5m').replace(/\$\{?\w+\}?/g, 'x');
}

describe('Grafana dashboard (config/grafana)', () => {
  it('is importable: asks for a Prometheus datasource, with a stable uid and no instance id', () => {
    expect(dashboard.__inputs).toContainEqual(
      expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' }),
    );
    expect(dashboard).toMatchObject({ id: null, uid: 'day15-pipeline', title: 'Day15 pipeline', schemaVersion: 39 });
  });

  it('gives every panel a unique id and a place on the 24-column grid', () => {
    const ids = panels.map(({ id }) => id);
    expect(ids.every(Number.isInteger)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { title, gridPos = {} } of panels) {
      const { h = -1, w = -1, x = -1, y = -1 } = gridPos;
      expect({ title, fits: h > 0 && w > 0 && x >= 0 && y >= 0 && x + w <= 24 }).toEqual({ title, fits: true });
    }
  });

  it('queries the imported Prometheus in every panel, target and variable', () => {
    expect(queryPanels.length).toBeGreaterThan(0);
    for (const { title, datasource, targets = [] } of queryPanels) {
      expect({ title, datasource }).toEqual({ title, datasource: prometheusInput });
      for (const target of targets)
        expect({ title, datasource: target.datasource }).toEqual({ title, datasource: prometheusInput });
    }
    for (const { name, datasource } of dashboard.templating.list) {
      expect({ name, datasource }).toEqual({ name, datasource: prometheusInput });
    }
  });

  it('has at least one PromQL query per panel, each with its own refId, using only variables it defines', () => {
    for (const { title, targets = [] } of queryPanels) {
      const queries = targets.filter(({ expr }) => expr?.trim()).length;
      const refIds = new Set(targets.map(({ refId }) => refId)).size;
      expect({
        title,
        queries: queries > 0,
        allQueries: queries === targets.length,
        ownRefIds: refIds === targets.length,
      }).toEqual({ title, queries: true, allQueries: true, ownRefIds: true });
    }
    const used = expressions.flatMap((expression) =>
      [...expression.matchAll(/\$\{?(\w+)\}?/g)].map(([, name]) => name),
    );
    expect(used.filter((name = '') => !name.startsWith('__') && !variables.has(name))).toEqual([]);
  });

  it('queries valid PromQL (promtool check rules)', async () => {
    // Each expression as a recording rule: promtool parses it as Prometheus would (YAML reads JSON).
    const rules = expressions.map((expression, i) => ({
      record: `day15:dashboard_query_${i}`,
      expr: withVariablesFilledIn(expression),
    }));
    const dir = mkdtempSync(join(tmpdir(), 'day15-dashboard-'));
    try {
      const file = join(dir, 'dashboard-queries.yml');
      writeFileSync(file, JSON.stringify({ groups: [{ name: 'dashboard', rules }] }));
      expect(await promtool('check', 'rules', file)).toMatch(`SUCCESS: ${rules.length} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses only metrics that GET /metrics exports', async () => {
    const used = new Set(expressions.flatMap(metricNames));
    // The extraction finds the names (an empty or mangled list would pass the check below vacuously).
    expect([...used]).toEqual(
      expect.arrayContaining(['day15_queue_depth', 'day15_processing_latency_seconds_bucket', 'day15_mrr']),
    );
    // `up` is the series Prometheus itself records for every scrape; the receiver cannot export it.
    used.delete('up');

    const { ops } = receiverHarness(new RedisMock());
    const exported = exportedMetricNames((await request(ops).get('/metrics').expect(200)).text);
    expect([...used].filter((name) => !exported.has(name))).toEqual([]);
  });
});

// Live dashboard: polls /api/metrics every 2 s and updates tiles, charts and the pipeline panel in place.
/* global Chart */
'use strict';

const pollMs = 2000;
const typeColors = {
  user_signup: '#1d5fd1',
  subscription_created: '#17703a',
  subscription_updated: '#8a5a00',
  subscription_cancelled: '#b3261e',
  usage_tracked: '#6b3fa0',
};
const palette = ['#1d5fd1', '#17703a', '#8a5a00', '#b3261e', '#6b3fa0', '#0f7c86', '#5a6472', '#c2410c'];
const money = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' });
const count = new Intl.NumberFormat();
let previous;

const $ = (id) => document.getElementById(id);
const setText = (id, text) => {
  const node = $(id);
  if (node.textContent !== text) node.textContent = text;
};

function chart(id, type, options = {}) {
  return new Chart($(id), {
    type,
    data: { labels: [], datasets: [] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { position: 'bottom' } },
      ...options,
    },
  });
}

const charts = {
  perMinute: chart('chart-per-minute', 'bar', {
    scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } },
  }),
  mrrByPlan: chart('chart-mrr-plan', 'bar', {
    plugins: { legend: { display: false } },
    scales: { y: { beginAtZero: true } },
  }),
  sources: chart('chart-sources', 'doughnut'),
  usage: chart('chart-usage', 'bar', { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } }),
};

// Replaces a chart's data and keeps its text alternative (aria-label) in step for screen readers.
function show(target, labels, datasets, description) {
  target.data.labels = labels;
  target.data.datasets = datasets;
  target.update();
  target.canvas.setAttribute('aria-label', description);
}

function describePairs(title, pairs) {
  return pairs.length === 0 ? `${title}: no data yet` : `${title}: ${pairs.map(([k, v]) => `${k} ${v}`).join(', ')}`;
}

function render(m) {
  const now = Date.now();
  const rate = previous ? Math.max(0, (m.totals.processed - previous.processed) / ((now - previous.at) / 1000)) : 0;
  previous = { processed: m.totals.processed, at: now };

  setText('kpi-signups-today', count.format(m.signups.today));
  setText('kpi-active', count.format(m.subscriptions.active));
  setText('kpi-mrr', money.format(m.subscriptions.mrr));
  setText('kpi-churned', count.format(m.subscriptions.churned));
  setText('kpi-users', count.format(m.unique_users_today));
  setText('kpi-rate', rate.toFixed(1));

  const minutes = m.series.per_minute;
  const types = Object.keys(typeColors);
  show(
    charts.perMinute,
    minutes.map((p) => new Date(p.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })),
    types.map((type) => ({
      label: type,
      backgroundColor: typeColors[type],
      data: minutes.map((p) => p.by_type[type] ?? 0),
    })),
    describePairs(
      'Events in the last hour by type',
      types.map((type) => [type, minutes.reduce((s, p) => s + (p.by_type[type] ?? 0), 0)]),
    ),
  );

  const plans = Object.entries(m.subscriptions.by_plan);
  show(
    charts.mrrByPlan,
    plans.map(([plan]) => plan),
    [{ label: 'MRR', backgroundColor: palette[1], data: plans.map(([, v]) => v) }],
    describePairs(
      'MRR by plan',
      plans.map(([plan, v]) => [plan, money.format(v)]),
    ),
  );
  const sources = Object.entries(m.signups.by_source);
  show(
    charts.sources,
    sources.map(([s]) => s),
    [{ label: 'Signups', backgroundColor: palette, data: sources.map(([, v]) => v) }],
    describePairs('Signups by source', sources),
  );
  const usage = Object.entries(m.usage.by_feature);
  show(
    charts.usage,
    usage.map(([f]) => f),
    [{ label: 'Quantity', backgroundColor: palette[4], data: usage.map(([, v]) => v.quantity) }],
    describePairs(
      'Usage quantity by feature',
      usage.map(([f, v]) => [f, v.quantity]),
    ),
  );

  setText('q-ready', count.format(m.queue.ready));
  setText('q-in-flight', count.format(m.queue.in_flight));
  setText('q-delayed', count.format(m.queue.delayed));
  setText('q-dead', count.format(m.queue.dead));
  const ms = (v) => (v === null ? '–' : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`);
  setText('latency', `${ms(m.latency_ms.p50)} / ${ms(m.latency_ms.p95)} / ${ms(m.latency_ms.p99)}`);
  setText('processed', count.format(m.totals.processed));
  setText('duplicates', count.format(m.totals.duplicates));
  const age = m.pipeline.heartbeat_age_s;
  setText(
    'heartbeat',
    age === null
      ? 'no consumer seen'
      : `${age.toFixed(1)} s ago (${m.pipeline.consumers.length} consumer${m.pipeline.consumers.length === 1 ? '' : 's'})`,
  );
}

function showStatus(text, ok) {
  const node = $('status');
  node.textContent = text;
  node.className = `status ${ok ? 'ok' : 'bad'}`;
}

async function poll() {
  try {
    const res = await fetch('/api/metrics', { cache: 'no-store' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    render(await res.json());
    showStatus(`Live · updated ${new Date().toLocaleTimeString()}`, true);
  } catch (error) {
    showStatus(`Metrics unavailable (${error.message}); retrying`, false);
  } finally {
    setTimeout(poll, pollMs);
  }
}

poll();

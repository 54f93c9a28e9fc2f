// Live dashboard: polls /api/metrics every 2 s and updates tiles, charts and panels in place.
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
// MRR movement kinds in stacking order. The API signs them: gains above zero, contraction and churn below.
// The colours are also the .swatch colours in dashboard.css.
const movementKinds = [
  { key: 'new', label: 'New', color: '#17703a' },
  { key: 'expansion', label: 'Expansion', color: '#0f7c86' },
  { key: 'reactivation', label: 'Reactivation', color: '#1d5fd1' },
  { key: 'contraction', label: 'Contraction', color: '#c2410c' },
  { key: 'churn', label: 'Churn', color: '#b3261e' },
];
const mrrLineColor = '#1a2230';
// The movements chart starts at the first day with data, but shows at least this many days.
const minDaysShown = 7;
const count = new Intl.NumberFormat();
let previous;
// The currency of every converted amount (subscriptions.currency); set by each poll before anything is drawn.
let base;

const $ = (id) => document.getElementById(id);
const setText = (id, text) => {
  const node = $(id);
  if (node.textContent !== text) node.textContent = text;
};
// Shows a note with this text, or hides it when the text is empty.
const setNote = (id, text) => {
  setText(id, text);
  $(id).hidden = text === '';
};

const moneyFormats = new Map();
// One Intl currency format per currency and options, made once. A code this browser does not know still
// shows ("XYZ 12.00") instead of breaking the page.
function moneyFormat(currency, options = {}) {
  const key = `${currency} ${JSON.stringify(options)}`;
  if (!moneyFormats.has(key)) {
    let format;
    try {
      format = new Intl.NumberFormat(undefined, { style: 'currency', currency, ...options }).format;
    } catch {
      format = (amount) => `${currency} ${amount.toFixed(2)}`;
    }
    moneyFormats.set(key, format);
  }
  return moneyFormats.get(key);
}
const money = (amount, currency = base) => moneyFormat(currency)(amount);
const signedMoney = (amount) => moneyFormat(base, { signDisplay: 'exceptZero' })(amount);
const axisMoney = (amount) =>
  moneyFormat(base, { notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 })(amount);
const rateMoney = (rate) => moneyFormat(base, { maximumFractionDigits: 6 })(rate);
// Rounds to the cent, and -0 to 0, so a difference of floats never shows as "-$0.00".
const cents = (amount) => Math.round(amount * 100) / 100 + 0;
const dayLabel = (date) =>
  new Date(`${date}T00:00:00Z`).toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

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

const moneyTooltip = (format) => ({ callbacks: { label: (c) => `${c.dataset.label}: ${format(c.parsed.y, c)}` } });
const charts = {
  perMinute: chart('chart-per-minute', 'bar', {
    scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } },
  }),
  movements: chart('chart-movements', 'bar', {
    interaction: { mode: 'index', intersect: false },
    plugins: {
      legend: { position: 'bottom' },
      tooltip: moneyTooltip((v, c) => (c.dataset.yAxisID === 'mrr' ? money(v) : signedMoney(v))),
    },
    // min and max come from alignZeros.
    scales: {
      x: { stacked: true },
      y: {
        stacked: true,
        grid: { color: (c) => (c.tick?.value === 0 ? '#5a6472' : 'rgba(0, 0, 0, 0.1)') },
        ticks: { callback: axisMoney, includeBounds: false },
        title: { display: true, text: 'movements per day' },
      },
      mrr: {
        position: 'right',
        // No labels or tick marks below its zero: MRR is never negative.
        grid: { drawOnChartArea: false, tickColor: (c) => (c.tick?.value < 0 ? 'transparent' : 'rgba(0, 0, 0, 0.1)') },
        ticks: { callback: (v) => (v < 0 ? '' : axisMoney(v)), includeBounds: false },
        title: { display: true, text: 'MRR at end of day' },
      },
    },
  }),
  mrrByPlan: chart('chart-mrr-plan', 'bar', {
    plugins: { legend: { display: false }, tooltip: moneyTooltip((v) => money(v)) },
    scales: { y: { beginAtZero: true, ticks: { callback: axisMoney } } },
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

// Replaces a list's items when their text changed: one <li> per string, or one muted line when there is none.
function setList(id, items, empty) {
  const node = $(id);
  const texts = items.length === 0 ? [empty] : items;
  if (JSON.stringify([...node.children].map((li) => li.textContent)) === JSON.stringify(texts)) return;
  node.replaceChildren(
    ...texts.map((text) =>
      Object.assign(document.createElement('li'), { textContent: text, className: items.length ? '' : 'muted' }),
    ),
  );
}

function renderTiles(m, rate) {
  setText('kpi-signups-today', count.format(m.signups.today));
  setText('kpi-active', count.format(m.subscriptions.active));
  setText('kpi-mrr', money(m.subscriptions.mrr));
  setText('kpi-churned', count.format(m.subscriptions.churned));
  // DAU is "unique users today": the API gives both, and they are equal.
  setText('kpi-dau', count.format(m.active_users.dau));
  setText('kpi-wau', count.format(m.active_users.wau));
  setText('kpi-mau', count.format(m.active_users.mau));
  setText('kpi-rate', rate.toFixed(1));
}

// MRR in each currency as received, what it is worth in the base currency, and which currencies have no rate.
function renderCurrencies({ mrr_by_currency: byCurrency, unconverted, fx }) {
  const codes = Object.keys(byCurrency).sort((a, b) => (a === base ? -1 : b === base ? 1 : a.localeCompare(b)));
  const worth = (code) => {
    if (code === base) return '';
    if (code in unconverted) return ' (no rate: not in MRR)';
    return code in fx.rates ? ` ≈ ${money(byCurrency[code] * fx.rates[code])}` : '';
  };
  setList(
    'mrr-by-currency',
    codes.map((code) => `${code} ${money(byCurrency[code], code)}${worth(code)}`),
    'no live subscriptions',
  );
  const missing = Object.entries(unconverted);
  const amounts = missing.map(([code, amount]) => money(amount, code)).join(', ');
  setNote('kpi-mrr-note', missing.length === 0 ? '' : `excludes ${amounts} (no rate)`);
  setNote(
    'mrr-unconverted',
    missing.length === 0
      ? ''
      : `No exchange rate for ${missing.map(([code]) => code).join(', ')}: ${amounts} left out of MRR and movements. Add ${missing.length === 1 ? 'it' : 'them'} to DAY15_FX_RATES.`,
  );
  const rates = Object.entries(fx.rates).map(([code, rate]) => `1 ${code} = ${rateMoney(rate)}`);
  setNote('fx-rates', rates.length === 0 ? '' : `Rates${fx.date ? ` of ${fx.date}` : ''}: ${rates.join(', ')}`);
}

// Index of the first day the chart shows: the first with any movement or MRR, so a young history does not sit
// behind weeks of zeros; at least minDaysShown days.
function firstDayShown(days) {
  const latestStart = Math.max(0, days.length - minDaysShown);
  const first = days.findIndex((d) => d.mrr_end !== 0 || movementKinds.some(({ key }) => d[key] !== 0));
  return first === -1 ? latestStart : Math.min(first, latestStart);
}

function describeMovements(days) {
  if (days.length === 0) return 'MRR movements: no data yet';
  const total = (key) => days.reduce((sum, d) => sum + d[key], 0);
  const kinds = movementKinds.map(({ key, label }) => `${label.toLowerCase()} ${signedMoney(total(key))}`);
  const [first, last] = [days[0], days[days.length - 1]];
  return (
    `MRR movements over the last ${days.length} days: ${kinds.join(', ')}, net ${signedMoney(total('net'))}; ` +
    `MRR from ${money(cents(first.mrr_end - first.net))} to ${money(last.mrr_end)}`
  );
}

// Sets both axes of the movements chart so that their zeros are level: the MRR line then never dips into the
// losses below the zero line, where a right axis starting at its own zero would draw it.
function alignZeros(days) {
  const sum = (d, sign) => movementKinds.reduce((s, { key }) => s + (Math.sign(d[key]) === sign ? d[key] : 0), 0);
  const up = Math.max(1, ...days.map((d) => sum(d, 1))) * 1.1;
  const down = Math.min(0, ...days.map((d) => sum(d, -1))) * 1.1;
  const mrrMax = Math.max(1, ...days.map((d) => d.mrr_end)) * 1.1;
  const { y, mrr } = charts.movements.options.scales;
  Object.assign(y, { min: down, max: up });
  Object.assign(mrr, { min: (mrrMax * down) / up, max: mrrMax });
}

function renderMovements({ today, by_day: byDay }) {
  for (const { key } of movementKinds) setText(`mv-${key}`, signedMoney(today[key]));
  setText('mv-net', signedMoney(today.net));
  const days = byDay.slice(firstDayShown(byDay));
  const bars = movementKinds.map(({ key, label, color }) => ({
    label,
    backgroundColor: color,
    stack: 'movements',
    order: 2,
    data: days.map((d) => d[key]),
  }));
  const line = {
    type: 'line',
    label: 'MRR at end of day',
    yAxisID: 'mrr',
    order: 1,
    borderColor: mrrLineColor,
    backgroundColor: mrrLineColor,
    borderWidth: 2,
    pointRadius: 0,
    data: days.map((d) => d.mrr_end),
  };
  alignZeros(days);
  show(
    charts.movements,
    days.map((d) => dayLabel(d.date)),
    [...bars, line],
    describeMovements(days),
  );
  setText('movements-caption', `Movements per day and MRR at the end of each day, last ${days.length} days (${base})`);
}

function renderCharts(m) {
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
  setText('mrr-plan-caption', `MRR by plan (${base})`);
  show(
    charts.mrrByPlan,
    plans.map(([plan]) => plan),
    [{ label: 'MRR', backgroundColor: palette[1], data: plans.map(([, v]) => v) }],
    describePairs(
      'MRR by plan',
      plans.map(([plan, v]) => [plan, money(v)]),
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
}

function renderPipeline(m) {
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

function render(m) {
  const now = Date.now();
  const rate = previous ? Math.max(0, (m.totals.processed - previous.processed) / ((now - previous.at) / 1000)) : 0;
  previous = { processed: m.totals.processed, at: now };
  base = m.subscriptions.currency;

  renderTiles(m, rate);
  renderCurrencies(m.subscriptions);
  renderMovements(m.subscriptions.movements);
  renderCharts(m);
  renderPipeline(m);
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

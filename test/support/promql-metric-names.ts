// Which metric names PromQL expressions select, and which names a /metrics scrape exports: the alert rules'
// and the Grafana dashboard's tests compare the two, so neither can name a metric the receiver never exports.

// PromQL words that are not metric names: keywords, aggregation modifiers and set operators.
const promqlWords = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'inf',
  'nan',
]);

/** The metric names a PromQL expression selects: identifiers outside strings, matchers, ranges and label lists. */
export function metricNames(expression: string): string[] {
  const bare = expression
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  return [...bare.matchAll(/(?<![\w:.])[a-zA-Z_:][\w:]*(?![\w:]|\s*\()/g)]
    .map(([name]) => name)
    .filter((name) => !promqlWords.has(name.toLowerCase()));
}

/** Every series name a /metrics text exports, from its `# TYPE` lines (histograms as _bucket, _sum, _count). */
export function exportedMetricNames(metricsText: string): Set<string> {
  const names = new Set<string>();
  for (const [, name = '', type] of metricsText.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    if (type === 'histogram' || type === 'summary') {
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    } else names.add(name);
  }
  return names;
}

import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse as parseDotenv } from 'dotenv';
import { configDefault, configDescription, configTable, configVariables, loadConfig } from '../libs/config/index.js';

// The configuration is documented in three places besides the schema (libs/config/config-schema.ts), which is
// the source of truth: README.md's "## Configuration" table (generated: configTable()), config/.env.example
// (hand-written comments, but exactly the schema's variables with their defaults) and the error messages.
// When a test here fails after a schema change, paste configTable()'s output (shown in the diff) into README.md
// and add/adjust the variable in config/.env.example.

const readme = readFileSync('README.md', 'utf8');
const envExamplePath = 'config/.env.example';
const envExample = readFileSync(envExamplePath, 'utf8');

function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README.md has no "## ${title}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The first markdown table of a text: its contiguous `|` lines. */
function firstTable(text: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  const rows = [];
  for (let i = start; i >= 0 && i < lines.length && lines[i]!.startsWith('|'); i++) rows.push(lines[i]!);
  return rows.join('\n');
}

/** The README/.env.example spelling of a variable's default. */
const expectedDefaults = Object.fromEntries(configVariables.map((name) => [name, configDefault(name)]));

describe('README "## Configuration" table', () => {
  const table = firstTable(section('Configuration'));

  it('lists exactly the schema variables, each once, in schema order, with their defaults', () => {
    const rows = table
      .split('\n')
      .slice(2)
      .map((row) => row.split(' | ').map((cell) => cell.replace(/^\| /, '')));
    expect(rows.map(([name]) => name)).toEqual(configVariables.map((name) => `\`${name}\``));
    const shown = (value: unknown) =>
      value === undefined ? '(unset)' : value === '' ? '`""`' : `\`${String(value)}\``;
    expect(Object.fromEntries(rows.map(([name, value]) => [name!.replaceAll('`', ''), value]))).toEqual(
      Object.fromEntries(Object.entries(expectedDefaults).map(([name, value]) => [name, shown(value)])),
    );
  });

  it('is the table generated from the schema (configTable()), so descriptions and limits match too', () => {
    expect(table).toBe(configTable());
  });
});

describe('config/.env.example', () => {
  const assignments = envExample.split('\n').flatMap((line) => /^(DAY15_[A-Z0-9_]+)=/.exec(line)?.[1] ?? []);

  it('assigns exactly the schema variables, each once', () => {
    expect([...assignments].sort()).toEqual([...configVariables].sort());
  });

  it('sets each to its schema default (empty where the schema has none)', () => {
    const values = parseDotenv(envExample);
    expect(values).toEqual(
      Object.fromEntries(
        Object.entries(expectedDefaults).map(([name, value]) => [name, value === undefined ? '' : String(value)]),
      ),
    );
  });

  it('mentions, also in its comments, only known variables', () => {
    const mentioned = new Set(envExample.match(/DAY15_[A-Z0-9_]+/g));
    expect([...mentioned].filter((name) => !configVariables.some((known) => known === name))).toEqual([]);
  });

  it('used as it is, configures exactly the defaults', () => {
    const noFile = join(tmpdir(), 'day15-no-such-file.env');
    expect(loadConfig({ env: {}, envFile: envExamplePath })).toEqual(loadConfig({ env: {}, envFile: noFile }));
  });
});

it('every schema variable carries its doc text', () => {
  expect(configVariables.filter((name) => configDescription(name).trim() === '')).toEqual([]);
});

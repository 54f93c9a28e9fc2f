// The configuration documentation, generated from configSchema so it cannot drift from what loadConfig does:
// test/config-docs.test.ts checks that README.md's "## Configuration" table is exactly configTable().
import { configSchema, configVariables, describeAllowed, type ConfigVariable } from './config-schema.js';

/** A variable's default from the schema, or undefined when it has none (the variable is then optional). */
export function configDefault(name: ConfigVariable): string | number | boolean | undefined {
  const schema = configSchema.properties[name];
  return 'default' in schema ? schema.default : undefined;
}

/** A variable's doc text from the schema (markdown, one line). */
export function configDescription(name: ConfigVariable): string {
  return configSchema.properties[name].description;
}

/**
 * The README's configuration table (markdown, one row per variable in schema order, no trailing newline):
 * variable, default (`(unset)` when there is none, `""` for the empty string), what it accepts, meaning.
 */
export function configTable(): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const shownDefault = (name: ConfigVariable): string => {
    const value = configDefault(name);
    if (value === undefined) return '(unset)';
    return value === '' ? '`""`' : `\`${String(value)}\``;
  };
  return [
    '| variable | default | allowed | meaning |',
    '|---|---|---|---|',
    ...configVariables.map(
      (name) =>
        `| \`${name}\` | ${shownDefault(name)} | ${cell(describeAllowed(name, { markdown: true }))} | ${cell(configDescription(name))} |`,
    ),
  ].join('\n');
}

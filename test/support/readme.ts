import { readFileSync } from 'node:fs';

/** README.md as committed: its sections and code blocks, for tests that run what it documents. */
export const readme = readFileSync('README.md', 'utf8');

/** The text of `## <title>` up to the next `## ` heading. */
export function section(title: string): string {
  const start = readme.indexOf(`## ${title}`);
  if (start < 0) throw new Error(`README.md has no "## ${title}" section`);
  return readme.slice(start, readme.indexOf('\n## ', start + 3));
}

/** The contents of the fenced code blocks of one language (e.g. `bash`) in `text`, in order. */
export function codeBlocks(text: string, language: string): string[] {
  return [...text.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1] ?? '');
}

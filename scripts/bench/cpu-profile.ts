import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One function's share of a process's samples, by self time (the time spent in it, not in its callees). */
export interface ProfileFrame {
  readonly name: string;
  /** Where the function is: a project path, a Node.js module or a package name; for a native one, its caller. */
  readonly where: string;
  /** Self samples as a share of all samples, in percent. */
  readonly selfPercent: number;
}

interface CpuProfileNode {
  id: number;
  hitCount?: number;
  children?: number[];
  callFrame: { functionName: string; url: string };
}

/** The `top` functions by self time in a `.cpuprofile` file written by `node --cpu-prof`. */
export function topFrames(file: string, top: number): ProfileFrame[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: CpuProfileNode[] };
  const parents = new Map<number, CpuProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node);
  // The file or package only: tsx's transpiled project files have no line numbers of their source.
  const placeOfNode = (node: CpuProfileNode | undefined): string =>
    node?.callFrame.url ? placeOf(node.callFrame.url) : '';
  const selfHits = new Map<string, { name: string; where: string; hits: number }>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    total += hits;
    const { functionName } = node.callFrame;
    // A native function (a system call, a V8 builtin) has no place of its own: name who called it.
    const caller = parents.get(node.id);
    const where =
      placeOfNode(node) ||
      (caller && caller.callFrame.functionName !== '(root)'
        ? `from ${caller.callFrame.functionName || '(anonymous)'} ${placeOfNode(caller)}`.trim()
        : '');
    const key = `${functionName}@${where}`;
    const entry = selfHits.get(key) ?? { name: functionName || '(anonymous)', where, hits: 0 };
    entry.hits += hits;
    selfHits.set(key, entry);
  }
  return [...selfHits.values()]
    .sort((a, b) => b.hits - a.hits)
    .slice(0, top)
    .map(({ name, where, hits }) => ({ name, where, selfPercent: total === 0 ? 0 : (100 * hits) / total }));
}

/** A package name for dependencies (node_modules/<package>/…), else the path relative to the project. */
function placeOf(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  if (inPackage) return inPackage[1] ?? path;
  return path.startsWith('/') ? relative(process.cwd(), path) : path;
}

/** The main thread's profile in a folder written by `node --cpu-prof` (CPU.<date>.<time>.<pid>.<thread 0>.<n>). */
export function mainThreadProfile(dir: string): string {
  const file = readdirSync(dir).find((name) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(name));
  if (file === undefined) throw new Error(`no main-thread CPU profile in ${dir}`);
  return join(dir, file);
}

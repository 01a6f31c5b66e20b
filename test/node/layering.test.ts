// The layers, proved from the import graph: the page (src/ui, src/main.ts) and storage never load a
// module that loads TensorFlow.js (only the engine worker does); the engine and the contract load
// no Svelte, idb, DOM or postMessage, so they run unchanged in Node and in the worker; the contract
// loads no TensorFlow.js. The built output is checked by scripts/check-page-chunks.mjs.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const SRC = join(ROOT, 'src');

interface Module {
  /** Relative imports, resolved to files under src/. */
  files: string[];
  /** Bare package imports, such as '@tensorflow/tfjs' or 'idb'. */
  packages: string[];
  /** The source without comments. */
  code: string;
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/**
 * The specifiers a module loads at run time: `import ... from`, `import '...'`, `export ... from`
 * and `import('...')`. `import type` and `export type` are erased by the compiler and left out.
 */
function specifiers(code: string): string[] {
  const out: string[] = [];
  const staticForm = /\b(import|export)\s+(type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]/g;
  for (const m of code.matchAll(staticForm)) if (m[2] === undefined) out.push(m[3]);
  for (const m of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]);
  return out;
}

function resolveFile(from: string, spec: string): string {
  const base = resolve(dirname(from), spec.replace(/\?.*$/, ''));
  for (const candidate of [base, `${base}.ts`, `${base}.svelte.ts`, join(base, 'index.ts')])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  throw new Error(`${relative(ROOT, from)} imports ${spec}, which resolves to no file`);
}

const modules = new Map<string, Module>();

function moduleOf(file: string): Module {
  let m = modules.get(file);
  if (m === undefined) {
    const code = stripComments(readFileSync(file, 'utf8'));
    const specs = specifiers(code);
    m = {
      files: specs.filter((s) => s.startsWith('.')).map((s) => resolveFile(file, s)),
      packages: specs.filter((s) => !s.startsWith('.')),
      code,
    };
    modules.set(file, m);
  }
  return m;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|svelte)$/.test(e.name) ? [path] : [];
  });
}

/** Every module `file` loads, directly or through others, each with the chain that reaches it. */
function reachable(file: string): Map<string, string[]> {
  const chains = new Map<string, string[]>([[file, [file]]]);
  const queue = [file];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const next of moduleOf(current).files) {
      if (chains.has(next)) continue;
      chains.set(next, [...chains.get(current)!, next]);
      queue.push(next);
    }
  }
  return chains;
}

const isTfjs = (pkg: string) => pkg.startsWith('@tensorflow/');
const show = (chain: string[]) => chain.map((f) => relative(ROOT, f)).join(' -> ');

/** Each way `roots` reach a module that imports a package matching `bad`, as a readable chain. */
function chainsTo(roots: string[], bad: (pkg: string) => boolean): string[] {
  const found: string[] = [];
  for (const root of roots)
    for (const [file, chain] of reachable(root)) {
      const pkg = moduleOf(file).packages.find(bad);
      if (pkg !== undefined) found.push(`${show(chain)} imports ${pkg}`);
    }
  return found;
}

const page = [...sourceFiles(join(SRC, 'ui')), join(SRC, 'main.ts')];
const storage = sourceFiles(join(SRC, 'storage'));
const engine = sourceFiles(join(SRC, 'engine'));
const contract = sourceFiles(join(SRC, 'contract'));

describe('the import graph', () => {
  it('parses the forms of import it must follow, and leaves out type-only ones', () => {
    const code = `import a from './a';\nimport type { B } from './b';\nimport { c,\n  d } from "./c";\nimport './d';\nexport { e } from './e';\nexport type { F } from './f';\nexport * from './g';\nconst h = await import('./h');`;
    expect(specifiers(code)).toEqual(['./a', './c', './d', './e', './g', './h']);
  });

  it('finds TensorFlow.js where it is: the engine worker reaches it (so the checks below are not vacuous)', () => {
    expect(chainsTo([join(SRC, 'workers/engine.worker.ts')], isTfjs).length).toBeGreaterThan(0);
  });

  it('the page and storage load no module that loads TensorFlow.js', () => {
    expect(page.length).toBeGreaterThan(10);
    expect(storage.length).toBeGreaterThan(5);
    expect(chainsTo([...page, ...storage], isTfjs)).toEqual([]);
  });

  it('storage imports nothing from src/workers', () => {
    const workers = join(SRC, 'workers');
    const bad = storage.flatMap((f) =>
      moduleOf(f)
        .files.filter((d) => d.startsWith(workers))
        .map((d) => show([f, d])),
    );
    expect(bad).toEqual([]);
  });

  it('the contract loads no TensorFlow.js', () => {
    expect(contract.length).toBeGreaterThan(3);
    expect(chainsTo(contract, isTfjs)).toEqual([]);
  });

  it('the engine and the contract load no Svelte, idb, DOM or postMessage, and nothing from the page, storage or workers', () => {
    const inside = [join(SRC, 'engine'), join(SRC, 'contract')];
    const problems: string[] = [];
    for (const root of [...engine, ...contract])
      for (const [file, chain] of reachable(root)) {
        const m = moduleOf(file);
        if (!inside.some((dir) => file.startsWith(dir)))
          problems.push(`${show(chain)}: outside the engine and contract`);
        const pkg = m.packages.find((p) => p === 'svelte' || p.startsWith('svelte/') || p === 'idb');
        if (pkg !== undefined) problems.push(`${show(chain)} imports ${pkg}`);
        if (file.endsWith('.svelte') || file.endsWith('.svelte.ts')) problems.push(`${show(chain)}: a Svelte module`);
        const dom = /\b(document|window)\.|\bpostMessage\b|\bindexedDB\b/.exec(m.code);
        if (dom !== null) problems.push(`${show(chain)} uses ${dom[0]}`);
      }
    expect([...new Set(problems)]).toEqual([]);
  });
});

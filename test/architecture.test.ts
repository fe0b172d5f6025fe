// Why this test? The layers point down only (STYLE.md): cli -> package entry -> properties,
// counterexamples -> model -> explorer. An import that points up is a design error, caught here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  const abs = join(root, dir);
  let entries: string[];
  try {
    entries = readdirSync(abs);
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const p = join(abs, e);
    if (statSync(p).isDirectory()) return sources(join(dir, e));
    return e.endsWith('.ts') ? [p] : [];
  });
}

/** The top-level folders a file imports from (relative imports only). */
function importedFolders(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/from\s+'(\.[^']+)'/g)) {
    const target = relative(root, join(file, '..', m[1]!));
    out.push(target.split('/')[0]!);
  }
  return out;
}

const rules: Record<string, readonly string[]> = {
  explorer: ['explorer'],
  model: ['model', 'explorer'],
  properties: ['properties', 'model', 'explorer'],
  counterexamples: ['counterexamples', 'explorer'],
};

describe('layering', () => {
  for (const [folder, allowed] of Object.entries(rules)) {
    it(`${folder}/ imports only from ${allowed.join(', ')}`, () => {
      const bad = sources(folder).flatMap((f) =>
        importedFolders(f)
          .filter((t) => !allowed.includes(t))
          .map((t) => `${relative(root, f)} imports ${t}/`),
      );
      expect(bad).toEqual([]);
    });
  }

  // The package entry (catalog, design extension, design files, test helpers, orderings) sits above the
  // model's layers and below the CLI; nothing but cli/ itself imports cli/.
  const entry = ['index.ts', 'catalog.ts', 'extend.ts', 'designFile.ts', 'designFileHooks.ts', 'testing.ts', 'orderings.ts'];
  it(`the package entry (${entry.join(', ')}) imports only the layers below it`, () => {
    const allowed = ['explorer', 'model', 'properties', 'counterexamples', ...entry.map((f) => f.replace(/\.ts$/, '.js'))];
    const bad = entry.flatMap((f) =>
      importedFolders(join(root, f))
        .filter((t) => !allowed.includes(t))
        .map((t) => `${f} imports ${t}`),
    );
    expect(bad).toEqual([]);
  });

  it('nothing outside cli/ imports cli/', () => {
    const files = [...['explorer', 'model', 'properties', 'counterexamples', 'bench', 'scripts'].flatMap((d) => sources(d)), ...entry.map((f) => join(root, f))];
    const bad = files.filter((f) => importedFolders(f).includes('cli')).map((f) => relative(root, f));
    expect(bad).toEqual([]);
  });

  // The model's kernel internals (model/internal/) call each other downwards: core mm reaches gntdev
  // and gntalloc through their entry points, and the Xen and p2m helpers sit below both. A cycle
  // between two of these files means a helper lives in the wrong one.
  it('model/internal/ has no import cycle', () => {
    const dir = join(root, 'model', 'internal');
    const files = sources('model/internal').map((f) => relative(dir, f));
    const edges = new Map(
      files.map((f) => {
        const text = readFileSync(join(dir, f), 'utf8');
        const to = [...text.matchAll(/from\s+'\.\/([^']+)\.js'/g)].map((m) => `${m[1]}.ts`).filter((t) => files.includes(t));
        return [f, to] as const;
      }),
    );
    const cycles: string[] = [];
    const visit = (f: string, path: readonly string[]): void => {
      for (const t of edges.get(f) ?? []) {
        if (t === path[0]) cycles.push([...path, t].join(' -> '));
        else if (!path.includes(t) && t > path[0]!) visit(t, [...path, t]);
      }
    };
    for (const f of files) visit(f, [f]);
    expect(files.length).toBeGreaterThan(5);
    expect(cycles).toEqual([]);
  });

  it('the explorer has files to check (the rule is not vacuous)', () => {
    expect(sources('explorer').length).toBeGreaterThan(5);
  });
});

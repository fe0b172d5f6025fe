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

  it('the explorer has files to check (the rule is not vacuous)', () => {
    expect(sources('explorer').length).toBeGreaterThan(5);
  });
});

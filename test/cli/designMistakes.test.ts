// Why this test? A design file is code a user writes; each mistake in it must come back as exit 2 and
// one line that names the file, the field and the fix, never an "internal error" or a silent exit 0
// (two properties of one name used to pass). Instead of a list of instances, a generator of
// mistakes: fast-check picks a field of defineDesign and a wrong thing to put there (a builder that
// throws, a wrong type, a duplicate), writes the file and runs the built CLI on it.
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuilt, tempDir } from './helpers.js';

/** A wrong value that is not a function or an array. */
const junk = fc.constantFrom('5', "'text'", 'null', '{}', 'true', '[1, 2]');
const notArray = fc.constantFrom('5', "'text'", 'null', '{}', 'true', 'undefined');

/** One mistake: the text of the field in the definition, and the words the message must name. */
const mistakes: fc.Arbitrary<{ readonly field: string; readonly names: RegExp }> = fc.oneof(
  fc.constantFrom('do_exit', 'unmap_vmas', 'gntdev_mmap').map((k) => ({ field: `rules: { ${k}: () => { throw new Error('boom'); } }`, names: new RegExp(`rules\\.${k} threw while building its rule \\(boom\\)`) })),
  fc.tuple(fc.constantFrom('do_exit', 'munmap'), junk).map(([k, v]) => ({ field: `rules: { ${k}: () => (${v}) as any }`, names: new RegExp(`rules\\.${k} must return \\{ guard`) })),
  fc.tuple(fc.constantFrom('do_exit', 'munmap'), junk).map(([k, v]) => ({ field: `rules: { ${k}: (${v}) as any }`, names: new RegExp(`rules\\.${k} must be a function`) })),
  fc.constant({ field: "properties: () => { throw new Error('boom'); }", names: /properties\(\) threw \(boom\)/ }),
  notArray.map((v) => ({ field: `properties: () => (${v}) as any`, names: /properties\(\) returned .*, not an array/ })),
  junk.map((v) => ({ field: `properties: () => [(${v}) as any]`, names: /properties\(\)\[0\] is .*, not a property/ })),
  fc.constantFrom('a', 'same name').map((n) => ({ field: `properties: () => [always('${n}', () => true), always('${n}', () => true)]`, names: new RegExp(`properties\\(\\) returns two properties named '${n}'`) })),
  fc.constant({ field: "properties: () => [always('TypeOK', () => true)]", names: /property 'TypeOK' is already a property of the model/ }),
  fc.constantFrom('gnttabUnmapRefs', 'unmapGrantPages').map((k) => ({ field: `kernel: { ${k}: () => { throw new Error('boom'); } }`, names: new RegExp(`kernel\\.${k} threw while building its replacement \\(boom\\)`) })),
  fc.tuple(fc.constantFrom('gnttabUnmapRefs', 'unmapGrantPages'), junk).map(([k, v]) => ({ field: `kernel: { ${k}: () => (${v}) as any }`, names: new RegExp(`kernel\\.${k} must return the replacement function`) })),
  fc.constantFrom('gnttabUnmapRef', 'nope').map((k) => ({ field: `kernel: { ${k}: (f: any) => f } as any`, names: new RegExp(`unknown kernel internal '${k}'`) })),
  fc.constantFrom("'huge'", '5', 'null').map((v) => ({ field: `defaultConfig: ${v} as any`, names: /defaultConfig .* is not a configuration; give one of/ })),
  junk.map((v) => ({ field: `actions: (${v}) as any`, names: /actions must be a function/ })),
  fc.constantFrom('exitStep', 'unpin').map((k) => ({ field: `points: { ${k}: 1 } as any`, names: new RegExp(`unknown variation point '${k}'`) })),
  junk.map((v) => ({ field: `ghost: { n: (${v}) as any }`, names: /ghost variable 'n' needs \{ layout, initial \}/ })),
);

describe('design-file mistakes: exit 2, one line naming the file and the field (the built CLI)', () => {
  it('every generated mistake', () => {
    const dir = tempDir('grantcheck-mistakes-');
    let n = 0;
    fc.assert(
      fc.property(mistakes, ({ field, names }) => {
        const file = join(dir, `mistake${n++}.ts`);
        writeFileSync(file, `import { always, defineDesign } from 'grantcheck';\nexport default defineDesign({ base: 'gntdev-2022', name: 'mistaken', summary: 'a design with a mistake', ${field} });\n`);
        const r = runBuilt(['check', '--design-file', file, '--config', 'tiny', '--quiet', '--max-states', '2000']);
        expect(r.code, `${field}: ${r.stderr}`).toBe(2);
        expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
        expect(r.stderr).toContain(file);
        expect(r.stderr).toMatch(names);
        expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
        expect(r.stdout).toBe('');
      }),
      { numRuns: 24, seed: 20 },
    );
  });
});

// Why this test? The CLI's output is an interface: people read it, scripts parse it, docs quote
// it. test/cli/transcripts.md is a literate suite in the manner of Quint's io-cli-tests.md: each
// section runs the built CLI and shows its exit code, stdout and stderr, with durations and temporary
// paths normalised. A changed line is a reviewed change: regenerate the file with
// GRANTCHECK_UPDATE_TRANSCRIPTS=1 npx vitest run test/cli/transcripts.test.ts and read the diff.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runBuilt, tempDir } from './helpers.js';

const FILE = join(root, 'test/cli/transcripts.md');
const FENCE = '```';

interface Section {
  readonly title: string;
  /** The text before the command (heading and intent). */
  readonly intro: string;
  readonly command: string;
  readonly exit: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Splits the file into its preamble and sections. */
function parse(text: string): { preamble: string; sections: Section[] } {
  const parts = text.split(/^(?=## )/m);
  const preamble = parts.shift()!;
  const sections = parts.map((p): Section => {
    const title = p.split('\n')[0]!.slice(3).trim();
    const block = (lang: string): string | undefined => {
      const m = new RegExp(`^${FENCE}${lang}\\n([\\s\\S]*?)^${FENCE}$`, 'm').exec(p);
      return m?.[1];
    };
    const command = block('sh')?.trim();
    if (!command) throw new Error(`transcripts.md: section '${title}' has no \`\`\`sh block`);
    const exit = /^exit (\d+)$/m.exec(p);
    if (!exit) throw new Error(`transcripts.md: section '${title}' has no 'exit N' line`);
    return { title, intro: p.slice(0, p.indexOf(`${FENCE}sh`)), command, exit: Number(exit[1]), stdout: block('stdout') ?? '', stderr: block('stderr') ?? '' };
  });
  return { preamble, sections };
}

function format(preamble: string, sections: readonly Section[]): string {
  return (
    preamble +
    sections
      .map((s) => {
        const out = [s.intro.trimEnd(), '', `${FENCE}sh`, s.command, FENCE, '', `exit ${s.exit}`, ''];
        if (s.stdout) out.push(`${FENCE}stdout`, s.stdout.trimEnd(), FENCE, '');
        if (s.stderr) out.push(`${FENCE}stderr`, s.stderr.trimEnd(), FENCE, '');
        return out.join('\n');
      })
      .join('\n')
  );
}

/** Shell-like words: spaces separate, single or double quotes group. */
function words(command: string): string[] {
  const out: string[] = [];
  for (const m of command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

/** What differs run to run: durations, rates, temporary directories. */
export function normalise(text: string, out: string): string {
  return text
    .split(out)
    .join('$OUT')
    .replace(/\b\d+\.\d{2} s, [\d,]+ distinct states\/s/g, '<t> s, <n> distinct states/s')
    .replace(/\b\d+\.\d{2} s, [\d,]+ steps\/s/g, '<t> s, <n> steps/s')
    .replace(/"(durationMs|statesPerSecond|generatedPerSecond|stepsPerSecond)": [\d.]+/g, '"$1": 0')
    .replace(/Checked in [\d.]+ s\./g, 'Checked in <t> s.');
}

const { preamble, sections } = parse(readFileSync(FILE, 'utf8'));
const update = process.env.GRANTCHECK_UPDATE_TRANSCRIPTS === '1';
const results: Section[] = [];

describe('CLI transcripts (test/cli/transcripts.md)', () => {
  for (const s of sections) {
    it(s.title, () => {
      const out = tempDir();
      const args = words(s.command);
      if (args[0] !== 'grantcheck') throw new Error(`transcripts.md: '${s.title}' must run grantcheck`);
      const r = runBuilt(args.slice(1).map((a) => a.replace('$OUT', out)));
      const got: Section = { ...s, exit: r.code, stdout: normalise(r.stdout, out), stderr: normalise(r.stderr, out) };
      results.push(got);
      if (update) return;
      expect({ exit: got.exit, stdout: got.stdout.trimEnd(), stderr: got.stderr.trimEnd() }).toEqual({ exit: s.exit, stdout: s.stdout.trimEnd(), stderr: s.stderr.trimEnd() });
    });
  }
  if (update) {
    it('rewrites transcripts.md', () => {
      const byTitle = new Map(results.map((r) => [r.title, r]));
      writeFileSync(FILE, format(preamble, sections.map((s) => byTitle.get(s.title) ?? s)));
    });
  }
});

/**
 * `grantcheck explain PROPERTY`: what a property means, which kernel invariant it checks, the
 * regression cases behind it, the witnesses that keep it from holding vacuously, the designs it
 * applies to and their recorded outcomes.
 */
import { configByName, designs, modelOf, resolveProperty, shortNameOf } from '../catalog.js';
import { propertyRecord } from '../properties/index.js';
import type { Property } from '../explorer/index.js';
import type { Action, State } from '../model/index.js';
import { defineCommand, EXIT } from './command.js';
import { RECORDED } from './expected.js';

interface ExplainOptions {
  list: boolean;
}

/** Every property of every design on its default configuration, in first-seen order. */
function catalogProperties(): { props: Map<string, Property<State, Action>>; appliesTo: Map<string, string[]>; witnesses: Map<string, Set<string>> } {
  const props = new Map<string, Property<State, Action>>();
  const appliesTo = new Map<string, string[]>();
  const witnesses = new Map<string, Set<string>>();
  for (const d of designs) {
    const m = modelOf(d, configByName(d.defaultConfig));
    for (const p of m.properties) {
      if (p.kind === 'sometimes') {
        for (const w of p.witnessFor) (witnesses.get(w) ?? witnesses.set(w, new Set()).get(w)!).add(p.name);
        continue;
      }
      if (!props.has(p.name)) props.set(p.name, p);
      (appliesTo.get(p.name) ?? appliesTo.set(p.name, []).get(p.name)!).push(d.name);
    }
  }
  return { props, appliesTo, witnesses };
}

const KIND: Record<string, string> = {
  always: 'always (an invariant: checked in every reachable state)',
  step: 'step (checked on every transition: state, action, next state)',
  atQuiescence: 'at quiescence (checked in states where nothing is enabled)',
};

export const explainCommand = defineCommand<ExplainOptions>({
  name: 'explain',
  summary: 'what a property means, its kernel invariant, its regression cases, where it fails',
  usage: ['grantcheck explain PROPERTY', 'grantcheck explain --list'],
  description: `Explains one property: give its full name, its short name (INV-1, INV-2q, users, no-UAF) or a
unique prefix. 'deadlock' is the explorer's own check (a terminal state in which a process is alive).`,
  options: { list: { description: 'list every property with its short name' } },
  positionals: { name: 'PROPERTY', description: 'a property name, short name or unique prefix', min: 0, max: 1 },
  exitCodes: ['0  explained', '2  unknown or ambiguous property'],
  async run(o, positionals, io) {
    const { props, appliesTo, witnesses } = catalogProperties();
    const names = [...props.keys(), 'deadlock'];
    if (o.list || positionals.length === 0) {
      const w = Math.max(...names.map((n) => shortNameOf(n).length));
      io.out(`${names.map((n) => `${shortNameOf(n).padEnd(w)}  ${n}`).join('\n')}\n`);
      return EXIT.ok;
    }
    const name = resolveProperty(positionals[0]!, names);
    const short = shortNameOf(name);
    const out: string[] = [name === short ? name : `${name} (${short})`];
    const docs = propertyRecord(name);
    const p = props.get(name);
    if (name === 'deadlock') {
      out.push('  kind:       the explorer\'s deadlock check', '  meaning:    A terminal state (no action enabled) in which a process of A is still alive: something waits forever.');
    } else {
      out.push(`  kind:       ${KIND[p!.kind] ?? p!.kind}`);
      if (docs) out.push(`  invariant:  ${docs.invariant === '-' ? 'none of the numbered ones (a consistency property of the model)' : docs.invariant}`, `  meaning:    ${docs.meaning}`);
      else if (p!.description) out.push(`  meaning:    ${p!.description}`);
      if (docs) out.push(`  where:      ${docs.appliesTo}`, `  cases:      ${docs.cases.length ? docs.cases.join('; ') : 'none recorded'}`);
      const ws = [...(witnesses.get(name) ?? [])];
      out.push(`  witnesses:  ${ws.length ? ws.map((x) => `'${x}'`).join(', ') : 'none (nothing guards it against holding vacuously)'}`);
    }
    const applies = name === 'deadlock' ? designs.map((d) => d.name) : (appliesTo.get(name) ?? []);
    out.push(`  applies to: ${applies.length === designs.length ? 'every design' : `${applies.length} of ${designs.length} designs (on their default configurations)`}`);
    const violated: string[] = [];
    const holds: string[] = [];
    for (const d of applies) {
      const cell = RECORDED[d]?.outcomes[short];
      if (cell?.startsWith('CE')) violated.push(`${d} (${cell})`);
      else if (cell === 'holds') holds.push(d);
    }
    out.push(`  violated by (recorded, default configurations): ${violated.length ? violated.join(', ') : 'none'}`);
    out.push(`  holds for:  ${holds.length ? holds.join(', ') : 'none recorded'}`);
    io.out(`${out.join('\n')}\n`);
    return EXIT.ok;
  },
});

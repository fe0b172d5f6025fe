/** `grantcheck designs`: every design, with its origin, base, default configuration and what it changes. */
import { designs } from '../catalog.js';
import { defineCommand, EXIT } from './command.js';

interface DesignsOptions {
  json: boolean;
}

export const designsCommand = defineCommand<DesignsOptions>({
  name: 'designs',
  summary: 'list every design: name, era or seed, what it changes',
  usage: ['grantcheck designs [--json]'],
  description: `Lists the built-in designs in report order: each is a set of choices at the model's variation
points (model/design.ts), a kernel era or a proposal from a seed thread. docs/designs.md explains each.`,
  options: { json: { description: 'print a JSON array' } },
  exitCodes: ['0  always'],
  async run(o, _p, io) {
    if (o.json) {
      io.out(`${JSON.stringify(designs.map((d) => ({ name: d.name, origin: d.origin, base: d.base ?? null, defaultConfig: d.defaultConfig, summary: d.summary })), null, 2)}\n`);
      return EXIT.ok;
    }
    const w = Math.max(...designs.map((d) => d.name.length));
    const out: string[] = [`${designs.length} designs (grantcheck check --design NAME; docs/designs.md explains each):`, ''];
    for (const d of designs) {
      out.push(`${d.name.padEnd(w)}  ${d.summary}`);
      out.push(`${''.padEnd(w)}  ${d.origin}${d.base ? `; based on ${d.base}` : ''}; default configuration ${d.defaultConfig}`);
    }
    io.out(`${out.join('\n')}\n`);
    return EXIT.ok;
  },
});

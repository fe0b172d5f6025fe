/** TypeOK: every variable within its domain (ids in range, counters non-negative, VMAs well formed). */
import { always, type AlwaysProperty } from '../explorer/index.js';
import { NONE, type Ctx, type State } from '../model/index.js';

export function typeOk(ctx: Ctx): AlwaysProperty<State> {
  return always(
    'TypeOK',
    (s: State) => {
      const { config } = ctx;
      for (let id = 0; id < s.maps.length; id++) {
        const m = s.maps[id]!;
        if (m.users < 0) return `map ${id}: users = ${m.users} < 0`;
        if (m.liveGrants < 0) return `map ${id}: live_grants = ${m.liveGrants} < 0`;
        if (m.slots.length !== m.count || m.refs.length !== m.count) return `map ${id}: ${m.slots.length} slots for count ${m.count}`;
      }
      for (const h of s.handles) {
        const m = s.maps[h.map];
        if (!m || h.slot < 0 || h.slot >= m.count) return `handle of map ${h.map} slot ${h.slot} names no slot`;
      }
      for (let p = 0; p < s.procs.length; p++) {
        const proc = s.procs[p]!;
        if (proc.ptes.length !== config.vaPages) return `process ${p}: ${proc.ptes.length} PTEs`;
        let last = 0;
        for (const v of proc.vmas) {
          if (v.start < last || v.end <= v.start || v.end > config.vaPages) return `process ${p}: VMA [${v.start}, ${v.end}) out of order or out of range`;
          last = v.end;
          if (v.map !== NONE && !s.maps[v.map]) return `process ${p}: VMA maps nonexistent map ${v.map}`;
        }
        for (const pte of proc.ptes) {
          if (pte.apage !== undefined) {
            if (pte.kind !== 'page' || !s.alloc.pages[pte.apage]) return `process ${p}: gntalloc PTE names nonexistent page ${pte.apage}`;
          } else if (pte.kind !== 'none' && !s.maps[pte.map]) return `process ${p}: PTE names nonexistent map ${pte.map}`;
        }
      }
      for (let f = 0; f < s.files.length; f++) {
        const file = s.files[f]!;
        for (const m of file.maps) if (!s.maps[m]) return `file ${f} lists nonexistent map ${m}`;
        for (const m of file.freeable) if (!s.maps[m]) return `file ${f} lists nonexistent map ${m}`;
      }
      return allocTypeOk(s);
    },
    { description: 'every variable stays within its domain' },
  );
}

/** gntalloc's part of TypeOK: counters non-negative, ids in range. */
function allocTypeOk(s: State): true | string {
  const al = s.alloc;
  if (al.grefSize < 0) return `gref_size = ${al.grefSize} < 0`;
  for (let i = 0; i < al.pages.length; i++) if (al.pages[i]!.refs < 0) return `page ${i}: refs = ${al.pages[i]!.refs} < 0`;
  for (let id = 0; id < al.grefs.length; id++) {
    const g = al.grefs[id]!;
    if (g.state === 'freed') continue;
    if (g.users < 0) return `gref ${id}: users = ${g.users} < 0`;
    // __del_gref's head, split into steps, gives its ref (and maybe its page) up at its revoke: NONE
    const givenUp = al.delGref.queue[0] === id;
    if ((!givenUp || g.ref !== NONE) && !al.gnttab[g.ref]) return `gref ${id} names a nonexistent ref ${g.ref}`;
    if ((!givenUp || g.page !== NONE) && !al.pages[g.page]) return `gref ${id} names a nonexistent page ${g.page}`;
  }
  for (let id = 0; id < al.vmPrivs.length; id++) if (al.vmPrivs[id]!.users < 0) return `vm_priv ${id}: users = ${al.vmPrivs[id]!.users} < 0`;
  for (const id of al.grefList) if (!al.grefs[id]) return `a list links nonexistent gref ${id}`;
  for (const f of al.files) for (const id of f.list) if (!al.grefs[id]) return `a list links nonexistent gref ${id}`;
  for (const m of al.remote) if (!al.gnttab[m.ref] || !al.pages[m.page]) return `domain ${m.dom} maps a nonexistent ref ${m.ref} or page ${m.page}`;
  return true;
}

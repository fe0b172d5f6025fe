/**
 * Properties of gntdev maps: reference counting (`users`), live_grants, no use of a freed map or
 * page, physical backing restored before a page is freed (seed 000).
 */
import { always, type AlwaysProperty } from '../explorer/index.js';
import { NONE, type Ctx, type State } from '../model/index.js';

export const USERS = 'map users equals list + VMAs + in-flight unmaps';
export const LIVE_GRANTS = 'live_grants counts the handles the map holds';
export const NO_USE_AFTER_FREE = 'no use of a freed map or page';
export const BACKING = 'physical backing restored before a page is freed';

/** VMAs of the system (attached, detached by munmap, or of a failed mmap) that map gntdev map `id`. */
function vmasOfMap(s: State, id: number): number {
  let n = 0;
  for (const p of s.procs) {
    for (const v of p.vmas) if (v.map === id) n++;
    for (const v of p.op.detached) if (v.map === id) n++;
  }
  return n;
}

export function users(_ctx: Ctx): AlwaysProperty<State> {
  return always(
    USERS,
    (s: State) => {
      const maps = s.maps;
      for (let id = 0; id < maps.length; id++) {
        const m = maps[id]!;
        if (m.state !== 'live') continue;
        const listed = s.files[m.file]!.maps.includes(id) ? 1 : 0;
        const v = vmasOfMap(s, id);
        // a deferred unmap's work, or a read-side call between __unmap_grant_pages' users++ and its submission
        let inflight = 0;
        for (const u of s.inflight) if (u.map === id) inflight++;
        for (const p of s.procs) for (const r of p.readers) if (r.step === 'unmap' && r.map === id) inflight++;
        if (m.users !== listed + v + inflight) return `map ${id}: users = ${m.users}, but list ${listed} + VMAs ${v} + in-flight unmaps ${inflight} = ${listed + v + inflight}`;
      }
      return true;
    },
    { description: "a map's reference count equals its holders: priv->maps, the VMAs, the unmaps in flight" },
  );
}

export function liveGrants(_ctx: Ctx): AlwaysProperty<State> {
  return always(
    LIVE_GRANTS,
    (s: State) => {
      const maps = s.maps;
      for (let id = 0; id < maps.length; id++) {
        const m = maps[id]!;
        if (m.state !== 'live') continue;
        let held = 0;
        for (const sl of m.slots) held += (sl.user ? 1 : 0) + (sl.kernel ? 1 : 0);
        if (m.liveGrants !== held) return `map ${id}: live_grants = ${m.liveGrants} but the map holds ${held} handle(s)`;
      }
      return true;
    },
    { description: "gntdev's live_grants equals the grant handles the map holds" },
  );
}

export function noUseAfterFree(_ctx: Ctx): AlwaysProperty<State> {
  return always(
    NO_USE_AFTER_FREE,
    (s: State) => {
      const freed = (id: number) => s.maps[id]?.state === 'freed';
      for (const [f, file] of s.files.entries()) {
        for (const m of file.maps) if (freed(m)) return `file ${f}'s priv->maps still links freed map ${m}`;
        for (const m of file.freeable) if (freed(m)) return `file ${f}'s priv->freeable_maps still links freed map ${m}`;
      }
      for (let proc = 0; proc < s.procs.length; proc++) {
        const p = s.procs[proc]!;
        for (const vmas of [p.vmas, p.op.detached]) {
          for (const v of vmas) if (v.map !== NONE && freed(v.map)) return `process ${proc}'s VMA [${v.start}, ${v.end}) points at freed map ${v.map}`;
        }
      }
      for (const u of s.inflight) if (freed(u.map)) return `an async unmap of freed map ${u.map} is in flight`;
      for (let id = 0; id < s.maps.length; id++) {
        const m = s.maps[id]!;
        if (m.state === 'freed' && m.notifier === 'inserted') return `freed map ${id}'s interval notifier is still in process ${m.mmProc}'s mm`;
      }
      for (let p = 0; p < s.procs.length; p++) {
        const ptes = s.procs[p]!.ptes;
        for (let va = 0; va < ptes.length; va++) {
          const pte = ptes[va]!;
          if (pte.kind === 'page' && pte.map !== NONE && s.maps[pte.map]!.slots[pte.slot]!.page.state === 'freed') return `process ${p} page ${va} maps freed page (map ${pte.map} slot ${pte.slot})`;
        }
      }
      return true;
    },
    { description: 'nothing keeps a pointer to a freed map or maps a freed page' },
  );
}

export function backingRestored(_ctx: Ctx): AlwaysProperty<State> {
  return always(
    BACKING,
    (s: State) => {
      for (let id = 0; id < s.maps.length; id++) {
        const slots = s.maps[id]!.slots;
        for (let i = 0; i < slots.length; i++) {
          const sl = slots[i]!;
          if (sl.page.state !== 'freed') continue;
          if (sl.page.p2m === 'foreign' || sl.page.p2m === 'absent') return `map ${id} slot ${i}'s page was freed with p2m ${sl.page.p2m}: its own backing was not restored`;
          if (s.handles.some((h) => h.map === id && h.slot === i && h.kind === 'kernel')) return `map ${id} slot ${i}'s page was freed while a grant is still mapped onto it`;
        }
      }
      return true;
    },
    { description: 'a placeholder page is freed only with its p2m restored and no grant mapped onto it' },
  );
}

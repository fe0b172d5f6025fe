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

/** Every VMA of the system (attached, detached by munmap, or of a failed mmap) with its process. */
function allVmas(s: State) {
  return s.procs.flatMap((p, proc) => [...p.vmas, ...p.op.detached].map((v) => ({ proc, v })));
}

export function users(_ctx: Ctx): AlwaysProperty<State> {
  return always(
    USERS,
    (s: State) => {
      const vmas = allVmas(s);
      for (const [id, m] of s.maps.entries()) {
        if (m.state !== 'live') continue;
        const listed = s.files[m.file]!.maps.includes(id) ? 1 : 0;
        const v = vmas.filter((x) => x.v.map === id).length;
        // a deferred unmap's work, or a read-side call between __unmap_grant_pages' users++ and its submission
        const inflight = s.inflight.filter((u) => u.map === id).length + s.procs.reduce((n, p) => n + p.readers.filter((r) => r.step === 'unmap' && r.map === id).length, 0);
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
      for (const [id, m] of s.maps.entries()) {
        if (m.state !== 'live') continue;
        const held = m.slots.reduce((n, sl) => n + (sl.user ? 1 : 0) + (sl.kernel ? 1 : 0), 0);
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
      for (const { proc, v } of allVmas(s)) if (v.map !== NONE && freed(v.map)) return `process ${proc}'s VMA [${v.start}, ${v.end}) points at freed map ${v.map}`;
      for (const u of s.inflight) if (freed(u.map)) return `an async unmap of freed map ${u.map} is in flight`;
      for (const [id, m] of s.maps.entries()) if (m.state === 'freed' && m.notifier === 'inserted') return `freed map ${id}'s interval notifier is still in process ${m.mmProc}'s mm`;
      for (const [p, proc] of s.procs.entries()) {
        for (const [va, pte] of proc.ptes.entries()) {
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
      for (const [id, m] of s.maps.entries()) {
        for (const [i, sl] of m.slots.entries()) {
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

/**
 * Properties of A granting its own pages through gntalloc: INV-3 (no page freed or
 * reused before its revoke succeeded), accounting of every granted page (grefs, deferred list,
 * leaks), no leak once everything is over, the file-offset space, gref and vm_priv reference
 * counts, no use of a freed gref, and the unmap notification; with their witnesses.
 */
import { always, sometimes, type AlwaysProperty, type SometimesProperty } from '../explorer/index.js';
import { allocPageFree, gntallocOf, isFinal, remoteMappings, type Ctx, type State, type Vma } from '../model/index.js';

/** The properties' names (reports, tests and the CLI refer to them). */
export const INV3 = 'INV-3 no page freed or reused before its revoke succeeded';
export const ALLOC_ACCOUNTED = 'grefs and the deferred list account for every granted page';
export const ALLOC_NO_LEAK = 'no gntalloc leak once every process exited and the remotes unmapped';
export const ALLOC_OFFSETS = 'the gntalloc file-offset space never overlaps';
export const ALLOC_USERS = 'gref users equals list + mappings';
export const ALLOC_NO_UAF = 'no use of a freed gref or vm_priv';
export const ALLOC_NOTIFY = 'gntalloc unmap notify fires once, after the last user, clear byte before event';

/** Every gntalloc VMA of the system (attached or detached by munmap), with its process. */
function allocVmas(s: State): { proc: number; v: Vma }[] {
  return s.procs.flatMap((p, proc) => [...p.vmas, ...p.op.detached].filter((v) => v.gntalloc).map((v) => ({ proc, v })));
}

/** INV-3 (regressions.md): A may free or reuse a granted page only after the revoke of its ref succeeded. */
export function inv3(_ctx: Ctx): AlwaysProperty<State> {
  return always(
    INV3,
    (s: State) => {
      const al = s.alloc;
      for (let page = 0; page < al.pages.length; page++) {
        if (!allocPageFree(s, page)) continue;
        const m = al.remote.find((x) => x.page === page);
        if (m) return `page ${page} is free (it may be reused) while domain ${m.dom} still maps it through ref ${m.ref}`;
        const ref = al.gnttab.findIndex((e) => e.state === 'granted' && e.page === page);
        if (ref >= 0) return `page ${page} is free (it may be reused) while ref ${ref} still grants it to domain ${al.gnttab[ref]!.domid}`;
      }
      return true;
    },
    { description: 'a page granted to a remote domain is freed or reused only after the revoke of its ref succeeded' },
  );
}

/** The holders of A's pages and refs: live grefs, deferred entries, entries being allocated, leaks. */
function holders(s: State): { page: number; ref: number; what: string }[] {
  const al = s.alloc;
  return [
    ...al.grefs.flatMap((g, id) => (g.state === 'live' ? [{ page: g.page, ref: g.ref, what: `gref ${id}` }] : [])),
    ...al.deferred.map((e) => ({ ...e, what: 'a deferred entry' })),
    ...al.kmalloc.map((e) => ({ ...e, what: 'an entry being allocated' })),
    ...al.leaked.map((e) => ({ ...e, what: 'leaked_count' })),
  ];
}

/**
 * Every page reference and every granted ref has exactly one holder: a live gref, a deferred entry
 * (or one being allocated), or leaked_count; and gref_size counts the live grefs.
 */
export function allocAccounted(_ctx: Ctx): AlwaysProperty<State> {
  return always(
    ALLOC_ACCOUNTED,
    (s: State) => {
      const al = s.alloc;
      const h = holders(s);
      for (const [page, pg] of al.pages.entries()) {
        const by = h.filter((x) => x.page === page);
        if (pg.refs !== by.length) return `page ${page}: ${pg.refs} reference(s) but held by ${by.length ? by.map((x) => x.what).join(', ') : 'nothing'}`;
      }
      for (const [ref, e] of al.gnttab.entries()) {
        const by = h.filter((x) => x.ref === ref);
        if (e.state === 'granted' && by.length !== 1) return `ref ${ref} grants page ${e.page} to domain ${e.domid} but is held by ${by.length ? by.map((x) => x.what).join(', ') : 'no gref, deferred entry or leak count: lost'}`;
        if (e.state === 'free' && by.length > 0) return `ref ${ref} is on the free list but ${by[0]!.what} still holds it`;
      }
      const live = al.grefs.filter((g) => g.state === 'live').length;
      if (al.grefSize !== live) return `gref_size = ${al.grefSize} but ${live} gref(s) are live`;
      return true;
    },
    { description: 'each granted page and ref is held by exactly one of: a live gref, a deferred entry, leaked_count' },
  );
}

/**
 * Once every process has exited, every remote domain has unmapped and the deferred list is empty,
 * nothing of gntalloc holds a page or a ref. (A state condition rather than quiescence: a remote
 * domain may map a granted ref for ever, so a leaked grant never becomes quiescent.)
 */
export function allocNoLeak(_ctx: Ctx): AlwaysProperty<State> {
  return always(
    ALLOC_NO_LEAK,
    (s: State) => {
      const al = s.alloc;
      if (!isFinal(s) || al.remote.length > 0 || al.deferred.length > 0 || al.kmalloc.length > 0 || al.delGref.queue.length > 0) return true;
      const zombie = al.grefs.findIndex((g) => g.state === 'live');
      if (zombie >= 0) return `gref ${zombie} (users ${al.grefs[zombie]!.users}) still holds page ${al.grefs[zombie]!.page} and ref ${al.grefs[zombie]!.ref}: freed only by a later ALLOC_GREF or DEALLOC_GREF (do_cleanup)`;
      const leak = al.leaked[0];
      if (leak) return `${al.leaked.length} ref(s) and page(s) leaked (leaked_count), e.g. ref ${leak.ref} with page ${leak.page}`;
      const ref = al.gnttab.findIndex((e) => e.state === 'granted');
      if (ref >= 0) return `ref ${ref} still grants page ${al.gnttab[ref]!.page}, and nothing will revoke it`;
      const page = al.pages.findIndex((p) => p.refs > 0);
      if (page >= 0) return `page ${page} is still allocated`;
      return true;
    },
    { description: 'when every process has exited and the remotes unmapped, every page and ref is free' },
  );
}

/** The file offsets a file resolves (grefs on priv->list, and grefs being added) are pairwise distinct. */
export function allocOffsets(_ctx: Ctx): AlwaysProperty<State> {
  return always(
    ALLOC_OFFSETS,
    (s: State) => {
      const al = s.alloc;
      for (const [f, file] of al.files.entries()) {
        const ids = [...file.list, ...al.adding.filter((x) => x.file === f).flatMap((x) => x.grefs)];
        const seen = new Map<number, number>();
        for (const id of ids) {
          const index = al.grefs[id]!.index;
          const other = seen.get(index);
          if (other !== undefined) return `file ${f}: grefs ${other} and ${id} both hold offset ${index}`;
          seen.set(index, id);
        }
      }
      return true;
    },
    { description: "no two allocations of a gntalloc file hold the same file offset" },
  );
}

/**
 * users = [on priv->list, or being added] + the mappings of the gref (a mapping counts while a VMA
 * piece of it exists); per-VMA private data: vm_priv->users = the VMA pieces sharing it.
 */
export function allocUsers(ctx: Ctx): AlwaysProperty<State> {
  const perVma = gntallocOf(ctx.design).vmPriv === 'per-vma';
  return always(
    ALLOC_USERS,
    (s: State) => {
      const al = s.alloc;
      const vmas = allocVmas(s);
      const pieces = (priv: number) => vmas.filter((x) => x.v.gntalloc!.priv === priv).length;
      const alive = al.vmPrivs.map((_, id) => pieces(id) > 0);
      for (const [id, g] of al.grefs.entries()) {
        if (g.state !== 'live') continue;
        const listed = al.files[g.file]!.list.includes(id) || al.adding.some((x) => x.grefs.includes(id)) ? 1 : 0;
        const mappings = al.vmPrivs.filter((vp, v) => alive[v] && vp.grefs.includes(id)).length;
        if (g.users !== listed + mappings) return `gref ${id}: users = ${g.users}, but list ${listed} + mappings ${mappings} = ${listed + mappings}`;
      }
      if (perVma) {
        for (const [id, vp] of al.vmPrivs.entries()) {
          if (vp.state === 'live' && vp.users !== pieces(id)) return `vm_priv ${id}: users = ${vp.users}, but ${pieces(id)} VMA(s) share it`;
        }
      }
      return true;
    },
    { description: "a gref's users equals its holders: priv->list and each mapping of it; vm_priv users equals its VMAs" },
  );
}

/** Nothing points at a freed gref (priv->list, gref_list, a live mapping) or a freed vm_priv (a VMA). */
export function allocNoUseAfterFree(_ctx: Ctx): AlwaysProperty<State> {
  return always(
    ALLOC_NO_UAF,
    (s: State) => {
      const al = s.alloc;
      const freed = (id: number) => al.grefs[id]?.state === 'freed';
      for (const [f, file] of al.files.entries()) for (const id of file.list) if (freed(id)) return `file ${f}'s priv->list still links freed gref ${id}`;
      for (const id of al.grefList) if (freed(id)) return `gref_list still links freed gref ${id}`;
      const head = al.delGref.queue[0];
      if (head !== undefined && freed(head)) return `__del_gref goes on with gref ${head} after kfree freed it (its remaining steps read it)`;
      for (const { proc, v } of allocVmas(s)) {
        const vp = al.vmPrivs[v.gntalloc!.priv]!;
        if (vp.state === 'freed') return `process ${proc}'s VMA [${v.start}, ${v.end}) points at freed vm_priv ${v.gntalloc!.priv}`;
        const g = vp.grefs.find(freed);
        if (g !== undefined) return `process ${proc}'s VMA [${v.start}, ${v.end}) maps freed gref ${g}`;
      }
      return true;
    },
    { description: 'no list or VMA keeps a pointer to a freed gref or vm_priv' },
  );
}

/** The unmap notify: each action at most once, only after the last local user, the byte before the event. */
export function allocNotify(_ctx: Ctx): AlwaysProperty<State> {
  return always(
    ALLOC_NOTIFY,
    (s: State) => {
      for (const [id, g] of s.alloc.grefs.entries()) {
        const n = g.notify;
        if (n.cleared > 1) return `gref ${id}: the byte was cleared ${n.cleared} times`;
        if (n.sent > 1) return `gref ${id}: the event was sent ${n.sent} times`;
        if (n.early) return `gref ${id}'s notification fired while a local user remained (or the event before the byte)`;
      }
      return true;
    },
    { description: 'UNMAP_NOTIFY on a gref: once each, after the last user, CLEAR_BYTE before SEND_EVENT' },
  );
}

/** The gntalloc properties that apply to the design. */
/** Witnesses: the situations the gntalloc properties guard, which must be reachable. */
export function gntallocWitnesses(ctx: Ctx): SometimesProperty<State>[] {
  const choices = gntallocOf(ctx.design);
  const g = ctx.config.gntalloc!;
  const out: SometimesProperty<State>[] = [
    sometimes('a remote domain maps a grant before ALLOC_GREF returns', (s: State) => s.alloc.adding.some((x) => x.grefs.some((id) => remoteMappings(s, s.alloc.grefs[id]!.ref) > 0))),
    sometimes('a gref is deallocated while still mmapped', (s: State) => s.alloc.vmPrivs.some((vp) => vp.state === 'live' && vp.grefs.some((id) => !s.alloc.files[s.alloc.grefs[id]!.file]!.list.includes(id)))),
    sometimes('a file holds two allocations', (s: State) => s.alloc.files.some((f) => f.list.length >= 2)),
    sometimes('every process exited after using gntalloc, and the remotes unmapped', (s: State) => isFinal(s) && s.alloc.files.some((f) => f.state === 'released') && s.alloc.remote.length === 0 && s.alloc.deferred.length === 0),
  ];
  if (ctx.config.munmapRanges === 'any' || ctx.config.fork) {
    out.push(
      sometimes('a gntalloc mapping is shared by two VMAs (split or fork)', (s: State) => s.alloc.vmPrivs.some((_, id) => allocVmas(s).filter((x) => x.v.gntalloc!.priv === id).length >= 2)),
    );
  }
  if (choices.delGref === 'end-foreign-access') {
    out.push(
      sometimes('a still-mapped page waits on the deferred list', (s: State) => s.alloc.deferred.some((e) => remoteMappings(s, e.ref) > 0)),
      sometimes('a deferred entry can be ended (its ref is unmapped)', (s: State) => s.alloc.deferred.some((e) => remoteMappings(s, e.ref) === 0)),
    );
  } else {
    out.push(
      sometimes('a remote domain maps between the query and the revoke', (s: State) => {
        const head = s.alloc.delGref.queue[0];
        return head !== undefined && remoteMappings(s, s.alloc.grefs[head]!.ref) > 0;
      }),
    );
  }
  if (g.deferredAllocFails) out.push(sometimes('gnttab_add_deferred fails: a page and ref leak', (s: State) => s.alloc.leaked.length > 0));
  if (g.remotes > 1) out.push(sometimes('two remote domains map at once', (s: State) => new Set(s.alloc.remote.map((m) => m.dom)).size > 1));
  if (ctx.config.unmapNotify) {
    out.push(sometimes('the gntalloc unmap notify clears the byte and sends the event', (s: State) => s.alloc.grefs.some((gr) => gr.notify.cleared > 0 && gr.notify.sent > 0)));
  }
  if (choices.getOffsetForVaddr) {
    out.push(
      sometimes('GET_OFFSET_FOR_VADDR answers inside a split gntalloc mapping', (s: State) =>
        s.procs.some((p) => p.vmas.some((v) => v.gntalloc && s.alloc.vmPrivs[v.gntalloc.priv]!.count > v.end - v.start))),
    );
  }
  return out;
}

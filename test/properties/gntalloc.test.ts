// The gntalloc properties on hand-made violations (reachable states edited with immer) and on the
// states they came from: a property that cannot fail would prove nothing.
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import type { Property, Verdict } from '../../explorer/index.js';
import { configs, contextOf, designNamed, NONE, type Action, type Ctx, type State } from '../../model/index.js';
import {
  ALLOC_ACCOUNTED,
  ALLOC_NO_LEAK,
  ALLOC_NO_UAF,
  ALLOC_NOTIFY,
  ALLOC_OFFSETS,
  ALLOC_USERS,
  GET_OFFSET,
  INV3,
  propertiesFor,
} from '../../properties/index.js';
import { after } from '../model/helpers.js';

const ctxOf = (design: string, config: string): Ctx => contextOf(designNamed(design)!, configs[config]!);
const prop = (ctx: Ctx, name: string): Property<State, Action> => propertiesFor(ctx).find((p) => p.name === name)!;
function verdict(ctx: Ctx, name: string, s: State): Verdict {
  const p = prop(ctx, name);
  if (p.kind !== 'always') throw new Error(`${name} is not an invariant`);
  return p.holds(s);
}

const today = ctxOf('gntalloc-2022', 'alloc-notify');
const OPEN_ALLOC: Action[] = [
  { kind: 'gntalloc_open', p: 0 },
  { kind: 'gntalloc_ioctl_alloc', p: 0, file: 0, count: 1, dom: 0, offset: NONE },
  { kind: 'add_grefs_splice', p: 0 },
  { kind: 'gntalloc_ioctl_alloc', p: 0, file: 0, count: 1, dom: 0, offset: NONE },
  { kind: 'add_grefs_splice', p: 0 },
  { kind: 'gntalloc_mmap', p: 0, file: 0, pgoff: 0, count: 2 },
];
/** Two grefs, both mmapped by one 2-page VMA, page 0 mapped by remote domain 0. */
const mapped = after('gntalloc-2022', [...OPEN_ALLOC, { kind: 'remote_map_grant_ref', dom: 0, ref: 0 }], 'alloc-notify');

describe('gntalloc properties fail on hand-made violations and hold on the states they came from', () => {
  it('INV-3: a page freed while a remote domain maps it, or while a ref still grants it', () => {
    expect(verdict(today, INV3, mapped)).toBe(true);
    const freedMapped = produce(mapped, (d) => {
      d.alloc.pages[0]!.refs = 0;
      d.procs[0]!.ptes[0] = { kind: 'none', map: NONE, slot: NONE, special: false };
    });
    expect(verdict(today, INV3, freedMapped)).toBe('page 0 is free (it may be reused) while domain 0 still maps it through ref 0');
    const freedGranted = produce(mapped, (d) => {
      d.alloc.pages[1]!.refs = 0;
      d.procs[0]!.ptes[1] = { kind: 'none', map: NONE, slot: NONE, special: false };
    });
    expect(verdict(today, INV3, freedGranted)).toBe('page 1 is free (it may be reused) while ref 1 still grants it to domain 0');
    // a user PTE holds the page: not free yet
    const ptesOnly = produce(mapped, (d) => {
      d.alloc.pages[1]!.refs = 0;
    });
    expect(verdict(today, INV3, ptesOnly)).toBe(true);
  });

  it('INV-3 sees a page granted to two domains: both grants must be ended', () => {
    const twice = produce(mapped, (d) => {
      d.alloc.remote = [];
      d.alloc.gnttab[1] = { state: 'granted', domid: 1, page: 0, readonly: true };
      d.alloc.gnttab[0] = { state: 'free', domid: NONE, page: NONE, readonly: false };
      d.alloc.pages[0]!.refs = 0;
      d.procs[0]!.ptes[0] = { kind: 'none', map: NONE, slot: NONE, special: false };
    });
    expect(verdict(today, INV3, twice)).toBe('page 0 is free (it may be reused) while ref 1 still grants it to domain 1');
  });

  it('accounting: a page reference, a ref or gref_size without its holder', () => {
    expect(verdict(today, ALLOC_ACCOUNTED, mapped)).toBe(true);
    const lostRef = produce(mapped, (d) => {
      d.alloc.grefs[0]!.state = 'freed';
      d.alloc.grefSize = 1;
    });
    expect(verdict(today, ALLOC_ACCOUNTED, lostRef)).toBe('page 0: 1 reference(s) but held by nothing');
    const deferred = produce(lostRef, (d) => {
      d.alloc.deferred = [{ ref: 0, page: 0 }];
    });
    expect(verdict(today, ALLOC_ACCOUNTED, deferred)).toBe(true);
    const size = produce(mapped, (d) => {
      d.alloc.grefSize = 3;
    });
    expect(verdict(today, ALLOC_ACCOUNTED, size)).toBe('gref_size = 3 but 2 gref(s) are live');
    const ownerless = produce(deferred, (d) => {
      d.alloc.deferred = [];
      d.alloc.pages[0]!.refs = 0;
    });
    expect(verdict(today, ALLOC_ACCOUNTED, ownerless)).toBe('ref 0 grants page 0 to domain 0 but is held by no gref, deferred entry or leak count: lost');
  });

  it('no leak: once every process exited and the remotes unmapped, whatever is still held', () => {
    const done = produce(mapped, (d) => {
      d.procs[0]!.state = 'dead';
      d.alloc.remote = [];
    });
    expect(verdict(today, ALLOC_NO_LEAK, done)).toBe('gref 0 (users 2) still holds page 0 and ref 0: freed only by a later ALLOC_GREF or DEALLOC_GREF (do_cleanup)');
    expect(verdict(today, ALLOC_NO_LEAK, mapped)).toBe(true); // processes still run
    const leaked = produce(done, (d) => {
      for (const g of d.alloc.grefs) g.state = 'freed';
      d.alloc.leaked = [{ ref: 0, page: 0 }];
    });
    expect(verdict(today, ALLOC_NO_LEAK, leaked)).toBe('1 ref(s) and page(s) leaked (leaked_count), e.g. ref 0 with page 0');
    const waiting = produce(leaked, (d) => {
      d.alloc.deferred = d.alloc.leaked;
      d.alloc.leaked = [];
    });
    expect(verdict(today, ALLOC_NO_LEAK, waiting)).toBe(true); // the timer will end it
  });

  it('offsets: two allocations of a file at one offset', () => {
    expect(verdict(today, ALLOC_OFFSETS, mapped)).toBe(true);
    const clash = produce(mapped, (d) => {
      d.alloc.grefs[1]!.index = 0;
    });
    expect(verdict(today, ALLOC_OFFSETS, clash)).toBe('file 0: grefs 0 and 1 both hold offset 0');
  });

  it('users: a gref reference or a vm_priv reference more than the holders', () => {
    expect(verdict(today, ALLOC_USERS, mapped)).toBe(true);
    const gref = produce(mapped, (d) => {
      d.alloc.grefs[1]!.users = 3;
    });
    expect(verdict(today, ALLOC_USERS, gref)).toBe('gref 1: users = 3, but list 1 + mappings 1 = 2');
    const vp = produce(mapped, (d) => {
      d.alloc.vmPrivs[0]!.users = 2;
    });
    expect(verdict(today, ALLOC_USERS, vp)).toBe('vm_priv 0: users = 2, but 1 VMA(s) share it');
  });

  it('no use after free: a list or a VMA still pointing at a freed gref or vm_priv', () => {
    expect(verdict(today, ALLOC_NO_UAF, mapped)).toBe(true);
    const g = produce(mapped, (d) => {
      d.alloc.grefs[1]!.state = 'freed';
    });
    expect(verdict(today, ALLOC_NO_UAF, g)).toBe("file 0's priv->list still links freed gref 1");
    const vp = produce(mapped, (d) => {
      d.alloc.vmPrivs[0]!.state = 'freed';
    });
    expect(verdict(today, ALLOC_NO_UAF, vp)).toBe("process 0's VMA [0, 2) points at freed vm_priv 0");
  });

  it('notify: twice, or before the last user', () => {
    expect(verdict(today, ALLOC_NOTIFY, mapped)).toBe(true);
    const twice = produce(mapped, (d) => {
      d.alloc.grefs[0]!.notify.sent = 2;
    });
    expect(verdict(today, ALLOC_NOTIFY, twice)).toBe('gref 0: the event was sent 2 times');
    const early = produce(mapped, (d) => {
      d.alloc.grefs[0]!.notify.early = true;
    });
    expect(verdict(today, ALLOC_NOTIFY, early)).toBe("gref 0's notification fired while a local user remained (or the event before the byte)");
  });

  it('GET_OFFSET_FOR_VADDR: an answer outside the address, or outside the mapping', () => {
    const ctx = ctxOf('gntalloc-user-offsets', 'alloc-offsets');
    const s = after('gntalloc-user-offsets', OPEN_ALLOC, 'alloc-offsets');
    expect(verdict(ctx, GET_OFFSET, s)).toBe(true);
    // the VMA claims a vm_pgoff its mapping never had: the answer leaves the mapping
    const shifted = produce(s, (d) => {
      d.procs[0]!.vmas[0]!.pgoff = 1;
    });
    expect(verdict(ctx, GET_OFFSET, shifted)).toBe('process 0 page 0: the answer [1, 3) leaves the mapping [0, 2)');
    // gntdev: the map's index no longer contains the VMA's offsets
    const g = ctxOf('gntdev-2022', 'small');
    const gs = after('gntdev-2022', [
      { kind: 'gntdev_open', p: 0 },
      { kind: 'gntdev_ioctl_map_grant_ref', p: 0, file: 0, count: 2 },
      { kind: 'gntdev_mmap', p: 0, file: 0, map: 0, va: -1, fail: 'none' },
    ]);
    expect(verdict(g, GET_OFFSET, gs)).toBe(true);
    const moved = produce(gs, (d) => {
      d.procs[0]!.vmas[0]!.pgoff = 3;
    });
    expect(verdict(g, GET_OFFSET, moved)).toBe('process 0 page 0 (file offset 3): the answer [0, 2) does not contain it');
  });

  it('TypeOK covers gntalloc: a negative count, a PTE to a page that does not exist', () => {
    expect(verdict(today, 'TypeOK', mapped)).toBe(true);
    const neg = produce(mapped, (d) => {
      d.alloc.grefSize = -1;
    });
    expect(verdict(today, 'TypeOK', neg)).toBe('gref_size = -1 < 0');
    const pte = produce(mapped, (d) => {
      d.procs[0]!.ptes[0]!.apage = 9;
    });
    expect(verdict(today, 'TypeOK', pte)).toBe('process 0: gntalloc PTE names nonexistent page 9');
  });
});

describe('which gntalloc properties apply', () => {
  it('gntalloc configurations check the gntalloc properties, not gntdev ones; gntdev configurations the reverse (plus GET_OFFSET_FOR_VADDR)', () => {
    const alloc = propertiesFor(today).map((p) => p.name);
    expect(alloc).toContain(INV3);
    expect(alloc).not.toContain('INV-1 no implicit unmap');
    expect(alloc).not.toContain(GET_OFFSET); // today's gntalloc has no GET_OFFSET_FOR_VADDR, and no gntdev map
    const gntdev = propertiesFor(ctxOf('gntdev-2022', 'small')).map((p) => p.name);
    expect(gntdev).not.toContain(INV3);
    expect(gntdev).toContain(GET_OFFSET);
    expect(propertiesFor(ctxOf('gntalloc-user-offsets', 'alloc-offsets')).map((p) => p.name)).toContain(GET_OFFSET);
  });

  it('every gntalloc invariant is guarded by at least one witness', () => {
    for (const [d, c] of [
      ['gntalloc-2022', 'alloc-small'],
      ['gntalloc-2022', 'alloc-notify'],
      ['gntalloc-2011-revoke-assumed', 'alloc-small'],
      ['gntalloc-user-offsets', 'alloc-offsets'],
    ] as const) {
      const ps = propertiesFor(ctxOf(d, c));
      const guarded = new Set(ps.flatMap((p) => (p.kind === 'sometimes' ? p.witnessFor : [])));
      const invariants = ps.filter((p) => p.kind !== 'sometimes' && p.name !== 'TypeOK').map((p) => p.name);
      expect(invariants.filter((n) => !guarded.has(n))).toEqual([]);
    }
  });
});

// Each property on a hand-made violation (a reachable state edited with immer) and on the state it
// came from: a property that cannot fail would prove nothing.
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import type { Property, Verdict } from '../../explorer/index.js';
import { configs, contextOf, designNamed, designs, NONE, type Action, type Ctx, type State } from '../../model/index.js';
import { BACKING, INV1, INV2, INV2_QUIESCENCE, INV5, INV7, LIVE_GRANTS, NO_USE_AFTER_FREE, USERS, PROPERTIES, propertiesFor } from '../../properties/index.js';
import { OPEN_MAP_MMAP, after } from '../model/helpers.js';

const ctx: Ctx = contextOf(designNamed('gntdev-2022')!, configs.small!);
const props = propertiesFor(ctx);
const prop = (name: string): Property<State, Action> => props.find((p) => p.name === name)!;
const NOOP: Action = { kind: 'gntdev_open', p: 0 };

function verdict(name: string, s: State, t?: State): Verdict {
  const p = prop(name);
  if (p.kind === 'always' || p.kind === 'atQuiescence') return p.holds(s);
  if (p.kind === 'step') return p.holds(s, NOOP, t ?? s);
  throw new Error('witness');
}

const mapped = after('gntdev-2022', OPEN_MAP_MMAP);

describe('properties fail on hand-made violations and hold on the states they came from', () => {
  it('INV-1: clearing a grant PTE without the hypercall is an implicit unmap', () => {
    const t = produce(mapped, (d) => {
      d.procs[0]!.ptes[1] = { kind: 'none', map: NONE, slot: NONE, special: false };
    });
    expect(verdict(INV1, mapped, t)).toMatch(/implicitly unmapped map 0 slot 1 .*the PTE was cleared/);
    expect(verdict(INV1, mapped, mapped)).toBe(true);
    const unpinned = produce(mapped, (d) => {
      d.procs[0]!.l1[0]!.pinned = false;
    });
    expect(verdict(INV1, mapped, unpinned)).toMatch(/page table was unpinned/);
  });

  it('INV-2: a forgotten live handle is a leak; a handle the driver holds but Xen does not is stale', () => {
    const leaked = produce(mapped, (d) => {
      d.maps[0]!.slots[0]!.kernel = false;
    });
    expect(verdict(INV2, mapped, leaked)).toMatch(/dropped map 0 slot 0's kernel handle without unmapping it/);
    const stale = produce(mapped, (d) => {
      d.handles.splice(1, 1);
    });
    expect(verdict(INV2, mapped, stale)).toMatch(/holds a kernel handle Xen no longer has/);
    expect(verdict(INV2, mapped, mapped)).toBe(true);
  });

  it('INV-2 at quiescence: any live handle', () => {
    expect(verdict(INV2_QUIESCENCE, mapped)).toMatch(/4 handle\(s\) still live/);
    expect(verdict(INV2_QUIESCENCE, after('gntdev-2022', []))).toBe(true);
  });

  it('INV-5: a grant PTE in an unpinned L1', () => {
    const bad = produce(mapped, (d) => {
      d.procs[0]!.l1[0]!.pinned = false;
    });
    expect(verdict(INV5, bad)).toMatch(/in an unpinned L1/);
    expect(verdict(INV5, mapped)).toBe(true);
  });

  it('users: a reference more or less than the holders', () => {
    const bad = produce(mapped, (d) => {
      d.maps[0]!.users = 3;
    });
    expect(verdict(USERS, bad)).toBe('map 0: users = 3, but list 1 + VMAs 1 + in-flight unmaps 0 = 2');
    expect(verdict(USERS, mapped)).toBe(true);
  });

  it('live_grants: a count that does not match the handles held', () => {
    const bad = produce(mapped, (d) => {
      d.maps[0]!.liveGrants = 3;
    });
    expect(verdict(LIVE_GRANTS, bad)).toBe('map 0: live_grants = 3 but the map holds 4 handle(s)');
    expect(verdict(LIVE_GRANTS, mapped)).toBe(true);
  });

  it('no use of a freed map or page: a VMA or a list still pointing at a freed map', () => {
    const bad = produce(mapped, (d) => {
      d.maps[0]!.state = 'freed';
    });
    expect(verdict(NO_USE_AFTER_FREE, bad)).toBe("file 0's priv->maps still links freed map 0");
    const vmaOnly = produce(bad, (d) => {
      d.files[0]!.maps = [];
    });
    expect(verdict(NO_USE_AFTER_FREE, vmaOnly)).toMatch(/VMA \[0, 2\) points at freed map 0/);
    expect(verdict(NO_USE_AFTER_FREE, mapped)).toBe(true);
  });

  it('physical backing: a page freed with p2m foreign, or with a grant still mapped onto it', () => {
    const bad = produce(mapped, (d) => {
      d.maps[0]!.slots[0]!.page.state = 'freed';
    });
    expect(verdict(BACKING, bad)).toMatch(/freed with p2m foreign/);
    const restoredButMapped = produce(bad, (d) => {
      d.maps[0]!.slots[0]!.page.p2m = 'invalid';
    });
    expect(verdict(BACKING, restoredButMapped)).toMatch(/freed while a grant is still mapped onto it/);
    expect(verdict(BACKING, mapped)).toBe(true);
  });

  it('INV-7: the event sent while the byte is still mapped and not cleared; twice is too many', () => {
    const early = produce(mapped, (d) => {
      d.maps[0]!.notify = { clear: true, send: false, cleared: 0, sent: 1, early: true };
    });
    expect(verdict(INV7, early)).toBe("map 0's event was sent while its byte was still mapped and not cleared");
    const twice = produce(mapped, (d) => {
      d.maps[0]!.notify = { clear: false, send: false, cleared: 2, sent: 1, early: false };
    });
    expect(verdict(INV7, twice)).toMatch(/cleared 2 times/);
    expect(verdict(INV7, mapped)).toBe(true);
  });

  it('TypeOK: a negative counter', () => {
    const bad = produce(mapped, (d) => {
      d.maps[0]!.users = -1;
    });
    expect(verdict('TypeOK', bad)).toBe('map 0: users = -1 < 0');
    expect(verdict('TypeOK', mapped)).toBe(true);
  });
});

describe('which properties apply', () => {
  it('HVM has no INV-5; designs without SET_UNMAP_NOTIFY have no INV-7', () => {
    const hvm = propertiesFor(contextOf(designNamed('gntdev-2022-hvm')!, configs.small!)).map((p) => p.name);
    expect(hvm).not.toContain(INV5);
    const seed = propertiesFor(contextOf(designNamed('early-unpin')!, configs.small!)).map((p) => p.name);
    expect(seed).not.toContain(INV7);
    expect(seed).toContain(INV5);
  });

  it('every invariant is guarded by at least one witness', () => {
    for (const d of ['gntdev-2022', 'gntdev-2022-hvm', 'early-unpin']) {
      const ps = propertiesFor(contextOf(designNamed(d)!, configs.small!));
      const guarded = new Set(ps.flatMap((p) => (p.kind === 'sometimes' ? p.witnessFor : [])));
      const invariants = ps.filter((p) => p.kind !== 'sometimes' && p.name !== 'TypeOK').map((p) => p.name);
      expect(invariants.filter((n) => !guarded.has(n))).toEqual([]);
    }
  });
});

describe('the property records', () => {
  // Every design on every named configuration: the witnesses that exist somewhere.
  const everyCtx: Ctx[] = designs.flatMap((design) => Object.values(configs).map((config) => contextOf(design, config)));
  const witnessNames = new Set(everyCtx.flatMap((c) => propertiesFor(c).filter((p) => p.kind === 'sometimes').map((p) => p.name)));

  it('names and short names are unique', () => {
    expect(new Set(PROPERTIES.map((r) => r.name)).size).toBe(PROPERTIES.length);
    expect(new Set(PROPERTIES.map((r) => r.short)).size).toBe(PROPERTIES.length);
  });

  it("each record's witnesses exist, and each witness guards some record", () => {
    const listed = new Set(PROPERTIES.flatMap((r) => r.witnesses));
    expect([...listed].filter((w) => !witnessNames.has(w))).toEqual([]);
    expect([...witnessNames].filter((w) => !listed.has(w))).toEqual([]);
  });

  it('a witness names exactly the applicable records that list it', () => {
    for (const c of [ctx, contextOf(designNamed('gntdev-2.6.38')!, configs.small!)]) {
      const props = propertiesFor(c);
      const applicable = PROPERTIES.filter((r) => r.applies(c)).map((r) => r.name);
      expect(props.filter((p) => p.kind !== 'sometimes').map((p) => p.name)).toEqual(applicable);
      for (const w of props) {
        if (w.kind !== 'sometimes') continue;
        expect(w.witnessFor).toEqual(PROPERTIES.filter((r) => r.applies(c) && r.witnesses.includes(w.name)).map((r) => r.name));
      }
    }
  });
});

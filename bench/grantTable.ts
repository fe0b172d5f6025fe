/**
 * The shared peer benchmark: the "grant table" model of `../shared/bench` (P mapper processes, G
 * grant slots), written as a grantcheck packed model, transition for transition the Promela of
 * `bench/spin.ts` (and of `gen-pml.mjs`). Its distinct-state counts equal SPIN's (BFS, no
 * partial-order reduction): (4,3) = 363,150 and (5,3) = 4,272,210.
 *
 * State: `width = 2P + 2G` bytes, in Promela's order: pc[P] (IDLE, WANT, MAPPED, USING, UNMAP),
 * sl[P] (the slot a mapper targets, 0 when idle), st[G] (FREE, GRANTED, REVOKING), ref[G] (live
 * mappings of the slot). Everything starts at 0.
 *
 * Actions, in the order of the single-proctype Promela (SPIN's `bfs-1p` encoding): per mapper i,
 * choose(i, g) for each g, map_ok, map_fail, use, unuse, unmap_req, unmap; then per slot g, grant,
 * revoke, reclaim. Each is one atomic step (a `d_step` in Promela).
 */
// Imported from the modules that define them, not the package index: every worker thread imports
// this module, and the index would load the whole checker (fast-check included) into each one.
import { always } from '../explorer/model.js';
import { packedModel, type PackedModel } from '../explorer/packed.js';

/** An action of the grant-table model. */
export type GrantTableAction =
  | { readonly kind: 'choose'; readonly i: number; readonly g: number }
  | { readonly kind: 'map_ok' | 'map_fail' | 'use' | 'unuse' | 'unmap_req' | 'unmap'; readonly i: number }
  | { readonly kind: 'grant' | 'revoke' | 'reclaim'; readonly g: number };

/** A mapper's states and a slot's states (bench/spin.ts writes the same numbers into the Promela). */
export const IDLE = 0;
export const WANT = 1;
export const MAPPED = 2;
export const USING = 3;
export const UNMAP = 4;
export const FREE = 0;
export const GRANTED = 1;
export const REVOKING = 2;

const CHOOSE = 0;
const MAP_OK = 1;
const MAP_FAIL = 2;
const USE = 3;
const UNUSE = 4;
const UNMAP_REQ = 5;
const UNMAP_OP = 6;
const GRANT = 7;
const REVOKE = 8;
const RECLAIM = 9;

/** The grant-table model with `p` mappers and `g` slots, as a packed model. */
export function grantTable(p: number, g: number): PackedModel<GrantTableAction> {
  if (!(Number.isInteger(p) && p >= 1 && p <= 16 && Number.isInteger(g) && g >= 1 && g <= 16)) {
    throw new RangeError(`grantTable: P and G must be whole numbers in 1..16, got (${p}, ${g})`);
  }
  const SL = p;
  const ST = 2 * p;
  const REF = 2 * p + g;
  const W = 2 * p + 2 * g;
  const actions: GrantTableAction[] = [];
  const kind: number[] = [];
  const arg: number[] = [];
  const arg2: number[] = [];
  const add = (a: GrantTableAction, k: number, x: number, y = 0) => {
    actions.push(a);
    kind.push(k);
    arg.push(x);
    arg2.push(y);
  };
  for (let i = 0; i < p; i++) {
    for (let s = 0; s < g; s++) add({ kind: 'choose', i, g: s }, CHOOSE, i, s);
    add({ kind: 'map_ok', i }, MAP_OK, i);
    add({ kind: 'map_fail', i }, MAP_FAIL, i);
    add({ kind: 'use', i }, USE, i);
    add({ kind: 'unuse', i }, UNUSE, i);
    add({ kind: 'unmap_req', i }, UNMAP_REQ, i);
    add({ kind: 'unmap', i }, UNMAP_OP, i);
  }
  for (let s = 0; s < g; s++) {
    add({ kind: 'grant', g: s }, GRANT, s);
    add({ kind: 'revoke', g: s }, REVOKE, s);
    add({ kind: 'reclaim', g: s }, RECLAIM, s);
  }
  const K = Int32Array.from(kind);
  const X = Int32Array.from(arg);
  const Y = Int32Array.from(arg2);

  const copy = (s: Uint8Array, out: Uint8Array): void => {
    for (let b = 0; b < W; b++) out[b] = s[b]!;
  };

  /** Every mapper in MAPPED, USING or UNMAP points at a slot that is not FREE. */
  const mappedNotFree = (s: Uint8Array): boolean | string => {
    for (let i = 0; i < p; i++) {
      const pc = s[i]!;
      if ((pc === MAPPED || pc === USING || pc === UNMAP) && s[ST + s[SL + i]!] === FREE) return `mapper ${i} maps slot ${s[SL + i]}, which is FREE`;
    }
    return true;
  };

  return packedModel<GrantTableAction>({
    width: W,
    initStates: () => [new Uint8Array(W)],
    actions,
    next(s, ai, out) {
      const x = X[ai]!;
      switch (K[ai]) {
        case CHOOSE:
          if (s[x] !== IDLE) return false;
          copy(s, out);
          out[x] = WANT;
          out[SL + x] = Y[ai]!;
          return true;
        case MAP_OK: {
          if (s[x] !== WANT || s[ST + s[SL + x]!] !== GRANTED) return false;
          copy(s, out);
          out[REF + s[SL + x]!]!++;
          out[x] = MAPPED;
          return true;
        }
        case MAP_FAIL:
          if (s[x] !== WANT || s[ST + s[SL + x]!] === GRANTED) return false;
          copy(s, out);
          out[x] = IDLE;
          out[SL + x] = 0;
          return true;
        case USE:
          if (s[x] !== MAPPED) return false;
          copy(s, out);
          out[x] = USING;
          return true;
        case UNUSE:
          if (s[x] !== USING) return false;
          copy(s, out);
          out[x] = MAPPED;
          return true;
        case UNMAP_REQ:
          if (s[x] !== MAPPED) return false;
          copy(s, out);
          out[x] = UNMAP;
          return true;
        case UNMAP_OP:
          if (s[x] !== UNMAP) return false;
          copy(s, out);
          out[REF + s[SL + x]!]!--;
          out[x] = IDLE;
          out[SL + x] = 0;
          return true;
        case GRANT:
          if (s[ST + x] !== FREE) return false;
          copy(s, out);
          out[ST + x] = GRANTED;
          return true;
        case REVOKE:
          if (s[ST + x] !== GRANTED) return false;
          copy(s, out);
          out[ST + x] = REVOKING;
          return true;
        default:
          if (s[ST + x] !== REVOKING || s[REF + x] !== 0) return false;
          copy(s, out);
          out[ST + x] = FREE;
          return true;
      }
    },
    properties: [always('mapped slots are not free', mappedNotFree)],
    formatAction: (a) => ('i' in a ? ('g' in a ? `${a.kind}(${a.i}, ${a.g})` : `${a.kind}(${a.i})`) : `${a.kind}(${a.g})`),
    actionKind: (a) => a.kind,
    decode: (s) => ({ pc: [...s.subarray(0, p)], sl: [...s.subarray(SL, ST)], st: [...s.subarray(ST, REF)], ref: [...s.subarray(REF, W)] }),
    worker: { module: import.meta.url, exportName: 'grantTable', args: [p, g] },
  });
}

/** SPIN's distinct-state counts (BFS, -DNOREDUCE) for the configurations the bench runs. */
export const SPIN_REFERENCE_COUNTS: Readonly<Record<string, number>> = { '4,3': 363_150, '5,3': 4_272_210 };

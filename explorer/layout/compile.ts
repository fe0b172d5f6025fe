/**
 * Compiles a declared layout (schema.ts) into byte offsets and generated code: once per model,
 * never during the search.
 *
 * Byte format (fixed width; every state of a model has the same size):
 * - bool: one byte, 0 or 1;
 * - int: `value - min` as an unsigned little-endian integer of 1, 2 or 4 bytes (so the minimum,
 *   usually NONE, is all zero bytes);
 * - enum: the value's index, one byte;
 * - optional: a presence byte, then the value's room (all zero when absent);
 * - record: its fields in declaration order;
 * - list: a length byte, then `capacity` elements (unused room all zero);
 * - tuple: `length` elements.
 * Unused room is always zero, so equal values have equal bytes: the bytes are the state's identity.
 *
 * The encoder checks what it writes against the layout (a missing or undeclared field, a value past
 * its range, a list past its capacity) and throws a ModelError naming the field: the layout is
 * checked, not trusted.
 */
import { ModelError } from '../errors.js';
import type { AnyLayout, Scalar } from './schema.js';

/** A layout node with its size and, for records, its fields' offsets. */
export interface Node {
  readonly id: number;
  readonly layout: AnyLayout;
  readonly size: number;
  /** int: bytes (1, 2 or 4). */
  readonly width: number;
  /** record: fields with their offsets from the record's start. */
  readonly fields: readonly { readonly name: string; readonly node: Node; readonly off: number }[];
  /** optional, list, tuple: the inner node. */
  readonly inner: Node | undefined;
  /** list: capacity; tuple: length. */
  readonly count: number;
  /** list: 1 (the length byte); else 0. */
  readonly elemOff: number;
  /** record, optional, list, tuple. */
  readonly composite: boolean;
}

/** Builds the node tree (one node per distinct layout object: a layout reused is one node). */
export function buildNodes(root: AnyLayout): { root: Node; nodes: readonly Node[] } {
  const nodes: Node[] = [];
  const byLayout = new Map<AnyLayout, Node>();
  const visit = (l: AnyLayout, path: string, stack: Set<AnyLayout>): Node => {
    const known = byLayout.get(l);
    if (known) return known;
    if (stack.has(l)) throw new ModelError(`layout: ${path} contains itself (a layout must be finite)`);
    stack.add(l);
    let node: Node;
    const base = { id: nodes.length, layout: l, width: 0, fields: [], inner: undefined, count: 0, elemOff: 0 };
    switch (l.kind) {
      case 'bool':
      case 'enum':
        node = { ...base, size: 1, composite: false };
        break;
      case 'int': {
        const range = l.max - l.min;
        const width = range < 256 ? 1 : range < 65536 ? 2 : 4;
        node = { ...base, size: width, width, composite: false };
        break;
      }
      case 'optional': {
        const inner = visit(l.of, path, stack);
        node = { ...base, size: 1 + inner.size, inner, composite: true };
        break;
      }
      case 'record': {
        let off = 0;
        const fields = Object.entries(l.fields).map(([name, f]) => {
          const n = visit(f, `${path}.${name}`, stack);
          const field = { name, node: n, off };
          off += n.size;
          return field;
        });
        node = { ...base, size: off, fields, composite: true };
        break;
      }
      case 'list':
      case 'tuple': {
        const inner = visit(l.of, `${path}[]`, stack);
        const count = l.kind === 'list' ? l.capacity : l.length;
        const elemOff = l.kind === 'list' ? 1 : 0;
        node = { ...base, size: elemOff + count * inner.size, inner, count, elemOff, composite: true };
        break;
      }
    }
    stack.delete(l);
    // ids in creation order after the children: renumber so that ids match positions in `nodes`
    const numbered = { ...node, id: nodes.length } as Node;
    nodes.push(numbered);
    byLayout.set(l, numbered);
    return numbered;
  };
  const root0 = visit(root, 'state', new Set());
  return { root: root0, nodes };
}

/** JS source of a literal scalar. */
function lit(v: Scalar): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** JS expression reading the scalar `node` at `B[O]`. `E` is the name of the node's enum values. */
export function readExpr(node: Node, B: string, O: string): string {
  const l = node.layout;
  switch (l.kind) {
    case 'bool':
      return `(${B}[${O}] !== 0)`;
    case 'enum':
      return `E${node.id}[${B}[${O}]]`;
    case 'int': {
      const min = l.min;
      const add = min === 0 ? '' : min > 0 ? ` + ${min}` : ` - ${-min}`;
      if (node.width === 1) return `(${B}[${O}]${add})`;
      if (node.width === 2) return `((${B}[${O}] | (${B}[${O} + 1] << 8))${add})`;
      return `((((${B}[${O}] | (${B}[${O} + 1] << 8) | (${B}[${O} + 2] << 16) | (${B}[${O} + 3] << 24)) >>> 0))${add})`;
    }
    default:
      throw new Error(`readExpr: ${l.kind} is not a scalar`);
  }
}

/**
 * JS statements checking the scalar value `V` against `node` and writing it at `B[O]`; `FAIL(why)`
 * is an expression that throws (its argument is a JS expression giving the reason).
 */
export function writeStmt(node: Node, B: string, O: string, V: string, FAIL: (why: string) => string): string {
  const l = node.layout;
  switch (l.kind) {
    case 'bool':
      return `if (${V} === true) ${B}[${O}] = 1; else if (${V} === false) ${B}[${O}] = 0; else ${FAIL(`"is " + show(${V}) + ", not a boolean"`)};`;
    case 'enum': {
      const cases = l.values.map((v, i) => `case ${lit(v)}: ${B}[${O}] = ${i}; break;`).join(' ');
      return `switch (${V}) { ${cases} default: ${FAIL(`"is " + show(${V}) + ", not one of " + ${JSON.stringify(l.values.map((v) => lit(v)).join(', '))}`)}; }`;
    }
    case 'int': {
      const check = `if (!(typeof ${V} === 'number' && ${V} >= ${l.min} && ${V} <= ${l.max} && Math.floor(${V}) === ${V})) ${FAIL(`(typeof ${V} === 'number' && Math.floor(${V}) === ${V} ? "is " + ${V} + ", outside the layout's range ${l.min}..${l.max}" : "is " + show(${V}) + ", not a whole number")`)};`;
      const u = l.min === 0 ? V : `(${V} - ${l.min})`;
      if (node.width === 1) return `${check} ${B}[${O}] = ${u};`;
      if (node.width === 2) return `${check} { const u = ${u}; ${B}[${O}] = u & 255; ${B}[${O} + 1] = u >>> 8; }`;
      return `${check} { const u = ${u}; ${B}[${O}] = u & 255; ${B}[${O} + 1] = (u >>> 8) & 255; ${B}[${O} + 2] = (u >>> 16) & 255; ${B}[${O} + 3] = u >>> 24; }`;
    }
    default:
      throw new Error(`writeStmt: ${l.kind} is not a scalar`);
  }
}

/** A short description of a value for error messages. */
export function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'object') return Array.isArray(v) ? `a list of ${v.length}` : 'a record';
  if (typeof v === 'function') return 'a function';
  return String(v);
}

/** Throws the ModelError of a value that does not fit the layout at `path`. */
export function misfitError(path: string, why: string): never {
  throw new ModelError(`the state does not fit its declared layout: ${path} ${why}`);
}

/** Plain encoders and decoders of every node, generated once. */
export interface Codecs {
  /** Writes `value` (plain data, or views of the same layout) at `buf[off]`; throws a ModelError naming the field that does not fit. */
  readonly encode: readonly ((buf: Uint8Array, off: number, value: unknown, path: string) => void)[];
  /** Reads the plain value at `buf[off]`. */
  readonly decode: readonly ((buf: Uint8Array, off: number) => unknown)[];
}

/** The property under which views carry their node id (see views.ts). */
export const NODE_KEY = '$n';

/** Generates the encoders and decoders of `nodes` (indexed by node id). */
export function generateCodecs(nodes: readonly Node[]): Codecs {
  const parts: string[] = [];
  for (const n of nodes) {
    if (n.layout.kind === 'enum') parts.push(`const E${n.id} = env.enums[${n.id}];`);
  }
  const fail = (why: string) => `fail(path, ${why})`;
  for (const n of nodes) {
    const l = n.layout;
    const id = n.id;
    // encoder
    let enc: string;
    let dec: string;
    switch (l.kind) {
      case 'bool':
      case 'enum':
      case 'int':
        enc = `function enc${id}(B, O, v, path) { ${writeStmt(n, 'B', 'O', 'v', fail)} }`;
        dec = `function dec${id}(B, O) { return ${readExpr(n, 'B', 'O')}; }`;
        break;
      case 'optional':
        enc = `function enc${id}(B, O, v, path) { if (v === undefined) { for (let i = 0; i < ${n.size}; i++) B[O + i] = 0; } else { B[O] = 1; enc${n.inner!.id}(B, O + 1, v, path); } }`;
        dec = `function dec${id}(B, O) { return B[O] === 0 ? undefined : dec${n.inner!.id}(B, O + 1); }`;
        break;
      case 'record': {
        const flat = n.fields.every((f) => !f.node.composite);
        const lines: string[] = [];
        lines.push(`if (v === null || typeof v !== 'object' || Array.isArray(v)) ${fail(`"is " + show(v) + ", not a record"`)};`);
        if (flat) {
          // a view of this very record type: copy its bytes
          lines.push(`if (v.${NODE_KEY} === ${id}) { const S = v.$b, so = v.$o; for (let i = 0; i < ${n.size}; i++) B[O + i] = S[so + i]; return; }`);
        }
        lines.push('let c = 0;');
        for (const f of n.fields) {
          const at = `O + ${f.off}`;
          const fpath = `path + ${JSON.stringify('.' + f.name)}`;
          const opt = f.node.layout.kind === 'optional';
          lines.push(`{ const x = v[${JSON.stringify(f.name)}];`);
          lines.push(opt ? `if (x !== undefined) c++;` : `if (x === undefined) fail(${fpath}, "is missing"); c++;`);
          if (f.node.composite) lines.push(`enc${f.node.id}(B, ${at}, x, ${fpath}); }`);
          else lines.push(`${writeStmt(f.node, 'B', at, 'x', (why) => `fail(${fpath}, ${why})`)} }`);
        }
        // plain objects: no field the layout does not declare
        lines.push(`if (v.${NODE_KEY} === undefined) { let k = 0; for (const key in v) if (v[key] !== undefined) k++; if (k !== c) extraField(v, ${JSON.stringify(n.fields.map((f) => f.name))}, path); }`);
        enc = `function enc${id}(B, O, v, path) { ${lines.join('\n')} }`;
        dec = `function dec${id}(B, O) { return { ${n.fields.map((f) => `${JSON.stringify(f.name)}: ${f.node.composite ? `dec${f.node.id}(B, O + ${f.off})` : readExpr(f.node, 'B', `O + ${f.off}`)}`).join(', ')} }; }`;
        break;
      }
      case 'list':
      case 'tuple': {
        const e = n.inner!;
        const size = e.size;
        const eo = n.elemOff;
        const lenCheck =
          l.kind === 'list'
            ? `if (len > ${n.count}) fail(path, "has " + len + " elements, more than the layout's capacity ${n.count}"); B[O] = len;`
            : `if (len !== ${n.count}) fail(path, "has " + len + " elements, the layout says exactly ${n.count}");`;
        const elem = e.composite ? `enc${e.id}(B, at, v[i], path + "[" + i + "]");` : `{ const x = v[i]; ${writeStmt(e, 'B', 'at', 'x', (why) => `fail(path + "[" + i + "]", ${why})`)} }`;
        const zero = l.kind === 'list' ? `for (let i = O + ${eo} + len * ${size}; i < O + ${n.size}; i++) B[i] = 0;` : '';
        enc = `function enc${id}(B, O, v, path) { if (!Array.isArray(v)) fail(path, "is " + show(v) + ", not a list"); const len = v.length; ${lenCheck} for (let i = 0, at = O + ${eo}; i < len; i++, at += ${size}) ${elem} ${zero} }`;
        const lenRead = l.kind === 'list' ? 'B[O]' : String(n.count);
        const elemRead = e.composite ? `dec${e.id}(B, at)` : readExpr(e, 'B', 'at');
        dec = `function dec${id}(B, O) { const len = ${lenRead}; const out = new Array(len); for (let i = 0, at = O + ${eo}; i < len; i++, at += ${size}) out[i] = ${elemRead}; return out; }`;
        break;
      }
    }
    parts.push(enc, dec);
  }
  parts.push(`return { encode: [${nodes.map((n) => `enc${n.id}`).join(', ')}], decode: [${nodes.map((n) => `dec${n.id}`).join(', ')}] };`);
  const env = {
    enums: nodes.map((n) => (n.layout.kind === 'enum' ? n.layout.values : undefined)),
  };
  const extraField = (v: Record<string, unknown>, names: readonly string[], path: string): never => {
    const k = Object.keys(v).find((key) => v[key] !== undefined && !names.includes(key));
    return misfitError(k === undefined ? path : `${path}.${k}`, k === undefined ? 'has a field the layout does not declare' : `is not a field of the layout (its fields: ${names.join(', ')})`);
  };
  const factory = new Function('env', 'fail', 'show', 'extraField', parts.join('\n')) as (
    env: unknown,
    fail: (path: string, why: string) => never,
    s: typeof show,
    x: typeof extraField,
  ) => Codecs;
  return factory(env, misfitError, show, extraField);
}

/** A layout compiled for one model: its size and its plain codecs. */
export interface CompiledLayout<S> {
  /** Bytes per state (the layout's, rounded up to whole 32-bit words; the padding is zero). */
  readonly size: number;
  readonly root: Node;
  readonly nodes: readonly Node[];
  readonly codecs: Codecs;
  /** Writes `value` at `buf[off .. off + size)`; throws a ModelError naming the field that does not fit. */
  encode(value: S, buf: Uint8Array, off?: number): void;
  /** The plain value at `buf[off .. off + size)`. */
  decode(buf: Uint8Array, off?: number): S;
  /** Each field's offset, size and type, one line each (for docs and debugging). */
  describe(): string;
}

/**
 * Compiled layouts by structure: models with equal layouts (one configuration, several designs)
 * share one compiled layout, hence one set of generated accessors, so that V8 sees one hidden class
 * per record type however many models a process checks (a compare run checks dozens).
 */
const compiledByStructure = new Map<string, CompiledLayout<unknown>>();

/** Compiles `layout` (once per structure and process). */
export function compileLayout<S>(layout: AnyLayout): CompiledLayout<S> {
  const key = JSON.stringify(layout);
  const known = compiledByStructure.get(key);
  if (known) return known as CompiledLayout<S>;
  const compiled = compileFresh<S>(layout);
  compiledByStructure.set(key, compiled as CompiledLayout<unknown>);
  return compiled;
}

function compileFresh<S>(layout: AnyLayout): CompiledLayout<S> {
  const { root, nodes } = buildNodes(layout);
  const codecs = generateCodecs(nodes);
  const enc = codecs.encode[root.id]!;
  const dec = codecs.decode[root.id]!;
  return {
    // whole 32-bit words, so that states can be compared and hashed a word at a time
    size: (root.size + 3) & ~3,
    root,
    nodes,
    codecs,
    encode: (value, buf, off = 0) => enc(buf, off, value, 'state'),
    decode: (buf, off = 0) => dec(buf, off) as S,
    describe: () => describeNode(root, 'state', 0).join('\n'),
  };
}

function describeNode(n: Node, path: string, off: number): string[] {
  const l = n.layout;
  const here = `${String(off).padStart(5)} ${String(n.size).padStart(5)}  ${path}`;
  switch (l.kind) {
    case 'bool':
      return [`${here}: bool`];
    case 'enum':
      return [`${here}: one of ${l.values.map((v) => lit(v)).join(', ')}`];
    case 'int':
      return [`${here}: int ${l.min}..${l.max}${l.id ? ` (${l.id} id)` : ''}`];
    case 'optional':
      return [`${here}: optional`, ...describeNode(n.inner!, path, off + 1)];
    case 'record':
      return [`${here}: record`, ...n.fields.flatMap((f) => describeNode(f.node, `${path}.${f.name}`, off + f.off))];
    case 'list':
    case 'tuple':
      return [
        `${here}: ${l.kind === 'list' ? `list of at most ${n.count}` : `tuple of ${n.count}`}${l.options.indexes ? ` (indexed by ${l.options.indexes} id)` : ''}${l.options.sorted ? ' (sorted)' : ''}`,
        ...describeNode(n.inner!, `${path}[]`, off + n.elemOff),
      ];
  }
}

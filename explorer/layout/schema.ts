/**
 * A declared, bounded state layout: the shape of a model's state as data (TLA+'s TypeOK made
 * executable). Every field has a type and a bound, so a state fits a fixed number of bytes:
 * booleans and enumerations are one byte, integers take the narrowest width their range needs,
 * optional fields carry a presence byte, and lists reserve room for their capacity with a length
 * byte in front. `compileLayout` (compile.ts) turns a layout into byte offsets and accessor views
 * once per model; this file only describes shapes.
 *
 * A layout is typed by the value it describes, and the type is invariant: `record<Pte>({...})`
 * fails to compile when a field is missing, extra or of another type, so the layout cannot drift
 * from the state's TypeScript type.
 *
 * Ids (for symmetry): an integer field may say which kind of id it holds (`int(-1, 3, { id:
 * 'proc' })`), and a tuple or list may say that its positions are the ids of a kind (`indexes`).
 * `symmetry.ts` reads these declarations; nothing is guessed from names.
 */

/** A scalar value an enumeration may list. */
export type Scalar = string | number | boolean;

/** A boolean, one byte. */
export interface BoolLayout {
  readonly kind: 'bool';
}

/** An integer in [min, max]; `id` names the kind of id it holds (NONE, i.e. a negative value, is no id). */
export interface IntLayout {
  readonly kind: 'int';
  readonly min: number;
  readonly max: number;
  readonly id?: string;
}

/** One of a fixed list of scalars, stored as its index. */
export interface EnumLayout {
  readonly kind: 'enum';
  readonly values: readonly Scalar[];
}

/** A record with a fixed set of fields, in declaration order. */
export interface RecordLayout {
  readonly kind: 'record';
  readonly fields: Readonly<Record<string, AnyLayout>>;
}

/** A value or `undefined` (a presence byte, then the value's room). */
export interface OptionalLayout {
  readonly kind: 'optional';
  readonly of: AnyLayout;
}

/** How a list or tuple relates to ids. */
export interface SequenceOptions {
  /** Position i holds the entity with id i of this kind (`maps[m]` is map m). */
  readonly indexes?: string;
  /**
   * The list is kept in an order that follows from its contents (a sorted set, such as a maptrack
   * sorted by (map, slot, kind)): a symmetry that renames ids inside it must sort it again. Lists
   * without it keep their order (submission order, creation order).
   */
  readonly sorted?: boolean;
}

/** A list of at most `capacity` elements (a length byte, then room for `capacity` elements). */
export interface ListLayout {
  readonly kind: 'list';
  readonly of: AnyLayout;
  readonly capacity: number;
  readonly options: SequenceOptions;
}

/** A list of exactly `length` elements (no length byte). */
export interface TupleLayout {
  readonly kind: 'tuple';
  readonly of: AnyLayout;
  readonly length: number;
  readonly options: SequenceOptions;
}

/** The layout of values of type T (the phantom field makes it invariant in T; it is never set). */
export type Layout<T> = AnyLayout & { readonly __type?: (value: T) => T };

/** Any layout, whatever it describes. */
export type AnyLayout =
  | BoolLayout
  | IntLayout
  | EnumLayout
  | RecordLayout
  | OptionalLayout
  | ListLayout
  | TupleLayout;

/** Raised when a layout is declared wrongly (an empty enumeration, a negative capacity...). */
export class LayoutError extends Error {
  override readonly name = 'LayoutError';
}

/** A boolean. */
export function bool(): Layout<boolean> {
  return { kind: 'bool' };
}

/**
 * An integer from `min` to `max` inclusive (at most 32-bit signed). `id` names the kind of id it
 * holds; by the model's convention a negative value (NONE) means "no id".
 */
export function int(min: number, max: number, options: { readonly id?: string } = {}): Layout<number> {
  if (!Number.isInteger(min) || !Number.isInteger(max) || min > max) throw new LayoutError(`int(${min}, ${max}): the bounds must be whole numbers with min ≤ max`);
  if (min < -(2 ** 31) || max > 2 ** 31 - 1) throw new LayoutError(`int(${min}, ${max}): the range must fit 32-bit signed integers`);
  return options.id !== undefined ? { kind: 'int', min, max, id: options.id } : { kind: 'int', min, max };
}

/** One of `values` (strings, numbers or booleans), stored as its index. */
export function oneOf<const V extends readonly Scalar[]>(...values: V): Layout<V[number]> {
  if (values.length === 0) throw new LayoutError('oneOf(): list at least one value');
  if (values.length > 255) throw new LayoutError(`oneOf(...): at most 255 values, got ${values.length}`);
  if (new Set(values).size !== values.length) throw new LayoutError(`oneOf(${values.map((v) => JSON.stringify(v)).join(', ')}): the values must be distinct`);
  return { kind: 'enum', values } as unknown as Layout<V[number]>;
}

/** The fields of a record type, each with its layout (optional fields take `optional(...)`). */
export type Fields<T> = { readonly [K in keyof T]-?: Layout<T[K]> };

/** A record: every field of T with its layout, in the order given. */
export function record<T>(fields: Fields<T>): Layout<T> {
  for (const [name, f] of Object.entries(fields as Record<string, unknown>)) {
    if (!isLayout(f)) throw new LayoutError(`record field '${name}' has no layout (give it bool(), int(...), oneOf(...), record(...), list(...), tuple(...) or optional(...))`);
  }
  return { kind: 'record', fields: fields as unknown as Record<string, AnyLayout> } as unknown as Layout<T>;
}

/** A record whose fields are only known at run time (a design's ghost variables). */
export function dynamicRecord(fields: Readonly<Record<string, AnyLayout>>): Layout<Readonly<Record<string, unknown>>> {
  return record(fields as unknown as Fields<Readonly<Record<string, unknown>>>);
}

/** `undefined`, or a value of `of`. */
export function optional<T>(of: Layout<T>): Layout<T | undefined> {
  return { kind: 'optional', of } as unknown as Layout<T | undefined>;
}

/** A list of at most `capacity` elements of `of`. */
export function list<E>(of: Layout<E>, capacity: number, options: SequenceOptions = {}): Layout<readonly E[]> {
  if (!Number.isInteger(capacity) || capacity < 0 || capacity > 255) throw new LayoutError(`list(..., ${capacity}): the capacity must be a whole number from 0 to 255`);
  return { kind: 'list', of, capacity, options } as unknown as Layout<readonly E[]>;
}

/** A list of exactly `length` elements of `of`. */
export function tuple<E>(of: Layout<E>, length: number, options: SequenceOptions = {}): Layout<readonly E[]> {
  if (!Number.isInteger(length) || length < 0 || length > 4096) throw new LayoutError(`tuple(..., ${length}): the length must be a whole number from 0 to 4096`);
  return { kind: 'tuple', of, length, options } as unknown as Layout<readonly E[]>;
}

/** True for a value built by one of this file's constructors. */
export function isLayout(v: unknown): v is AnyLayout {
  if (v === null || typeof v !== 'object') return false;
  const k = (v as { kind?: unknown }).kind;
  return k === 'bool' || k === 'int' || k === 'enum' || k === 'record' || k === 'optional' || k === 'list' || k === 'tuple';
}

/**
 * Why `value` does not fit `layout` (the path of the first field that does not, and what it
 * holds), or `undefined` when it fits. The layout's own check of a plain value, for tests and for
 * values a model hands to the checker.
 */
export function misfit(layout: AnyLayout, value: unknown, path = 'state'): string | undefined {
  switch (layout.kind) {
    case 'bool':
      return typeof value === 'boolean' ? undefined : `${path} is ${show(value)}, not a boolean`;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) return `${path} is ${show(value)}, not a whole number`;
      return value < layout.min || value > layout.max ? `${path} is ${value}, outside the layout's range ${layout.min}..${layout.max}` : undefined;
    case 'enum':
      return layout.values.includes(value as Scalar) ? undefined : `${path} is ${show(value)}, not one of ${layout.values.map(show).join(', ')}`;
    case 'optional':
      return value === undefined ? undefined : misfit(layout.of, value, path);
    case 'record': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return `${path} is ${show(value)}, not a record`;
      for (const [name, f] of Object.entries(layout.fields)) {
        const why = misfit(f, (value as Record<string, unknown>)[name], `${path}.${name}`);
        if (why) return why;
      }
      const extra = Object.keys(value).find((k) => !(k in layout.fields) && (value as Record<string, unknown>)[k] !== undefined);
      return extra === undefined ? undefined : `${path}.${extra} is not a field of the layout`;
    }
    case 'list':
    case 'tuple': {
      if (!Array.isArray(value)) return `${path} is ${show(value)}, not a list`;
      if (layout.kind === 'list' && value.length > layout.capacity) return `${path} has ${value.length} elements, more than the layout's capacity ${layout.capacity}`;
      if (layout.kind === 'tuple' && value.length !== layout.length) return `${path} has ${value.length} elements, the layout says exactly ${layout.length}`;
      for (let i = 0; i < value.length; i++) {
        const why = misfit(layout.of, value[i], `${path}[${i}]`);
        if (why) return why;
      }
      return undefined;
    }
  }
}

function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'object' && v !== null) return Array.isArray(v) ? 'a list' : 'a record';
  return String(v);
}

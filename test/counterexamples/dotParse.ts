/**
 * A reader for the DOT this folder writes, so that tests check what Graphviz will see rather than
 * the bytes we meant to write: statements one per line, quoted strings through the DOT lexer
 * (only `\"` is special), then label escapes (`\\`, `\l`, `\n`, record `\{ \} \| \< \> \ `) and
 * `&amp;`. Its rules were checked against Graphviz 5.0 (graphviz-cli) by hand.
 */

/** Splits a quoted DOT string at the start of `s` into its raw value and the rest; throws if it does not close. */
export function lexQuoted(s: string): { raw: string; rest: string } {
  if (s[0] !== '"') throw new Error(`not a quoted string: ${s.slice(0, 20)}`);
  let raw = '';
  for (let i = 1; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && s[i + 1] === '"') {
      raw += '"';
      i++;
    } else if (c === '\\' && i + 1 < s.length) {
      raw += c + s[i + 1]!;
      i++;
    } else if (c === '"') return { raw, rest: s.slice(i + 1) };
    else raw += c;
  }
  throw new Error(`unterminated quoted string: ${s.slice(0, 40)}`);
}

/** The label attributes of every statement in a DOT text, decoded to their text (record fields flattened, lines joined by newlines). */
export function labelsOf(dot: string): string[] {
  const out: string[] = [];
  for (const line of dot.split('\n')) {
    let rest = line;
    for (;;) {
      const k = rest.indexOf('label=');
      if (k < 0) break;
      const { raw, rest: after } = lexQuoted(rest.slice(k + 6));
      // Records are the nodes that keep the default shape (Mrecord); edges, the graph and other shapes have plain labels.
      const record = !line.includes('->') && !/^\s*graph /.test(line) && !line.includes('shape=') && raw.startsWith('{');
      out.push(decodeLabel(raw, record));
      rest = after;
    }
  }
  return out;
}

/** Label escapes and entities: the text Graphviz draws; record field separators become newlines; throws on a stray special character. */
export function decodeLabel(raw: string, record = false): string {
  const body = record ? raw.slice(1, -1) : raw;
  let text = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\') {
      const n = body[i + 1];
      i++;
      if (n === '\\') text += '\\';
      else if (n === 'l' || n === 'n' || n === 'r') text += '\n';
      else if (record && n !== undefined && '{}|<> '.includes(n)) text += n;
      else throw new Error(`unexpected escape \\${n} in ${raw}`);
    } else if (record && '{}|'.includes(c)) text += '\n';
    else if ('<>'.includes(c) && record) throw new Error(`unescaped ${c} in record label ${raw}`);
    else text += c;
  }
  if (/&(?!amp;)/.test(text)) throw new Error(`an & that Graphviz would read as an entity: ${raw}`);
  return text.replace(/&amp;/g, '&');
}

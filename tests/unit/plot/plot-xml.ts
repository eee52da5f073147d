// A tiny strict XML 1.0 well-formedness checker and tree builder for the plot tests (no DTDs,
// no CDATA, no processing instructions other than the XML declaration). Throws on: unbalanced or
// mismatched tags, unquoted or duplicate attributes, '<' in attribute values, bare '&' or unknown
// entities, characters XML forbids, text outside the single root element.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: (XmlElement | string)[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isNameStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === ':' || c > '\u00bf';
}
function isNameChar(c: string): boolean {
  return isNameStart(c) || (c >= '0' && c <= '9') || c === '-' || c === '.';
}
function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}
function checkChars(s: string, where: string): void {
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const ok = cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || cp >= 0x10000;
    if (!ok) throw new Error(`XML: forbidden character U+${cp.toString(16)} in ${where}`);
  }
}

function unescape(s: string, where: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '<') throw new Error(`XML: '<' in ${where}`);
    if (c !== '&') {
      out += c;
      continue;
    }
    const end = s.indexOf(';', i);
    if (end < 0) throw new Error(`XML: bare '&' in ${where}`);
    const name = s.slice(i + 1, end);
    if (name.startsWith('#x') && name.length > 2 && [...name.slice(2)].every((d) => '0123456789abcdefABCDEF'.includes(d))) out += String.fromCodePoint(parseInt(name.slice(2), 16));
    else if (name.startsWith('#') && name.length > 1 && [...name.slice(1)].every((d) => d >= '0' && d <= '9')) out += String.fromCodePoint(parseInt(name.slice(1), 10));
    else if (name in ENTITIES) out += ENTITIES[name];
    else throw new Error(`XML: unknown entity &${name}; in ${where}`);
    i = end;
  }
  return out;
}

export function parseXml(src: string): XmlElement {
  checkChars(src, 'document');
  let i = 0;
  const peek = (s: string) => src.startsWith(s, i);
  const skipSpace = () => {
    while (isSpace(src[i])) i++;
  };
  const name = (): string => {
    const start = i;
    if (!isNameStart(src[i] ?? '')) throw new Error(`XML: name expected at ${i}`);
    while (i < src.length && isNameChar(src[i]!)) i++;
    return src.slice(start, i);
  };
  if (peek('<?xml')) {
    const end = src.indexOf('?>', i);
    if (end < 0) throw new Error('XML: unterminated declaration');
    i = end + 2;
  }
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (peek('<!--')) {
        const end = src.indexOf('-->', i + 4);
        if (end < 0) throw new Error('XML: unterminated comment');
        i = end + 3;
      } else return;
    }
  };
  skipMisc();
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  for (;;) {
    if (i >= src.length) break;
    if (peek('<!--')) {
      const end = src.indexOf('-->', i + 4);
      if (end < 0) throw new Error('XML: unterminated comment');
      i = end + 3;
      continue;
    }
    if (peek('</')) {
      i += 2;
      const n = name();
      skipSpace();
      if (src[i] !== '>') throw new Error(`XML: '>' expected after </${n}`);
      i++;
      const open = stack.pop();
      if (!open || open.name !== n) throw new Error(`XML: </${n}> does not close <${open?.name ?? '(nothing)'}>`);
      if (!stack.length) {
        root = open;
        skipMisc();
        if (i < src.length) throw new Error(`XML: content after the root element at ${i}`);
        break;
      }
      continue;
    }
    if (src[i] === '<') {
      if (root) throw new Error('XML: second root element');
      i++;
      const el: XmlElement = { name: name(), attrs: {}, children: [] };
      for (;;) {
        const hadSpace = isSpace(src[i]);
        skipSpace();
        if (peek('/>') || src[i] === '>') break;
        if (!hadSpace) throw new Error(`XML: space expected before attribute in <${el.name}>`);
        const an = name();
        skipSpace();
        if (src[i] !== '=') throw new Error(`XML: '=' expected after ${an}`);
        i++;
        skipSpace();
        const q = src[i];
        if (q !== '"' && q !== "'") throw new Error(`XML: unquoted value of ${an}`);
        const end = src.indexOf(q, i + 1);
        if (end < 0) throw new Error(`XML: unterminated value of ${an}`);
        if (an in el.attrs) throw new Error(`XML: duplicate attribute ${an} in <${el.name}>`);
        el.attrs[an] = unescape(src.slice(i + 1, end), `attribute ${an}`);
        i = end + 1;
      }
      if (stack.length) stack[stack.length - 1]!.children.push(el);
      if (peek('/>')) {
        i += 2;
        if (!stack.length) {
          root = el;
          skipMisc();
          if (i < src.length) throw new Error('XML: content after the root element');
          break;
        }
      } else {
        i++;
        stack.push(el);
      }
      continue;
    }
    // Text.
    const end = src.indexOf('<', i);
    const text = src.slice(i, end < 0 ? src.length : end);
    if (!stack.length) throw new Error('XML: text outside the root element');
    stack[stack.length - 1]!.children.push(unescape(text, `text of <${stack[stack.length - 1]!.name}>`));
    i = end < 0 ? src.length : end;
  }
  if (stack.length || !root) throw new Error(`XML: unclosed <${stack[stack.length - 1]?.name ?? '?'}>`);
  return root;
}

/** All elements named `name` (depth first). */
export function findAll(el: XmlElement, name: string, out: XmlElement[] = []): XmlElement[] {
  if (el.name === name) out.push(el);
  for (const c of el.children) if (typeof c !== 'string') findAll(c, name, out);
  return out;
}

/** Text content of an element. */
export function textOf(el: XmlElement): string {
  return el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}

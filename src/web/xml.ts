/**
 * A small XML writer for the Atom feed: elements are data (name, attributes, children) and
 * every text and attribute value is escaped on the way out, so nothing a feed wrote can
 * become markup. Characters XML 1.0 does not allow (C0 controls but tab and line breaks,
 * lone surrogates, U+FFFE/U+FFFF) are dropped.
 */
export interface XmlElement {
  name: string;
  attrs?: Record<string, string | undefined>;
  children?: (XmlElement | string | null | undefined | false)[];
}

export function el(
  name: string,
  attrs: XmlElement['attrs'],
  ...children: XmlElement['children'] & unknown[]
): XmlElement {
  return { name, ...(attrs ? { attrs } : {}), children };
}

const INVALID =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function escapeXml(text: string, attribute = false): string {
  const clean = text.replace(INVALID, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return attribute
    ? clean.replace(/"/g, '&quot;').replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;')
    : clean.replace(/\r/g, '&#13;');
}

function write(node: XmlElement, out: string[]): void {
  out.push('<', node.name);
  for (const [key, value] of Object.entries(node.attrs ?? {}))
    if (value !== undefined) out.push(' ', key, '="', escapeXml(value, true), '"');
  const children = (node.children ?? []).filter(
    (c): c is XmlElement | string => c !== null && c !== undefined && c !== false,
  );
  if (!children.length) {
    out.push('/>');
    return;
  }
  out.push('>');
  for (const child of children) {
    if (typeof child === 'string') out.push(escapeXml(child));
    else write(child, out);
  }
  out.push('</', node.name, '>');
}

export function serializeXml(root: XmlElement): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>\n'];
  write(root, out);
  out.push('\n');
  return out.join('');
}

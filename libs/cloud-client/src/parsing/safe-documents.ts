import { XMLParser } from 'fast-xml-parser';

/** Nesting deeper than this is refused: real answers nest 4 levels, hostile ones thousands. */
export const MAX_DOCUMENT_DEPTH = 20;

/** A response body that is not a well-formed, safe document of the expected shape. */
export class MalformedDocumentError extends Error {
  override readonly name = 'MalformedDocumentError';
  readonly code = 'MalformedResponse';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a body as strict UTF-8 (a stray byte means a corrupted or foreign answer). */
export function decodeUtf8(body: Uint8Array): string {
  try {
    return utf8.decode(body);
  } catch (cause) {
    throw new MalformedDocumentError('response body is not valid UTF-8', { cause });
  }
}

/**
 * Checks the markup of an XML document before any parser builds a tree, in one linear,
 * allocation-light pass. Rejects what the hardened parser must never see: DTDs of any kind
 * (DOCTYPE, ENTITY, ELEMENT, ATTLIST: the carriers of entity-expansion bombs and external
 * entities) and element nesting deeper than `maxDepth`; and what is not a well-formed single-root
 * element tree: unterminated markup, mismatched or unclosed tags, text or a second element
 * outside the root.
 */
export function assertWellFormedSafeXml(text: string, maxDepth = MAX_DOCUMENT_DEPTH): void {
  const open: string[] = [];
  let rootClosed = false;
  let position = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    const index = text.indexOf('<', position);
    if (open.length === 0 && text.slice(position, index === -1 ? undefined : index).trim() !== '') {
      throw new MalformedDocumentError('text outside the root element');
    }
    if (index === -1) break;
    if (text.startsWith('<?', index)) {
      position = skipPast(text, index, '?>');
    } else if (text.startsWith('<!--', index)) {
      position = skipPast(text, index, '-->');
    } else if (text.startsWith('<![CDATA[', index)) {
      if (open.length === 0) throw new MalformedDocumentError('CDATA outside the root element');
      position = skipPast(text, index, ']]>');
    } else if (text.charCodeAt(index + 1) === 0x21 /* ! */) {
      throw new MalformedDocumentError('XML declarations (DOCTYPE/ENTITY) are not accepted');
    } else {
      const end = tagEnd(text, index);
      const closing = text.charCodeAt(index + 1) === 0x2f; /* / */
      const nameStart = closing ? index + 2 : index + 1;
      const nameEnd = tagNameEnd(text, nameStart, end);
      if (nameEnd === nameStart) throw new MalformedDocumentError('XML tag without a name');
      if (closing) {
        // Compared in place: a listing page closes thousands of tags.
        const expected = open.pop();
        if (expected?.length !== nameEnd - nameStart || !text.startsWith(expected, nameStart)) {
          throw new MalformedDocumentError(`unexpected closing tag </${text.slice(nameStart, nameEnd)}>`);
        }
        rootClosed = open.length === 0;
      } else {
        const name = text.slice(nameStart, nameEnd);
        if (rootClosed) throw new MalformedDocumentError('more than one root element');
        if (text.charCodeAt(end - 1) === 0x2f /* self-closing */) {
          rootClosed = open.length === 0;
        } else {
          open.push(name);
          if (open.length > maxDepth) throw new MalformedDocumentError(`XML nesting deeper than ${maxDepth}`);
        }
      }
      position = end + 1;
    }
  }
  if (open.length > 0) throw new MalformedDocumentError(`unclosed element <${open[open.length - 1] ?? ''}>`);
  if (!rootClosed) throw new MalformedDocumentError('XML document has no root element');
}

function skipPast(text: string, from: number, terminator: string): number {
  const end = text.indexOf(terminator, from);
  if (end === -1) throw new MalformedDocumentError(`unterminated XML markup (expected ${terminator})`);
  return end + terminator.length;
}

/** Where the tag name starting at `from` ends: at white space, `/` or `>` (at most `end`). */
function tagNameEnd(text: string, from: number, end: number): number {
  for (let i = from; i < end; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2f) return i;
  }
  return end;
}

/** Index of the `>` closing the tag that starts at `from`, skipping quoted attribute values. */
function tagEnd(text: string, from: number): number {
  let quote = 0;
  for (let i = from + 1; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) {
      quote = c;
    } else if (c === 0x3e /* > */) {
      return i;
    }
  }
  throw new MalformedDocumentError('unterminated XML tag');
}

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};

/**
 * Decodes the five predefined XML entities and numeric character references in one text value.
 * The parser runs with entity processing off (no expansion can ever happen); this restores the
 * literal characters a value may legitimately escape, e.g. `&amp;` in an error message.
 */
export function decodeXmlText(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const codePoint = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : whole;
    }
    return PREDEFINED_ENTITIES[ref] ?? whole;
  });
}

/** Parses one XML document; see {@link createSafeXmlParser}. */
export type SafeXmlParser = (text: string) => Record<string, unknown>;

/**
 * Builds a hardened XML parser: the markup check first, then fast-xml-parser with entities off,
 * values kept as strings (key ids stay strings), attributes ignored, nesting capped again, and the
 * elements named by `listPaths` (dotted paths such as `ListAllMyBucketsResult.Buckets.Bucket`)
 * always arrays.
 */
export function createSafeXmlParser(listPaths: readonly string[]): SafeXmlParser {
  const lists = new Set(listPaths);
  const listTags = new Set(listPaths.map((path) => path.slice(path.lastIndexOf('.') + 1)));
  const parser = new XMLParser({
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreAttributes: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    trimValues: true,
    maxNestedTags: MAX_DOCUMENT_DEPTH,
    // The parser's path tracker is handed over as is (`jPath: false`) and spelled out only for a
    // tag that ends a list path: spelling every element's path costs a listing page ~40% of its parse.
    jPath: false,
    isArray: (name, path) => listTags.has(name) && lists.has(path.toString()),
  });
  return (text) => {
    assertWellFormedSafeXml(text);
    let parsed: unknown;
    try {
      parsed = parser.parse(text);
    } catch (cause) {
      throw new MalformedDocumentError('XML could not be parsed', { cause });
    }
    if (!isRecord(parsed)) throw new MalformedDocumentError('XML document has no root element');
    return parsed;
  };
}

/**
 * Parses a JSON answer after checking that arrays/objects nest no deeper than `maxDepth` (the
 * scan skips string contents, so brackets inside strings do not count).
 */
export function parseSafeJson(text: string, maxDepth = MAX_DOCUMENT_DEPTH): unknown {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i += 1;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > maxDepth) throw new MalformedDocumentError(`JSON nesting deeper than ${maxDepth}`);
    } else if (c === 0x7d || c === 0x5d) {
      depth -= 1;
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new MalformedDocumentError('JSON could not be parsed', { cause });
  }
}

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

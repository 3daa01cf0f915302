import { decodeXmlText, isRecord, MalformedDocumentError } from './safe-documents';

/** An element of a parsed XML document: text children are strings, element children records. */
export type XmlElement = Record<string, unknown>;

/** Text of child `name`: the decoded string, `''` for an empty element, null when absent. */
export function childText(node: XmlElement, name: string): string | null {
  const value = node[name];
  if (value === undefined) return null;
  if (typeof value !== 'string') throw new MalformedDocumentError(`<${name}> is not a text element`);
  return decodeXmlText(value);
}

/** Text of child `name`, null when absent or empty. */
export function optionalText(node: XmlElement, name: string): string | null {
  const text = childText(node, name);
  return text === '' ? null : text;
}

/** Text of child `name`, which must be present and non-empty. */
export function requiredText(node: XmlElement, name: string): string {
  const text = optionalText(node, name);
  if (text === null) throw new MalformedDocumentError(`<${name}> is missing or empty`);
  return text;
}

/** Child element `name` (an empty element reads as one without children), null when absent. */
export function childElement(node: XmlElement, name: string): XmlElement | null {
  const value = node[name];
  if (value === undefined) return null;
  if (value === '') return {};
  if (!isRecord(value)) throw new MalformedDocumentError(`<${name}> is not an element`);
  return value;
}

/** Children `name` of an element the parser was told to keep as a list. */
export function childElements(node: XmlElement, name: string): XmlElement[] {
  const value = node[name];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new MalformedDocumentError(`<${name}> is not a list`);
  return value.map((item: unknown) => {
    if (item === '') return {};
    if (!isRecord(item)) throw new MalformedDocumentError(`<${name}> entry is not an element`);
    return item;
  });
}

/** The document's root element, which must be named `name`. */
export function rootElement(document: XmlElement, name: string): XmlElement {
  const root = childElement(document, name);
  if (root === null) throw new MalformedDocumentError(`expected root element <${name}>`);
  return root;
}

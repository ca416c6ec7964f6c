// XML reading for the importers: well-formedness checked first (with line), records carry their opening line.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { reject } from './rejection.ts';

export type XmlNode = Record<string, unknown>;
export type ParsedXml = { readonly root: XmlNode; readonly lineOf: (node: unknown) => number | undefined };

const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

/**
 * Parses XML with namespaces stripped, attributes as "@name", element text as "#text" when it has attributes,
 * and the listed tags always as arrays (so one alias and two aliases look alike).
 */
export const readXml = (fileName: string, text: string, arrayTags: ReadonlySet<string>): ParsedXml => {
  const valid = XMLValidator.validate(text);
  if (valid !== true) return reject(fileName, valid.err.line, `malformed XML: ${valid.err.msg}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    captureMetaData: true,
    processEntities: true,
    isArray: (tagName) => arrayTags.has(tagName),
  });
  const root = parser.parse(text) as XmlNode;
  const lineStarts: number[] = [0];
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineOf = (node: unknown): number | undefined => {
    if (node === null || typeof node !== 'object') return undefined;
    const start = (node as Record<symbol, { startIndex?: number } | undefined>)[META]?.startIndex;
    if (start === undefined) return undefined;
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle]! <= start) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
  return { root, lineOf };
};

/** The text of an element that may carry attributes ({ "#text": …, "@refId": … }) or none (a plain string). */
export const textOf = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number') return String(value);
  if (value !== null && typeof value === 'object' && '#text' in value) return textOf((value as XmlNode)['#text']);
  return undefined;
};

export const attributeOf = (value: unknown, name: string): string | undefined => {
  if (value === null || typeof value !== 'object') return undefined;
  const attribute = (value as XmlNode)[`@${name}`];
  return typeof attribute === 'string' ? attribute : undefined;
};

export const arrayOf = (value: unknown): unknown[] =>
  value === undefined || value === null || value === '' ? [] : Array.isArray(value) ? value : [value];

export const childOf = (value: unknown, name: string): unknown =>
  value !== null && typeof value === 'object' ? (value as XmlNode)[name] : undefined;

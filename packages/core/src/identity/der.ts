import * as asn1js from 'asn1js';

/**
 * A node of a strictly DER-encoded ASN.1 tree, produced by {@link parseDer}.
 *
 * `raw` is the node's complete encoding (identifier, length and contents) exactly as it appears in the input —
 * a view into the caller's buffer, never a re-encoding. `content` is the contents octets only.
 */
export interface DerNode {
  /** asn1js tag class: 1 universal, 2 application, 3 context-specific, 4 private. */
  readonly tagClass: number;
  readonly tagNumber: number;
  readonly constructed: boolean;
  readonly raw: Uint8Array;
  readonly content: Uint8Array;
  /** Child nodes of a constructed node; empty for a primitive one. */
  readonly children: readonly DerNode[];
}

/** Universal tag numbers used by the certificate walker. */
export const Tag = {
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  OID: 6,
  SEQUENCE: 16,
} as const;

/** Tag classes as asn1js numbers them. */
export const TagClass = { UNIVERSAL: 1, CONTEXT: 3 } as const;

/** Parser resource limits for untrusted input (depth and node count of a real certificate are far below). */
const LIMITS = { maxDepth: 32, maxNodes: 4096, parseEmbedded: false } as const;

/**
 * Parses `bytes` as exactly one DER element (no trailing bytes) with asn1js and converts it into a {@link DerNode} tree.
 *
 * Rejects everything that is not DER: truncated or overlong elements, indefinite lengths, non-minimal length or tag
 * encodings, and input beyond the resource limits. Returns `undefined` on any such failure (and never throws), so
 * that callers can map every failure to their own catalog error.
 */
export function parseDer(bytes: Uint8Array): DerNode | undefined {
  let parsed: asn1js.FromBerResult;
  try {
    parsed = asn1js.fromBER(bytes, { ...LIMITS, maxContentLength: bytes.length });
  } catch {
    return undefined;
  }
  if (parsed.offset !== bytes.length || parsed.result.error !== '') return undefined;
  try {
    return toNode(parsed.result);
  } catch {
    return undefined;
  }
}

/** Number of octets a DER (minimal) length field for `length` occupies. */
function lengthFieldSize(length: number): number {
  if (length < 0x80) return 1;
  let size = 1;
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) size++;
  return size;
}

/** Converts one asn1js block, checking DER rules; throws a plain Error (caught by {@link parseDer}) on violations. */
function toNode(block: asn1js.AsnType): DerNode {
  const { idBlock, lenBlock } = block;
  if (block.error !== '' || idBlock.error !== '' || lenBlock.error !== '') throw new Error('malformed element');
  if (lenBlock.isIndefiniteForm) throw new Error('indefinite length');
  const raw = block.valueBeforeDecodeView;
  const headerSize = idBlock.blockLength + lenBlock.blockLength;
  const contentLength = raw.length - headerSize;
  if (contentLength !== lenBlock.length || contentLength < 0) throw new Error('length mismatch');
  if (lenBlock.blockLength !== lengthFieldSize(contentLength)) throw new Error('non-minimal length');
  if (idBlock.tagNumber < 31 && idBlock.blockLength !== 1) throw new Error('non-minimal tag');
  const children: DerNode[] = [];
  if (idBlock.isConstructed) {
    const value: unknown = (block.valueBlock as { value?: unknown }).value;
    if (!Array.isArray(value)) throw new Error('constructed element without children');
    let consumed = 0;
    for (const child of value as asn1js.AsnType[]) {
      const node = toNode(child);
      consumed += node.raw.length;
      children.push(node);
    }
    if (consumed !== contentLength) throw new Error('children do not fill the element');
  }
  return {
    tagClass: idBlock.tagClass,
    tagNumber: idBlock.tagNumber,
    constructed: idBlock.isConstructed,
    raw,
    content: raw.subarray(headerSize),
    children,
  };
}

/** True iff `node` is a universal-class element with tag `tag` (constructed iff it is a SEQUENCE or SET). */
export function isUniversal(node: DerNode | undefined, tag: number): node is DerNode {
  return (
    node !== undefined &&
    node.tagClass === TagClass.UNIVERSAL &&
    node.tagNumber === tag &&
    node.constructed === (tag === Tag.SEQUENCE || tag === 17)
  );
}

/** True iff `node` is a context-specific `[tag]` element. */
export function isContext(node: DerNode | undefined, tag: number): node is DerNode {
  return node !== undefined && node.tagClass === TagClass.CONTEXT && node.tagNumber === tag;
}

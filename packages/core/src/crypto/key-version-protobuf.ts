/**
 * The protobuf wire form of KES's `miniohq.kms.KeyVersion` (spec `kes-protocol.md` §5.6), without validation of
 * the values: `{1: SecretKey{1: bytes key, 2: uint32 type}, 2: HMACKey{1: bytes key, 2: uint32 hash},
 * 3: google.protobuf.Timestamp{1: int64 seconds, 2: int32 nanos}, 4: string created_by}`.
 *
 * Encoding is canonical proto3 (fields in numeric order, zero scalars omitted). Decoding follows proto3 rules:
 * unknown fields and fields with an unexpected wire type are skipped, a repeated embedded message is merged,
 * the last scalar wins, strings must be valid UTF-8.
 */
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import type { Timestamp } from './timestamp.js';

/** The raw field values of a KeyVersion message. Absent fields decode as empty/zero; absent CreatedAt → `undefined`. */
export interface KeyVersionFields {
  key: Uint8Array;
  type: number;
  hmacKey: Uint8Array;
  hash: number;
  createdAt: Timestamp | undefined;
  createdBy: string;
}

const EMPTY = new Uint8Array(0);
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Encodes `fields` as canonical proto3 bytes. Never throws for valid field values. */
export function encodeKeyVersion(fields: KeyVersionFields): Uint8Array {
  const w = new BinaryWriter();
  w.tag(1, WireType.LengthDelimited).fork();
  if (fields.key.length > 0) w.tag(1, WireType.LengthDelimited).bytes(fields.key);
  if (fields.type !== 0) w.tag(2, WireType.Varint).uint32(fields.type);
  w.join();
  w.tag(2, WireType.LengthDelimited).fork();
  if (fields.hmacKey.length > 0) w.tag(1, WireType.LengthDelimited).bytes(fields.hmacKey);
  if (fields.hash !== 0) w.tag(2, WireType.Varint).uint32(fields.hash);
  w.join();
  if (fields.createdAt !== undefined) {
    w.tag(3, WireType.LengthDelimited).fork();
    if (fields.createdAt.seconds !== 0n) w.tag(1, WireType.Varint).int64(fields.createdAt.seconds);
    if (fields.createdAt.nanos !== 0) w.tag(2, WireType.Varint).int32(fields.createdAt.nanos);
    w.join();
  }
  if (fields.createdBy !== '') w.tag(4, WireType.LengthDelimited).string(fields.createdBy);
  return w.finish();
}

/** Reads the length-delimited sub-message at the reader's position and returns a reader over it. */
function subReader(r: BinaryReader): BinaryReader {
  return new BinaryReader(r.bytes());
}

function decodeKeyPair(r: BinaryReader, into: { key: Uint8Array; num: number }): void {
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (no === 1 && wt === WireType.LengthDelimited) into.key = r.bytes();
    else if (no === 2 && wt === WireType.Varint) into.num = r.uint32();
    else r.skip(wt, no);
  }
}

function decodeTimestamp(r: BinaryReader, into: { seconds: bigint; nanos: number }): void {
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (no === 1 && wt === WireType.Varint) into.seconds = BigInt(r.int64());
    else if (no === 2 && wt === WireType.Varint) into.nanos = r.int32();
    else r.skip(wt, no);
  }
}

/**
 * Decodes proto3 bytes into raw KeyVersion fields. A Timestamp's nanos outside `[0, 1e9)` are normalized into
 * seconds (as Go's `time.Unix` does).
 * @throws Error (not a KesError; the caller maps it) on malformed wire data or invalid UTF-8 in `created_by`.
 */
export function decodeKeyVersion(bytes: Uint8Array): KeyVersionFields {
  const r = new BinaryReader(bytes);
  const secret = { key: EMPTY, num: 0 };
  const hmac = { key: EMPTY, num: 0 };
  let ts: { seconds: bigint; nanos: number } | undefined;
  let createdBy = '';
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (wt !== WireType.LengthDelimited || no < 1 || no > 4) {
      r.skip(wt, no);
    } else if (no === 1) {
      decodeKeyPair(subReader(r), secret);
    } else if (no === 2) {
      decodeKeyPair(subReader(r), hmac);
    } else if (no === 3) {
      ts ??= { seconds: 0n, nanos: 0 };
      decodeTimestamp(subReader(r), ts);
    } else {
      createdBy = strictUtf8.decode(r.bytes());
    }
  }
  let createdAt: Timestamp | undefined;
  if (ts !== undefined) {
    const carry = BigInt(Math.floor(ts.nanos / 1e9));
    createdAt = { seconds: ts.seconds + carry, nanos: ts.nanos - Number(carry) * 1e9 };
  }
  return { key: secret.key, type: secret.num, hmacKey: hmac.key, hash: hmac.num, createdAt, createdBy };
}

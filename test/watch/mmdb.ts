/**
 * A minimal writer of MaxMind DB files (format 2.0, https://maxmind.github.io/MaxMind-DB/), IPv4 only,
 * 24-bit records, enough to give tests a GeoIP database. Data values: maps, strings, doubles, unsigned
 * integers and arrays of strings.
 */

type Value = string | number | { double: number } | Value[] | { [key: string]: Value };

const TYPE = { string: 2, double: 3, uint16: 5, uint32: 6, map: 7, uint64: 9, array: 11 } as const;
const METADATA_MARKER = Buffer.from('\xab\xcd\xefMaxMind.com', 'latin1');

function control(type: number, size: number): Buffer {
  const extended = type > 7;
  // Sizes from 29 up spill into 1, 2 or 3 following bytes, each range offset by the one before.
  const [sizeBits, extra, width] = size >= 65_821 ? [31, size - 65_821, 3] : size >= 285 ? [30, size - 285, 2] : size >= 29 ? [29, size - 29, 1] : [size, 0, 0];
  const sizeBytes = Array.from({ length: width }, (_, i) => (extra >> (8 * (width - 1 - i))) & 255);
  const first = ((extended ? 0 : type) << 5) | sizeBits;
  return Buffer.from([first, ...(extended ? [type - 7] : []), ...sizeBytes]);
}

function unsigned(type: number, n: number | bigint): Buffer {
  const bytes: number[] = [];
  for (let v = BigInt(n); v > 0n; v >>= 8n) bytes.unshift(Number(v & 255n));
  return Buffer.concat([control(type, bytes.length), Buffer.from(bytes)]);
}

/** Integers are written as uint32 (or uint64 past that); `{ double }` forces a double. */
export function encode(value: Value): Buffer {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([control(TYPE.string, bytes.length), bytes]);
  }
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0) return unsigned(value > 0xffffffff ? TYPE.uint64 : TYPE.uint32, value);
    return encode({ double: value });
  }
  if (Array.isArray(value)) return Buffer.concat([control(TYPE.array, value.length), ...value.map(encode)]);
  if ('double' in value && typeof value.double === 'number' && Object.keys(value).length === 1) {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(value.double);
    return Buffer.concat([control(TYPE.double, 8), b]);
  }
  const entries = Object.entries(value as Record<string, Value>);
  return Buffer.concat([control(TYPE.map, entries.length), ...entries.flatMap(([k, v]) => [encode(k), encode(v)])]);
}

type RecordRef = { node: number } | { data: number } | null;

/** Builds the file for IPv4 networks such as `203.0.113.64/26` -> data. */
export function writeMmdb(networks: { cidr: string; data: Value }[], databaseType = 'GeoLite2-City'): Buffer {
  const nodes: [RecordRef, RecordRef][] = [[null, null]];
  const dataParts: Buffer[] = [];
  let dataLength = 0;
  for (const { cidr, data } of networks) {
    const [address, bitsText] = cidr.split('/');
    const bits = Number(bitsText);
    const ip = address!.split('.').reduce((n, part) => n * 256 + Number(part), 0);
    const encoded = encode(data);
    const ref: RecordRef = { data: dataLength };
    dataParts.push(encoded);
    dataLength += encoded.length;
    let node = 0;
    for (let depth = 0; depth < bits; depth++) {
      const bit = Math.floor(ip / 2 ** (31 - depth)) % 2;
      if (depth === bits - 1) {
        nodes[node]![bit] = ref;
        break;
      }
      const next = nodes[node]![bit];
      if (next && 'node' in next) node = next.node;
      else {
        nodes.push([null, null]);
        nodes[node]![bit] = { node: nodes.length - 1 };
        node = nodes.length - 1;
      }
    }
  }
  const nodeCount = nodes.length;
  const tree = Buffer.alloc(nodeCount * 6);
  const recordValue = (r: RecordRef) => (r === null ? nodeCount : 'node' in r ? r.node : nodeCount + 16 + r.data);
  nodes.forEach(([left, right], i) => {
    tree.writeUIntBE(recordValue(left), i * 6, 3);
    tree.writeUIntBE(recordValue(right), i * 6 + 3, 3);
  });
  const metadata = encode({
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: 1714564800,
    database_type: databaseType,
    description: { en: 'portcullis test database' },
    ip_version: 4,
    languages: ['en'],
    node_count: nodeCount,
    record_size: 24,
  });
  return Buffer.concat([tree, Buffer.alloc(16), ...dataParts, METADATA_MARKER, metadata]);
}

/** The City-database shape the reader expects. */
export function city(lat: number, lon: number, country: string): Value {
  return { country: { iso_code: country }, location: { latitude: { double: lat }, longitude: { double: lon } } };
}

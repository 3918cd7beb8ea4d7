import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import maxmind, { type CityResponse } from 'maxmind';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveWatchConfig } from '../../src/engines/watch/config.js';
import { runWatch } from '../../src/engines/watch/engine.js';
import { GeoLookup } from '../../src/engines/watch/geo.js';
import { expectedFor, generate, PARIS, renderLog, SYDNEY } from './generator.js';
import { city, encode, writeMmdb } from './mmdb.js';

const dir = mkdtempSync(path.join(tmpdir(), 'watch-geo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const db = path.join(dir, 'test-city.mmdb');
writeFileSync(db, writeMmdb([
  { cidr: '10.0.0.0/8', data: city(PARIS.lat, PARIS.lon, PARIS.country) },
  { cidr: '203.0.113.64/26', data: city(SYDNEY.lat, SYDNEY.lon, SYDNEY.country) },
  { cidr: '198.51.100.7/32', data: city(40.7128, -74.006, 'US') },
]));
const log = generate({ seed: 5 });
const accessLog = path.join(dir, 'access.log');
writeFileSync(accessLog, renderLog(log, 'combined'));

describe('GeoIP', () => {
  it('the test MMDB writer encodes sizes and types as the spec says', () => {
    expect(encode('ab')).toEqual(Buffer.from([0x42, 0x61, 0x62]));
    expect(encode('x'.repeat(29)).subarray(0, 2)).toEqual(Buffer.from([0x5d, 0]));
    expect(encode('x'.repeat(300)).subarray(0, 3)).toEqual(Buffer.from([0x5e, 0, 15]));
    expect(encode(256)).toEqual(Buffer.from([0xc2, 1, 0]));
    expect(encode(['a'])).toEqual(Buffer.from([0x01, 0x04, 0x41, 0x61]));
  });

  it('the maxmind reader reads the written database back', async () => {
    const reader = await maxmind.open<CityResponse>(db);
    expect(reader.get('10.20.30.40')).toMatchObject({ country: { iso_code: 'FR' }, location: { latitude: PARIS.lat, longitude: PARIS.lon } });
    expect(reader.get('203.0.113.70')?.country?.iso_code).toBe('AU');
    expect(reader.get('198.51.100.7')?.country?.iso_code).toBe('US');
    expect(reader.get('198.51.100.8')).toBeNull();
    expect(reader.get('203.0.113.10')).toBeNull();
  });

  it('positive: --geoip gives access logs impossible travel', async () => {
    const { report } = await runWatch({ inputs: [accessLog], config: resolveWatchConfig({}), geo: await GeoLookup.open(db) });
    expect(report.findings.map((f) => `${f.ruleId} ${f.location.path}`)).toContain('watch.impossible-travel username=user9');
    expect(report.findings).toHaveLength(expectedFor(log, 'combined', true).length);
  });

  it('negative: without --geoip the same access log has no travel', async () => {
    const { report } = await runWatch({ inputs: [accessLog], config: resolveWatchConfig({}) });
    expect(report.findings.map((f) => f.ruleId)).not.toContain('watch.impossible-travel');
  });

  it('a file that is not a database is a one-line tool error', async () => {
    const bad = path.join(dir, 'bad.mmdb');
    writeFileSync(bad, 'not a database');
    await expect(GeoLookup.open(bad)).rejects.toThrow(/cannot open GeoIP database/);
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveWatchConfig } from '../../src/engines/watch/config.js';
import { runWatch } from '../../src/engines/watch/engine.js';
import { startUvicorn, type RunningTarget } from '../helpers/processes.js';

const dir = mkdtempSync(path.join(tmpdir(), 'watch-app-'));
const log = path.join(dir, 'auth.jsonl');
let app: RunningTarget;

const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

beforeAll(async () => {
  app = await startUvicorn('seed_logging_structured_fixed:app', { env: { WATCH_LOG: log } });
  const get = async (user: string, password: string) => (await fetch(`${app.url}/secure`, { headers: basic(user, password) })).status;
  // From 127.0.0.1: 12 wrong passwords for alice, then hers; then 11 other usernames, one guess each.
  for (let i = 0; i < 12; i++) expect(await get('alice', `guess${i}`)).toBe(401);
  expect(await get('alice', 'secret123')).toBe(200);
  for (let i = 0; i < 11; i++) expect(await get(`user${i}`, 'Spring2024!')).toBe(401);
}, 60_000);

afterAll(async () => {
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('watch on the logs of a real FastAPI app (the seed\'s structured logging)', () => {
  it('its JSON log: brute force and spraying from 127.0.0.1, and alice logging in after the guesses', async () => {
    const { report } = await runWatch({ inputs: [log], config: resolveWatchConfig({}) });
    expect(report.stats['formats']).toBe(`${log}=json`);
    expect(report.stats['events']).toBe(24);
    expect(report.stats['malformed']).toBe(0);
    expect(report.findings.map((f) => `${f.ruleId} ${f.location.path}`).sort()).toEqual([
      'watch.brute-force client_ip=127.0.0.1',
      'watch.password-spraying client_ip=127.0.0.1',
      'watch.success-after-failures username=alice',
    ]);
    // The password the attacker guessed is nowhere in the report; the log never had it.
    expect(JSON.stringify(report)).not.toContain('guess1');
    expect(readFileSync(log, 'utf8')).toContain('"correlation_id"');
  });

  it('its uvicorn access log (no user, no time): the brute force from 127.0.0.1', async () => {
    const { report } = await runWatch({ inputs: ['-'], config: resolveWatchConfig({}), stdin: Readable.from([app.output()]) });
    expect(report.stats['formats']).toBe('<stdin>=uvicorn');
    expect(report.stats['malformed']).toBe(0);
    expect(report.stats['events']).toBe(23);
    expect(report.findings.map((f) => `${f.ruleId} ${f.location.path}`)).toEqual(['watch.brute-force client_ip=127.0.0.1']);
  });
});

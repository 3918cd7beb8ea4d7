import { describe, expect, it } from 'vitest';
import { context, line, observations } from '../../../../test/probe/observations.js';
import type { MalformedExchange } from '../context.js';
import { malformedCredentialsCrash } from './malformed-credentials-crash.js';

const sent = (label: string, status: number | undefined, body = ''): MalformedExchange => ({
  label,
  header: 'Basic x',
  sentAt: 1000,
  doneAt: 1010,
  ...(status === undefined ? { error: 'other side closed' } : { status, body }),
});
const window = { from: 1000, to: 2000 };

describe('probe.malformed-credentials-crash', () => {
  it('positive: a 500 with a Python traceback in the logs', async () => {
    const obs = observations({
      malformed: [sent('token that is not base64', 500), sent('scheme without a token', 401)],
      malformedWindow: window,
      logs: [line('Traceback (most recent call last):', 1500), line('binascii.Error: Incorrect padding', 1501)],
    });
    const findings = await malformedCredentialsCrash.check(context(obs));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toMatch(/1 of 2 .*HTTP 500.*traceback in the logs/);
  });

  it('positive: the process exited (severity raised to high)', async () => {
    const obs = observations({
      malformed: [sent('decoded token without a colon', undefined)],
      malformedWindow: window,
      appExit: { phase: 'malformed', exit: { code: 1, signal: null }, tail: 'Error: malformed credentials' },
    });
    const findings = await malformedCredentialsCrash.check(context(obs));
    expect(findings.map((f) => f.severity)).toEqual(['high']);
  });

  it('negative: every malformed header got a 401, logs are quiet; tracebacks outside the phase do not count', async () => {
    const obs = observations({
      malformed: [sent('token that is not base64', 401), sent('oversized token (16 KiB)', 431)],
      malformedWindow: window,
      logs: [line('Traceback (most recent call last):', 9000)],
    });
    expect(await malformedCredentialsCrash.check(context(obs))).toEqual([]);
  });
});

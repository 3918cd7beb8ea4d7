import { afterEach, describe, expect, it } from 'vitest';
import { expectValidReport, startAuthApi, type LocalServer } from '../../../test/scan/servers.js';
import { defineScanRule, type ScanRule } from './context.js';
import { runScan } from './engine.js';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function testRule(id: string, budget: number, check: ScanRule['check']): ScanRule {
  return defineScanRule({
    id,
    title: 'engine test rule',
    category: 'authentication',
    severity: 'low',
    confidence: 'low',
    cwe: [287],
    owasp: ['API2:2023'],
    summary: 'A rule that exists only to exercise the engine in tests.',
    remediation: 'Nothing to fix: this rule only exercises the engine in its tests.',
    references: ['https://example.com/'],
    mode: 'active',
    budget,
    check,
  });
}

describe('runScan', () => {
  it('holds each rule to its declared budget and goes on with the next rule', async () => {
    server = await startAuthApi({});
    const greedy = testRule('auth.greedy', 3, async (ctx) => {
      for (let i = 0; i < 10; i++) await ctx.client.request({ path: `/greedy/${i}` });
    });
    const after = testRule('auth.after', 1, async (ctx) => {
      const exchange = await ctx.client.request({ path: '/after' });
      ctx.report({ message: `after answered ${exchange.response?.status}`, location: { method: 'GET', path: '/after' } });
    });
    const report = await runScan({ target: server.url, tier: 'quick', rules: [greedy, after] });
    expectValidReport(report);
    expect(server.requests.filter((r) => r.url.startsWith('/greedy/'))).toHaveLength(3);
    expect(report.warnings).toContain('auth.greedy stopped at its own budget of 3 requests');
    expect(report.findings.map((f) => f.message)).toEqual(['after answered 404']);
  });

  it('turns a rule that throws into an error entry, and the run goes on', async () => {
    server = await startAuthApi({});
    const broken = testRule('auth.broken', 0, () => {
      throw new Error('rule bug\nwith a second line');
    });
    const fine = testRule('auth.fine', 0, (ctx) => ctx.report({ message: 'still ran' }));
    const report = await runScan({ target: server.url, tier: 'quick', rules: [broken, fine] });
    expect(report.errors).toEqual([{ ruleId: 'auth.broken', message: 'rule bug' }]);
    expect(report.findings.map((f) => f.message)).toEqual(['still ran']);
  });

  it('a rule cannot send what the read-only promise forbids', async () => {
    server = await startAuthApi({});
    const writer = testRule('auth.writer', 5, async (ctx) => {
      await ctx.client.request({ method: 'DELETE', path: '/api/items/1' });
    });
    const report = await runScan({ target: server.url, tier: 'quick', rules: [writer] });
    expect(report.errors[0]?.message).toMatch(/refused to send DELETE/);
    expect(server.requests.some((r) => r.method === 'DELETE')).toBe(false);
  });

  it('stops at the total time cap with a warning and still reports', async () => {
    server = await startAuthApi({});
    const slow = testRule('auth.slow', 10_000_000, async (ctx) => {
      for (;;) await ctx.client.request({ path: '/health' });
    });
    const report = await runScan({ target: server.url, tier: 'quick', rules: [slow], maxDurationMs: 1000, maxRequests: 10_000_000 });
    expectValidReport(report);
    expect(report.warnings.join('\n')).toMatch(/time cap of 1 s reached: auth.slow stopped early/);
  });
});

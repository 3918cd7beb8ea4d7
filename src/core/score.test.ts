import { describe, expect, it } from 'vitest';
import { SEVERITIES, type Confidence, type Severity } from './severity.js';
import { gradeFor, scoreFindings, type Scorable } from './score.js';

const f = (severity: Severity, confidence: Confidence = 'high', ruleId = `r.${severity}`): Scorable => ({ severity, confidence, ruleId });

// A small deterministic PRNG so the property checks are reproducible.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function randomFindings(next: () => number, n: number): Scorable[] {
  const confidences: Confidence[] = ['high', 'medium', 'low'];
  return Array.from({ length: n }, () => f(SEVERITIES[Math.floor(next() * 5)]!, confidences[Math.floor(next() * 3)]!));
}

describe('scoring', () => {
  it('is 100/A with no findings', () => {
    expect(scoreFindings([])).toMatchObject({ score: 100, grade: 'A', deductions: [] });
  });

  it('is deterministic and independent of order', () => {
    const next = rng(7);
    for (let i = 0; i < 200; i++) {
      const list = randomFindings(next, Math.floor(next() * 30));
      const shuffled = [...list].sort(() => next() - 0.5);
      expect(scoreFindings(shuffled).score).toBe(scoreFindings(list).score);
    }
  });

  it('is monotonic: adding any finding never raises the score', () => {
    const next = rng(42);
    for (let i = 0; i < 500; i++) {
      const list = randomFindings(next, Math.floor(next() * 40));
      const before = scoreFindings(list).score;
      const added = randomFindings(next, 1);
      expect(scoreFindings([...list, ...added]).score).toBeLessThanOrEqual(before);
    }
  });

  it('weighs one critical above any number of info findings, and above many lows', () => {
    const oneCritical = scoreFindings([f('critical')]).score;
    expect(scoreFindings(Array.from({ length: 10_000 }, () => f('info'))).score).toBeGreaterThan(oneCritical);
    expect(scoreFindings(Array.from({ length: 1_000 }, () => f('low'))).score).toBeGreaterThan(oneCritical);
    expect(scoreFindings([f('high')]).score).toBeGreaterThan(oneCritical);
  });

  it('caps the grade by the worst severity present', () => {
    expect(scoreFindings([f('critical', 'low')]).grade).toBe('F');
    expect(scoreFindings([f('high', 'low')]).score).toBeLessThanOrEqual(74);
    expect(scoreFindings([f('medium')]).grade).toBe('A');
  });

  it('weighs confident findings more than tentative ones', () => {
    expect(scoreFindings([f('medium', 'high'), f('medium', 'high')]).score).toBeLessThan(
      scoreFindings([f('medium', 'low'), f('medium', 'low')]).score,
    );
  });

  it('explains deductions per band with the rules behind them', () => {
    const result = scoreFindings([f('critical', 'high', 'auth.a'), f('low', 'high', 'py.b'), f('low', 'high', 'py.b')]);
    expect(result.deductions.map((d) => [d.severity, d.count])).toEqual([
      ['critical', 1],
      ['low', 2],
    ]);
    expect(result.deductions[1]!.rules).toEqual([{ ruleId: 'py.b', count: 2 }]);
  });

  it('maps scores to grades at the documented floors', () => {
    expect([100, 90, 89, 80, 79, 70, 69, 50, 49, 0].map(gradeFor)).toEqual(['A', 'A', 'B', 'B', 'C', 'C', 'D', 'D', 'F', 'F']);
  });

  it('matches the worked examples in docs/scoring.md', () => {
    expect(scoreFindings([f('medium')]).score).toBe(92);
    expect(scoreFindings([f('high'), f('medium'), f('low'), f('low')]).score).toBe(67);
    expect(scoreFindings([f('critical'), f('high'), f('high'), f('info')]).score).toBe(25);
  });
});

import { describe, expect, it } from 'vitest';
import { appProcesses, parseStat, rssOf } from './proctree.js';

describe('proctree', () => {
  it('parses /proc/<pid>/stat even when the command name holds spaces and parentheses', () => {
    expect(parseStat('4242 (uvicorn (worker) 1) S 4200 4100 4100 0 -1 4194560')).toEqual({ pid: 4242, ppid: 4200, pgid: 4100 });
    expect(parseStat('garbage')).toBeUndefined();
  });

  it('takes the group and every descendant of the leader, also one that left the group with setsid', () => {
    const all = [
      { pid: 100, ppid: 1, pgid: 100 }, // sh -c (leader)
      { pid: 101, ppid: 100, pgid: 100 }, // uvicorn --reload
      { pid: 102, ppid: 101, pgid: 100 }, // its server process
      { pid: 103, ppid: 102, pgid: 103 }, // a helper that called setsid
      { pid: 104, ppid: 1, pgid: 100 }, // reparented to init, still in the group
      { pid: 200, ppid: 1, pgid: 200 }, // unrelated
    ];
    expect(appProcesses(100, all)).toEqual([100, 101, 102, 103, 104]);
  });

  it('reads its own RSS from /proc', () => {
    expect(rssOf(process.pid)).toBeGreaterThan(1024 * 1024);
    expect(rssOf(2 ** 22 + 17)).toBeUndefined();
  });
});

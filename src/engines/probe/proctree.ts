import { readFileSync, readdirSync } from 'node:fs';

/** One process as /proc tells it: enough to walk trees and groups. */
export interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
}

/** Parses /proc/<pid>/stat; the command name may hold spaces and parentheses, so split after the last ')'. */
export function parseStat(text: string): ProcInfo | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const pid = Number(text.slice(0, text.indexOf(' ')));
  const fields = text.slice(close + 2).split(' ');
  // After the name: state ppid pgrp ...
  const ppid = Number(fields[1]);
  const pgid = Number(fields[2]);
  if (!Number.isInteger(pid) || !Number.isInteger(ppid) || !Number.isInteger(pgid)) return undefined;
  return { pid, ppid, pgid };
}

/** Every process on the machine; empty where there is no /proc (teardown then relies on the group kill). */
export function listProcesses(): ProcInfo[] {
  const out: ProcInfo[] = [];
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const info = parseStat(readFileSync(`/proc/${name}/stat`, 'utf8'));
      if (info) out.push(info);
    } catch {
      // The process ended between readdir and read.
    }
  }
  return out;
}

/**
 * The processes that belong to a launched app: its process group plus every descendant of the
 * leader (a child that called setsid leaves the group but not the tree).
 */
export function appProcesses(leader: number, all: ProcInfo[] = listProcesses()): number[] {
  const found = new Set<number>(all.filter((p) => p.pgid === leader).map((p) => p.pid));
  if (all.some((p) => p.pid === leader)) found.add(leader);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all) {
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.add(p.pid);
        grew = true;
      }
    }
  }
  return [...found].sort((a, b) => a - b);
}

/** Resident set size in bytes (VmRSS of /proc/<pid>/status, exact whatever the page size); undefined once gone. */
export function rssOf(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a pid is alive and not a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Whether RSS can be read at all (Linux /proc). */
export function canSampleRss(): boolean {
  return rssOf(process.pid) !== undefined;
}

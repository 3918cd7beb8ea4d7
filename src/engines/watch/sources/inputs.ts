import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { ToolError } from '../../../core/errors.js';
import { compareText } from '../../../core/order.js';

const MAX_DEPTH = 8;

/** A glob has a wildcard, a class or a brace list somewhere. */
export function isGlob(input: string): boolean {
  return picomatch.scan(input).isGlob;
}

/**
 * Files matching a glob, oldest first (by modification time) so rotated logs (`app.log.1`) are read
 * before the live one and event time mostly moves forward.
 */
export async function expandGlob(pattern: string): Promise<string[]> {
  const scan = picomatch.scan(pattern);
  const base = scan.base || '.';
  const match = picomatch(pattern.replaceAll('\\', '/'), { dot: true });
  const found: { file: string; mtime: number }[] = [];
  async function walk(dir: string, depth: number): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = dir === '.' ? entry.name : path.join(dir, entry.name);
      if (entry.isDirectory() && depth < MAX_DEPTH) await walk(full, depth + 1);
      else if (entry.isFile() && match(full.replaceAll('\\', '/'))) found.push({ file: full, mtime: (await stat(full)).mtimeMs });
    }
  }
  await walk(base, 0);
  return found.sort((a, b) => a.mtime - b.mtime || compareText(a.file, b.file)).map((f) => f.file);
}

/** The files behind the command-line inputs ('-' stays '-'); an input that names nothing is an error unless following. */
export async function resolveInputs(inputs: readonly string[], follow: boolean): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    if (input === '-') {
      files.push('-');
      continue;
    }
    if (isGlob(input)) {
      const matched = await expandGlob(input);
      if (matched.length === 0 && !follow) throw new ToolError(`no file matches ${input}`);
      files.push(...matched);
      continue;
    }
    const info = await stat(input).catch(() => undefined);
    if (info?.isDirectory()) throw new ToolError(`${input} is a directory; give a file or a glob such as '${input}/*.log'`);
    if (!info && !follow) throw new ToolError(`cannot read ${input}: no such file`);
    files.push(input);
  }
  return [...new Set(files)];
}

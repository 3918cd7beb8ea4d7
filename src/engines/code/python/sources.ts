import { opendir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { describeError } from '../../../core/errors.js';
import { compareText } from '../../../core/order.js';

/** A Python file found under the scanned paths, not yet read. */
export interface SourceRef {
  abs: string;
  /** Relative to the scanned root, forward slashes. */
  rel: string;
}

export interface Discovery {
  files: SourceRef[];
  warnings: string[];
  /** Paths given by the user that do not exist. */
  missing: string[];
}

const SKIPPED_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules', '__pycache__', '.venv', 'venv', '.tox', '.mypy_cache', 'site-packages']);

export function relativeTo(root: string, file: string): string {
  const rel = path.relative(root, file);
  return (rel === '' ? path.basename(file) : rel).split(path.sep).join('/');
}

/**
 * Every `.py` file under the given paths. Directory symlinks are followed once: a directory whose
 * real path was already visited (a loop, or a second link to it) is skipped with a warning.
 */
export async function discoverPython(paths: string[], root: string): Promise<Discovery> {
  const files: SourceRef[] = [];
  const warnings: string[] = [];
  const missing: string[] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();

  const addFile = async (abs: string): Promise<void> => {
    const real = await realpath(abs).catch(() => abs);
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    files.push({ abs, rel: relativeTo(root, abs) });
  };

  const walk = async (dir: string): Promise<void> => {
    let real: string;
    try {
      real = await realpath(dir);
    } catch (error) {
      warnings.push(`${relativeTo(root, dir)}: skipped: ${describeError(error)}`);
      return;
    }
    if (seenDirs.has(real)) {
      warnings.push(`${relativeTo(root, dir)}: skipped: symlink loop or directory already scanned`);
      return;
    }
    seenDirs.add(real);
    let handle;
    try {
      handle = await opendir(dir);
    } catch (error) {
      warnings.push(`${relativeTo(root, dir)}: cannot read directory: ${describeError(error)}`);
      return;
    }
    const entries = [];
    for await (const entry of handle) entries.push(entry);
    entries.sort((a, b) => compareText(a.name, b.name));
    for (const entry of entries) {
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) await walk(abs);
      } else if (entry.isFile()) {
        if (entry.name.endsWith('.py')) await addFile(abs);
      } else if (entry.isSymbolicLink()) {
        const target = await stat(abs).catch((error: unknown) => error as Error);
        if (target instanceof Error) warnings.push(`${relativeTo(root, abs)}: skipped: broken symlink (${describeError(target)})`);
        else if (target.isDirectory()) await walk(abs);
        else if (target.isFile() && entry.name.endsWith('.py')) await addFile(abs);
      }
    }
  };

  for (const given of paths) {
    const info = await stat(given).catch(() => undefined);
    if (!info) missing.push(given);
    else if (info.isDirectory()) await walk(given);
    else if (info.isFile()) await addFile(given);
    else warnings.push(`${given}: skipped: not a file or directory`);
  }
  return { files, warnings, missing };
}

export type ReadResult = { ok: true; text: string } | { ok: false; warning: string };

/** Reads one source file, refusing what cannot be Python source: too big, binary, not UTF-8. */
export async function readSource(ref: SourceRef, maxBytes: number): Promise<ReadResult> {
  let bytes: Buffer;
  try {
    const info = await stat(ref.abs);
    if (info.size > maxBytes) return { ok: false, warning: `${ref.rel}: skipped: ${info.size} bytes is over the ${maxBytes}-byte cap` };
    bytes = await readFile(ref.abs);
  } catch (error) {
    return { ok: false, warning: `${ref.rel}: cannot read: ${describeError(error)}` };
  }
  return decodeSource(ref.rel, bytes);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeSource(rel: string, bytes: Buffer): ReadResult {
  if (bytes.subarray(0, 8000).includes(0)) return { ok: false, warning: `${rel}: skipped: binary file (NUL bytes)` };
  try {
    return { ok: true, text: utf8.decode(bytes).replace(/^\uFEFF/, '') };
  } catch {
    // PEP 263 lets a file declare latin-1 and friends; we analyse UTF-8 only and say so.
    return { ok: false, warning: `${rel}: skipped: not valid UTF-8` };
  }
}

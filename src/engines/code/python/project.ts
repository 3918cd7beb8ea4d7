import type { Expr } from './expr.js';
import type { ClassSummary, FunctionFacts, ModuleSummary } from './model.js';
import { moduleNameOf } from './summary.js';

export interface FunctionRef {
  module: ModuleSummary;
  facts: FunctionFacts;
}

/** What a dotted name means at some place in the project. */
export type Symbol =
  | { kind: 'function'; ref: FunctionRef }
  | { kind: 'class'; module: ModuleSummary; cls: ClassSummary }
  | { kind: 'value'; module: ModuleSummary; name: string; value: Expr; line: number }
  | { kind: 'module'; module: ModuleSummary }
  | { kind: 'external'; name: string };

/** How the project gets at modules it has not parsed yet, or parsed without function bodies. */
export interface ModuleLoader {
  /** Parses a deferred module (by its file, relative to the root). */
  load(rel: string): ModuleSummary | undefined;
  /** Re-parses a module with every function body analysed. */
  deepen(module: ModuleSummary): ModuleSummary;
}

/**
 * The project index: modules by dotted name, their functions and classes, and name resolution
 * through imports (absolute, relative, aliased, re-exported from packages). Modules whose text
 * cannot matter to any rule are deferred: parsed the first time a name resolves into them.
 */
export class Project {
  private readonly modules = new Map<string, ModuleSummary>();
  private readonly deferred = new Map<string, string>();
  /** Every dotted suffix of every module name -> the full names (for src/ layouts and subfolders). */
  private readonly bySuffix = new Map<string, string[]>();

  constructor(
    summaries: ModuleSummary[],
    deferred: string[],
    private readonly loader: ModuleLoader,
  ) {
    for (const s of summaries) {
      this.modules.set(s.module, s);
      this.indexName(s.module);
    }
    for (const rel of deferred) {
      const { module } = moduleNameOf(rel);
      if (this.modules.has(module) || this.deferred.has(module)) continue;
      this.deferred.set(module, rel);
      this.indexName(module);
    }
  }

  private indexName(module: string): void {
    const parts = module.split('.');
    for (let i = 0; i < parts.length; i++) {
      const suffix = parts.slice(i).join('.');
      const names = this.bySuffix.get(suffix);
      if (names) names.push(module);
      else this.bySuffix.set(suffix, [module]);
    }
  }

  /** Modules parsed so far (a deferred one cannot hold a finding until something reaches into it). */
  get summaries(): ModuleSummary[] {
    return [...this.modules.values()];
  }

  /** A module by absolute name; falls back to a unique suffix match (src/ layouts, scanning a subfolder). */
  findModule(name: string): ModuleSummary | undefined {
    const names = this.modules.has(name) || this.deferred.has(name) ? [name] : this.bySuffix.get(name);
    return names?.length === 1 ? this.materialise(names[0]!) : undefined;
  }

  private materialise(name: string): ModuleSummary | undefined {
    const loaded = this.modules.get(name);
    if (loaded) return loaded;
    const rel = this.deferred.get(name);
    if (rel === undefined) return undefined;
    this.deferred.delete(name);
    const summary = this.loader.load(rel);
    if (summary) this.modules.set(name, summary);
    return summary;
  }

  /** Function facts with their bodies analysed (analysing the module now if it was skipped). */
  analysed(ref: FunctionRef): FunctionRef {
    if (ref.facts.analysed) return ref;
    // Replaced in place so every holder of this module sees the analysed functions.
    Object.assign(ref.module, this.loader.deepen(ref.module));
    const facts = ref.module.functions.find((f) => f.qname === ref.facts.qname && f.line === ref.facts.line) ?? ref.facts;
    return { module: ref.module, facts };
  }

  method(module: ModuleSummary, cls: ClassSummary, name: string, depth = 0): FunctionRef | undefined {
    const facts = module.functions.find((f) => f.className === cls.name && f.name === name);
    if (facts) return { module, facts };
    if (depth > 5) return undefined;
    for (const base of cls.bases) {
      const sym = this.resolve(module, base);
      if (sym?.kind === 'class') {
        const found = this.method(sym.module, sym.cls, name, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  }

  /** What `name` (possibly dotted) refers to inside `module`. */
  resolve(module: ModuleSummary, name: string, depth = 0): Symbol | undefined {
    if (!name || depth > 12) return undefined;
    const [head, ...rest] = name.split('.');
    const symbol = this.resolveHead(module, head!, depth);
    if (!symbol) return undefined;
    return rest.length === 0 ? symbol : this.member(symbol, rest, depth);
  }

  private resolveHead(module: ModuleSummary, head: string, depth: number): Symbol | undefined {
    const fn = module.functions.find((f) => f.name === head && !f.className);
    const cls = module.classes.find((c) => c.name === head);
    const value = findLast(module.assignments, (a) => a.name === head);
    const imported = findLast(module.imports, (i) => i.local === head);
    // Later bindings win; a def after an import shadows it and so on.
    const candidates: { line: number; symbol: () => Symbol | undefined }[] = [];
    if (fn) candidates.push({ line: fn.line, symbol: () => ({ kind: 'function', ref: { module, facts: fn } }) });
    if (cls) candidates.push({ line: cls.line, symbol: () => ({ kind: 'class', module, cls }) });
    if (value) candidates.push({ line: value.line, symbol: () => ({ kind: 'value', module, name: value.name, value: value.value, line: value.line }) });
    if (imported) candidates.push({ line: imported.line, symbol: () => this.resolveImport(imported.module, imported.name, depth) });
    candidates.sort((a, b) => b.line - a.line);
    if (candidates.length > 0) return candidates[0]!.symbol();
    // `from x import *`
    for (const star of module.imports.filter((i) => i.name === '*')) {
      const target = this.findModule(star.module);
      if (target && target !== module) {
        const found = this.resolveHead(target, head, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  }

  private resolveImport(moduleName: string, name: string | undefined, depth: number): Symbol | undefined {
    if (name === undefined) {
      const target = this.findModule(moduleName);
      return target ? { kind: 'module', module: target } : { kind: 'external', name: moduleName };
    }
    const target = this.findModule(moduleName);
    if (target) {
      const inside = this.resolve(target, name, depth + 1);
      if (inside) return inside;
    }
    const sub = this.findModule(`${moduleName}.${name}`);
    if (sub) return { kind: 'module', module: sub };
    return target ? undefined : { kind: 'external', name: `${moduleName}.${name}` };
  }

  private member(symbol: Symbol, rest: string[], depth: number): Symbol | undefined {
    switch (symbol.kind) {
      case 'module': {
        const inside = this.resolve(symbol.module, rest.join('.'), depth + 1);
        if (inside) return inside;
        // `import app.core.auth` then `app.core.auth.check`: submodules are attributes of their package.
        const sub = this.findModule(`${symbol.module.module}.${rest[0]}`);
        if (!sub) return undefined;
        return rest.length === 1 ? { kind: 'module', module: sub } : this.member({ kind: 'module', module: sub }, rest.slice(1), depth + 1);
      }
      case 'external':
        return { kind: 'external', name: `${symbol.name}.${rest.join('.')}` };
      case 'class': {
        if (rest.length !== 1) return undefined;
        const ref = this.method(symbol.module, symbol.cls, rest[0]!);
        return ref ? { kind: 'function', ref } : undefined;
      }
      default:
        return undefined;
    }
  }

  /** The fully qualified name of what a call expression constructs or calls, e.g. `fastapi.security.HTTPBasic`. */
  qualifiedCallee(module: ModuleSummary, callee: string): string {
    const sym = this.resolve(module, callee);
    if (sym?.kind === 'external') return sym.name;
    if (sym?.kind === 'class') return `${sym.module.module}.${sym.cls.name}`;
    if (sym?.kind === 'function') return `${sym.ref.module.module}.${sym.ref.facts.qname}`;
    return callee;
  }

  /** Resolves a call name to project function(s) it runs: a function, a class's __init__/__call__, a method. */
  callTarget(from: FunctionRef, callee: string): FunctionRef | undefined {
    if (from.facts.className && (callee.startsWith('self.') || callee.startsWith('cls.'))) {
      const cls = from.module.classes.find((c) => c.name === from.facts.className);
      const method = callee.split('.')[1];
      if (cls && method && callee.split('.').length === 2) return this.method(from.module, cls, method);
      return undefined;
    }
    const sym = this.resolve(from.module, callee);
    if (sym?.kind === 'function') return sym.ref;
    if (sym?.kind === 'class') return this.method(sym.module, sym.cls, '__init__');
    return undefined;
  }
}

function findLast<T>(items: T[], test: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return items[i];
  return undefined;
}

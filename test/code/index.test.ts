import { describe, expect, it } from 'vitest';
import { summariseText } from '../../src/engines/code/analyse-file.js';
import type { ModuleSummary } from '../../src/engines/code/python/model.js';
import { Project } from '../../src/engines/code/python/project.js';

/** A project from literal files, all parsed (nothing deferred), to test name resolution alone. */
async function project(files: Record<string, string>): Promise<Project> {
  const summaries: ModuleSummary[] = [];
  for (const [rel, text] of Object.entries(files)) summaries.push((await summariseText(rel, text, 'all')).summary!);
  return new Project(summaries, [], { load: () => undefined, deepen: (m) => m });
}

const describeSymbol = (p: Project, rel: string, name: string): string => {
  const module = p.summaries.find((m) => m.rel === rel)!;
  const sym = p.resolve(module, name);
  switch (sym?.kind) {
    case 'function':
      return `function ${sym.ref.module.module}.${sym.ref.facts.qname}`;
    case 'class':
      return `class ${sym.module.module}.${sym.cls.name}`;
    case 'value':
      return `value ${sym.module.module}.${sym.name}`;
    case 'module':
      return `module ${sym.module.module}`;
    case 'external':
      return `external ${sym.name}`;
    default:
      return 'unresolved';
  }
};

describe('project index', () => {
  it('resolves absolute, relative, aliased, dotted, re-exported and star imports', async () => {
    const p = await project({
      'app/__init__.py': 'from .core.auth import check as exported_check\n',
      'app/core/__init__.py': '',
      'app/core/auth.py': 'from fastapi.security import HTTPBasic as Basic\nsecurity = Basic()\n\ndef check(): pass\n\nclass Guard:\n    def __call__(self): pass\n',
      'app/api/views.py': [
        'import app.core.auth',
        'import app.core.auth as auth_mod',
        'from ..core import auth',
        'from ..core.auth import Guard as G, security',
        'from app import exported_check',
        'from app.core.auth import *',
      ].join('\n'),
    });
    const at = (name: string): string => describeSymbol(p, 'app/api/views.py', name);
    expect(at('app.core.auth.check')).toBe('function app.core.auth.check');
    expect(at('auth_mod.check')).toBe('function app.core.auth.check');
    expect(at('auth.security')).toBe('value app.core.auth.security');
    expect(at('G')).toBe('class app.core.auth.Guard');
    expect(at('G.__call__')).toBe('function app.core.auth.Guard.__call__');
    expect(at('exported_check')).toBe('function app.core.auth.check');
    expect(at('check')).toBe('function app.core.auth.check');
    expect(at('nothing_here')).toBe('unresolved');
    expect(describeSymbol(p, 'app/core/auth.py', 'Basic')).toBe('external fastapi.security.HTTPBasic');
    expect(p.qualifiedCallee(p.findModule('app.core.auth')!, 'Basic')).toBe('fastapi.security.HTTPBasic');
  });

  it('finds modules by a unique suffix (src/ layouts) and refuses ambiguous ones', async () => {
    const p = await project({ 'src/shop/auth.py': 'x = 1\n', 'src/shop/db.py': '', 'tests/db.py': '' });
    expect(p.findModule('shop.auth')?.rel).toBe('src/shop/auth.py');
    expect(p.findModule('db')).toBeUndefined();
  });

  it('parses a deferred module the first time a name resolves into it', async () => {
    const loaded: string[] = [];
    const main = (await summariseText('main.py', 'from helpers import audit\n', 'all')).summary!;
    const helpers = (await summariseText('helpers.py', 'def audit(): pass\n', 'all')).summary!;
    const p = new Project([main], ['helpers.py'], { load: (rel) => (loaded.push(rel), helpers), deepen: (m) => m });
    expect(p.summaries.map((m) => m.rel)).toEqual(['main.py']);
    expect(describeSymbol(p, 'main.py', 'audit')).toBe('function helpers.audit');
    expect(loaded).toEqual(['helpers.py']);
  });
});

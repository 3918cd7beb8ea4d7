import { ToolError } from '../core/errors.js';

/**
 * GitHub passes action inputs as INPUT_<NAME> environment variables (name upper-cased, spaces to
 * underscores, dashes kept). This reads them the way @actions/core does, without the dependency.
 */
export function getInput(env: NodeJS.ProcessEnv, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

export const ENGINES = ['scan', 'code', 'probe'] as const;
export type ActionEngine = (typeof ENGINES)[number];

/** Inputs that only some engines take; giving one to another engine is a mistake worth saying. */
const APPLIES: Record<'spec' | 'tier' | 'cmd' | 'root', readonly ActionEngine[]> = { spec: ['scan'], tier: ['scan'], cmd: ['probe'], root: ['code'] };

export interface ActionInputs {
  engine: ActionEngine;
  target: string;
  spec: string;
  auth: string;
  tier: string;
  threshold: string;
  failOn: string;
  baseline: string;
  formats: string[];
  outputDir: string;
  cmd: string;
  /** code: the directory file paths are relative to (empty: the workspace, for targets inside it). */
  root: string;
  args: string[];
}

export function readInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const engine = getInput(env, 'engine') || 'code';
  if (!(ENGINES as readonly string[]).includes(engine)) throw new ToolError(`input engine must be one of ${ENGINES.join(', ')}, not "${engine}"`);
  const target = getInput(env, 'target');
  if (!target) throw new ToolError(`input target is required: a URL for scan and probe, a path for code`);
  const misplaced = (Object.keys(APPLIES) as (keyof typeof APPLIES)[]).find((name) => getInput(env, name) && !APPLIES[name].includes(engine as ActionEngine));
  if (misplaced) throw new ToolError(`input ${misplaced} does not apply to the ${engine} engine, only to ${APPLIES[misplaced].join(', ')}`);
  const formats = (getInput(env, 'format') || 'sarif')
    .split(/[\s,]+/)
    .filter(Boolean);
  return {
    engine: engine as ActionEngine,
    target,
    spec: getInput(env, 'spec'),
    auth: getInput(env, 'auth'),
    tier: getInput(env, 'tier'),
    threshold: getInput(env, 'threshold'),
    failOn: getInput(env, 'fail-on'),
    baseline: getInput(env, 'baseline'),
    formats,
    outputDir: getInput(env, 'output-dir') || 'portcullis-results',
    cmd: getInput(env, 'cmd'),
    root: getInput(env, 'root'),
    args: getInput(env, 'args').split(/\s+/).filter(Boolean),
  };
}

import { ToolError } from '../../core/errors.js';

/**
 * basic:USER:PASS (the password may itself hold colons), for the CLI and MCP alike. Parsed here
 * rather than by commander, whose error message would quote the value, password included.
 */
export function parseAuth(value: string, source: string): { user: string; password: string } {
  const match = /^basic:([^:]+):(.+)$/s.exec(value);
  if (!match) throw new ToolError(`${source} must look like basic:USER:PASSWORD (the value is not shown, it may hold a password)`);
  return { user: match[1]!, password: match[2]! };
}

import type { Command } from 'commander';
import { TOOL_VERSION } from '../../core/report.js';

export function registerMcp(program: Command): void {
  program
    .command('mcp')
    .description('run a Model Context Protocol server over stdio, for AI assistants: scan, analyse code, probe, list results, explain rules')
    .addHelpText(
      'after',
      '\nClient configuration (e.g. an mcpServers entry): {"command": "npx", "args": ["-y", "portcullis", "mcp"]}.\n' +
        'Standard output carries protocol messages only; diagnostics go to standard error.',
    )
    .action(async () => {
      // Stdout belongs to the protocol: anything else printing there would corrupt it.
      console.log = console.info = console.debug = console.error;
      const [{ StdioServerTransport }, { ENGINES }, { createMcpServer }] = await Promise.all([
        import('@modelcontextprotocol/sdk/server/stdio.js'),
        import('../../mcp/engines.js'),
        import('../../mcp/server.js'),
      ]);
      const { server, idle } = createMcpServer(ENGINES);
      const closed = new Promise<void>((resolve) => (server.server.onclose = resolve));
      // The client ends the session by closing our stdin; the SDK transport does not watch for that.
      process.stdin.once('end', () => void server.close());
      await server.connect(new StdioServerTransport());
      process.stderr.write(`portcullis ${TOOL_VERSION} MCP server ready on stdio\n`);
      await closed;
      // Closing aborted any running tool; wait for it to stop what it started (a probed app).
      await idle();
    });
}

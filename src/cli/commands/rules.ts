import { Command, Option } from 'commander';
import { ToolError } from '../../core/errors.js';
import { ENGINES } from '../../core/rule.js';
import { ruleDoc } from '../../core/rule-docs.js';
import { compareSeverity } from '../../core/severity.js';
import { compareText } from '../../core/order.js';

export function registerRules(program: Command): void {
  program
    .command('rules')
    .description('list the rule catalog, or print one rule\'s documentation')
    .argument('[id]', 'a rule id, e.g. auth.missing-challenge')
    .addOption(new Option('--engine <engine>', 'only the rules of one engine').choices([...ENGINES]))
    .option('--json', 'print rule metadata as JSON')
    .action(async (id: string | undefined, options: { engine?: string; json?: boolean }) => {
      const { ALL_RULES, findRule } = await import('../../catalog.js');
      if (id) {
        const rule = findRule(id);
        if (!rule) throw new ToolError(`unknown rule "${id}": run "portcullis rules" for the list`);
        process.stdout.write(options.json ? `${JSON.stringify(rule, null, 2)}\n` : ruleDoc(rule));
        return;
      }
      const rules = ALL_RULES.filter((r) => !options.engine || r.engine === options.engine).sort(
        (a, b) => compareText(a.engine, b.engine) || compareSeverity(a.severity, b.severity) || compareText(a.id, b.id),
      );
      if (options.json) {
        process.stdout.write(`${JSON.stringify(rules, null, 2)}\n`);
        return;
      }
      const width = Math.max(4, ...rules.map((r) => r.id.length)) + 2;
      process.stdout.write(`${'ID'.padEnd(width)}${'SEVERITY'.padEnd(10)}${'CATEGORY'.padEnd(22)}TITLE\n`);
      for (const r of rules) process.stdout.write(`${r.id.padEnd(width)}${r.severity.padEnd(10)}${r.category.padEnd(22)}${r.title}\n`);
      process.stdout.write(`\n${rules.length} rules. "portcullis rules <id>" prints one rule's docs.\n`);
    });
}

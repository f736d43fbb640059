/**
 * `campaignctl init`: scaffolds a project into --dir (or the current folder): campaignctl.yaml with
 * the sandbox as default environment, one example per kind under campaigns/, schemas/ for editors,
 * and `.campaignctl/` in .gitignore. Refuses (exit 1, nothing written) when any file would be
 * overwritten.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { action, createOutput, globalOptions } from './context.js';
import type { Output } from './context.js';
import { initProject } from '../init/scaffold.js';
import type { InitResult } from '../init/scaffold.js';
import { diagnostic } from '../diagnostics/catalogue.js';
import { commandLine } from '../diagnostics/command-line.js';
import { formatDiagnostics } from './views/diagnostics.js';

export function register(program: Command): void {
  program
    .command('init')
    .description(
      'scaffold campaignctl.yaml (sandbox default), one example per kind in campaigns/, schemas/ for editors, and .gitignore; never overwrites',
    )
    .option('--nested', 'scaffold inside another project anyway (never inside its campaigns/ folder)')
    .action(
      action(async (flags: { nested?: boolean }, cmd: Command) => {
        const out = createOutput(globalOptions(cmd));
        const result = await initProject(out.opts.dir ?? process.cwd(), undefined, { nested: flags.nested === true });
        return report(out, result);
      }),
    );
}

function report(out: Output, result: InitResult): number {
  const where = path.relative(process.cwd(), result.dir) || '.';
  const nested = !result.ok && 'parent' in result ? [diagnostic('init.inside-project', { dir: where, parent: result.parent, inCampaigns: result.inCampaigns })] : [];
  if (out.opts.json) {
    out.json(nested.length ? { ...result, diagnostics: nested } : result);
    return result.ok ? 0 : 1;
  }
  if (!result.ok && 'parent' in result) {
    out.error(formatDiagnostics(nested, { c: out.c }));
    return 1;
  }
  if (!result.ok) {
    out.error(`campaignctl init: refusing to overwrite existing files in ${where}:`);
    for (const file of result.conflicts) out.error(`  ${file}`);
    out.error('Nothing was written. Run init in an empty folder, or move these files away first.');
    return 1;
  }
  const { c } = out;
  out.info(`Initialised a campaignctl project in ${where}`);
  for (const file of result.created) out.info(`  ${c.green('created')} ${file}`);
  out.info(
    `  ${c.green('created')} schemas/ (${result.schemas.length} JSON Schemas: the modelines in the YAML files point at them, so editors with the YAML extension validate and complete offline)`,
  );
  if (result.gitignore === 'created') out.info(`  ${c.green('created')} .gitignore with .campaignctl/`);
  if (result.gitignore === 'appended') out.info(`  ${c.green('added')} .campaignctl/ to .gitignore`);
  out.info('');
  out.info('The default environment is the sandbox: CleverTap\'s API emulated locally, no account needed.');
  // The new project's own default environment: no --env; --dir when it is not here.
  out.info(`Next: ${commandLine({ env: undefined, dir: where === '.' ? undefined : where }, ['validate'])}`);
  return 0;
}

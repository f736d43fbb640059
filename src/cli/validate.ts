/**
 * `campaignctl validate`: load, parse, schema-check and rule-check every file of the project, with
 * no network. Exit 0 when valid (warnings allowed), 1 when anything is an error.
 */
import type { Command } from 'commander';
import { action, createOutput, globalOptions } from './context.js';
import { loadProjectFor, printDiagnostics } from './shared/project.js';
import { summaryLine, validateJson } from './views/diagnostics.js';
import { validate } from '../operations/validate.js';

export function register(program: Command): void {
  program
    .command('validate')
    .description('check every file under campaigns/ and campaignctl.yaml: YAML, schemas, templates and cross-resource rules (no network)')
    .action(
      action(async (_flags: unknown, cmd: Command) => {
        const out = createOutput(globalOptions(cmd));
        const project = await loadProjectFor(out);
        const { valid, diagnostics, resources } = await validate(project);
        const invalid = !valid;
        if (out.opts.json) {
          out.json(validateJson(diagnostics, resources));
          return invalid ? 1 : 0;
        }
        printDiagnostics(out, project.root, diagnostics);
        const summary = summaryLine(diagnostics, resources, out.c);
        if (invalid) out.error(summary);
        else out.info(summary);
        return invalid ? 1 : 0;
      }),
    );
}

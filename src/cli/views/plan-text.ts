/**
 * The plan as a terminal reads it: one line per change with its symbol and colour, the field diff
 * under it, irreversible changes flagged with their audience, then drift, scheduled occurrences,
 * notes, warnings and the summary line. Colour comes in as a Colors instance so tests (and
 * --no-color) get plain text.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { changeFacts, estimateText, reasonText, SYMBOL } from '../../plan/describe.js';
import { fireSections } from '../../plan/describe-fires.js';
import type { Plan, PlanAction, PlanChange, PlanMeta } from '../../plan/types.js';
import type { Colors } from '../context.js';
import { fieldDiffLines, renderedDiffLines, type DiffSign } from './plan-diff.js';

/** Field diff lines shown per change before "... N more". */
const MAX_DIFF_LINES = 20;
/** Longest value shown on a diff line; longer ones end in an ellipsis. */
const MAX_VALUE = 80;

export function renderPlanText(plan: Plan, c: Colors, meta?: Pick<PlanMeta, 'environment' | 'sandbox'>): string {
  const out: string[] = [];
  if (meta) {
    const where = meta.sandbox ? ' (sandbox: the local CleverTap emulator, nothing reaches a real account)' : '';
    out.push(c.bold(`Plan for environment ${meta.environment}${where}`), '');
  }

  const width = Math.min(48, Math.max(0, ...plan.changes.map((ch) => ch.address.length)));
  for (const ch of plan.changes) {
    out.push(changeLine(ch, c, width));
    for (const line of diffLines(ch, c)) out.push(line);
    for (const f of fireSections(ch)) out.push(`        ${c.dim(f.title + (f.lines.length ? ':' : ''))}`, ...f.lines.map((l) => `          ${l}`));
  }
  if (plan.changes.length > 0) out.push('');

  if (plan.drift.length > 0) {
    out.push(c.yellow('Drift (changed on CleverTap outside campaignctl):'));
    for (const d of plan.drift) {
      const heal = d.healed ? ' (re-created by this plan)' : '';
      out.push(`  ${c.yellow('?')} ${d.address}  ${d.message}${heal}`);
    }
    if (!plan.drift.every((d) => d.healed)) out.push(c.dim('  nothing is changed for drift unless you plan with --heal'));
    out.push('');
  }

  if (plan.scheduled.length > 0) {
    out.push('Scheduled bulletin occurrences (not changes; raised when due):');
    for (const s of plan.scheduled) out.push(`  ${c.dim('@')} ${s.address}  at ${s.at}`);
    out.push('');
  }

  if (plan.notes.length > 0) {
    out.push('Notes:');
    for (const n of plan.notes) out.push(`  ${c.dim('-')} ${n.address}: ${n.message}`);
    out.push('');
  }

  if (plan.warnings.length > 0) {
    out.push(c.yellow('Warnings:'));
    for (const w of plan.warnings) out.push(...warningLines(w, c));
    out.push('');
  }

  out.push(summaryLine(plan, c));
  return out.join('\n') + '\n';
}

function colorFor(action: PlanAction, c: Colors): (s: string) => string {
  switch (action) {
    case 'create':
      return c.green;
    case 'replace':
    case 'update':
      return c.yellow;
    case 'stop':
    case 'delete':
      return c.red;
    case 'send':
      return c.magenta;
    default:
      return c.dim;
  }
}

function changeLine(ch: PlanChange, c: Colors, width: number): string {
  const paint = colorFor(ch.action, c);
  const symbol = paint(SYMBOL[ch.action].padStart(3));
  const parts = [`${symbol} ${paint(ch.address.padEnd(width))}  ${ch.action.padEnd(7)}`, c.dim(reasonText(ch))];
  const facts = changeFacts(ch);
  if (facts.length > 0) parts.push(c.dim(`(${facts.join('; ')})`));
  if (ch.irreversible) parts.push(c.bold(c.red('IRREVERSIBLE')) + ' ' + estimateText(ch));
  else if (ch.estimateStatus !== 'not-applicable') parts.push(c.dim(estimateText(ch)));
  return parts.join('  ');
}

function diffLines(ch: PlanChange, c: Colors): string[] {
  const lines: string[] = [];
  const fields = fieldDiffLines(ch.diff, MAX_VALUE);
  for (const { sign, text } of fields.slice(0, MAX_DIFF_LINES)) lines.push(`        ${paintFor(sign, c)(sign)} ${text}`);
  if (fields.length > MAX_DIFF_LINES) lines.push(c.dim(`        ... ${fields.length - MAX_DIFF_LINES} more changed fields`));
  // The rendered text keeps its own signs in the first column (unified diff), indented below.
  for (const { sign, text } of renderedDiffLines(ch)) lines.push(`          ${paintFor(sign, c)(text)}`);
  return lines;
}

function paintFor(sign: DiffSign, c: Colors): (s: string) => string {
  switch (sign) {
    case '+':
      return c.green;
    case '-':
      return c.red;
    case '~':
      return c.yellow;
    case '@':
      return c.cyan;
    default:
      return (s) => s;
  }
}

function warningLines(w: Diagnostic, c: Colors): string[] {
  const where = w.file ? `${w.file}${w.line ? `:${w.line}:${w.column ?? 1}` : ''}  ` : '';
  const lines = [`  ${c.yellow('warning')}  ${c.dim(w.code)}  ${where}${w.message}`];
  if (w.hint) lines.push(`           ${c.dim('hint: ' + w.hint)}`);
  return lines;
}

function summaryLine(plan: Plan, c: Colors): string {
  const text = plan.summary.text;
  if (plan.summary.total === 0) return c.green(text);
  return plan.summary.irreversible > 0 ? c.bold(c.red(text)) : c.bold(text);
}

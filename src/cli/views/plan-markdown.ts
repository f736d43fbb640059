/**
 * `plan --format markdown`: a pull-request comment. The marker comment on the first line lets CI
 * find and update the same comment on every push; the summary comes first, then a loud line when
 * applying would message people, then one collapsible block per change. GitHub refuses comments
 * over 65,536 characters, so past 60,000 the middle blocks are dropped with a note saying so.
 */
import { commandLine, type CommandTarget } from '../../diagnostics/command-line.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { changeFacts, estimateText, reasonText, SYMBOL } from '../../plan/describe.js';
import { fireSections } from '../../plan/describe-fires.js';
import { formatAudience } from '../../plan/summary.js';
import type { Plan, PlanChange, PlanMeta } from '../../plan/types.js';
import { fieldDiffLines, renderedDiffLines } from './plan-diff.js';

export const MARKDOWN_LIMIT = 60_000;
/** One change's block never exceeds this, so one huge spec can not push everything else out. */
const BLOCK_LIMIT = 6_000;

export function planMarker(environment: string): string {
  return `<!-- campaignctl-plan:${environment} -->`;
}

export function renderPlanMarkdown(
  plan: Plan,
  meta: PlanMeta,
  errors: readonly Diagnostic[] = [],
  limit: number = MARKDOWN_LIMIT,
  target: CommandTarget = { env: meta.environment },
): string {
  const head = headBlocks(plan, meta, errors);
  const body = [...plan.changes.map(changeBlock), ...trailingBlocks(plan)];
  const tail = [footer(meta)];
  return fit(head, body, tail, limit, commandLine(target, ['plan'])).join('\n\n') + '\n';
}

function headBlocks(plan: Plan, meta: PlanMeta, errors: readonly Diagnostic[]): string[] {
  const blocks = [planMarker(meta.environment)];
  const sandbox = meta.sandbox ? ' (sandbox emulator)' : '';
  blocks.push(`### campaignctl plan for \`${escapeInline(meta.environment)}\`${sandbox}`);
  blocks.push(`**${plan.summary.text}**`);
  const refusals = errors.filter((e) => e.severity === 'error');
  if (refusals.length > 0) {
    blocks.push(
      `> [!WARNING]\n> **This plan is refused (${refusals.length} error${refusals.length === 1 ? '' : 's'}); apply would not run.**\n` +
        refusals
          .slice(0, 20)
          .map((e) => `> - ${where(e)}${escapeInline(e.message)}`)
          .concat(refusals.length > 20 ? [`> - ... and ${refusals.length - 20} more`] : [])
          .join('\n'),
    );
  }
  const irreversible = plan.changes.filter((c) => c.irreversible);
  if (irreversible.length > 0) {
    const audience =
      plan.summary.estimatedAudience > 0 ? ` about ${formatAudience(plan.summary.estimatedAudience)} users` : ' people';
    const list = irreversible.slice(0, 20).map((c) => `> - \`${c.address}\`: ${estimateText(c)}`);
    if (irreversible.length > 20) list.push(`> - ... and ${irreversible.length - 20} more`);
    blocks.push(
      `> [!CAUTION]\n> **Irreversible: applying this plan messages${audience} right away (${irreversible.length} send${irreversible.length === 1 ? '' : 's'}).**\n` +
        list.join('\n'),
    );
  }
  if (plan.partial) blocks.push('> [!NOTE]\n> This plan is partial (scoped by target, selector or changed files).');
  return blocks;
}

function changeBlock(c: PlanChange): string {
  const facts = changeFacts(c);
  // <summary> is HTML: markdown emphasis does not render inside it
  const flag = c.irreversible
    ? ` <b>IRREVERSIBLE</b>, ${escapeHtml(estimateText(c))}`
    : c.estimateStatus !== 'not-applicable'
      ? `, ${escapeHtml(estimateText(c))}`
      : '';
  const title = `<code>${SYMBOL[c.action]} ${escapeHtml(c.address)}</code> ${c.action}: ${escapeHtml(reasonText(c))}${facts.length ? ` (${escapeHtml(facts.join('; '))})` : ''}${flag}`;
  const detail = detailText(c);
  if (detail === '') return `- ${title}`;
  let code = detail;
  if (code.length > BLOCK_LIMIT) code = code.slice(0, BLOCK_LIMIT) + `\n... (${code.length - BLOCK_LIMIT} more characters)`;
  const lang = c.diff.length > 0 || (c.renderedDiff ?? []).length > 0 ? 'diff' : 'json';
  const fires = fireSections(c).map((f) => `\n\n**${escapeInline(f.title)}**${f.lines.map((l) => `\n- ${escapeInline(l)}`).join('')}`);
  return `<details><summary>${title}</summary>\n\n${fence(code, lang)}${fires.join('')}\n\n</details>`;
}

function detailText(c: PlanChange): string {
  if (c.diff.length > 0 || (c.renderedDiff ?? []).length > 0) {
    // `!` is the changed-line mark GitHub's diff highlighting knows; the rendered text is a
    // unified diff already.
    const fields = fieldDiffLines(c.diff, 200).map(({ sign, text }) => `${sign === '~' ? '!' : sign} ${text}`);
    return [...fields, ...renderedDiffLines(c).map((l) => l.text)].join('\n');
  }
  if (c.after !== null && (c.action === 'create' || c.action === 'send')) return JSON.stringify(c.after, null, 2);
  return '';
}

function trailingBlocks(plan: Plan): string[] {
  const blocks: string[] = [];
  if (plan.drift.length > 0) {
    blocks.push('**Drift** (changed on CleverTap outside campaignctl)\n\n' + plan.drift.map((d) => `- \`${d.address}\`: ${escapeInline(d.message)}${d.healed ? ' (re-created by this plan)' : ''}`).join('\n'));
  }
  if (plan.scheduled.length > 0) {
    blocks.push('**Scheduled bulletin occurrences**\n\n' + plan.scheduled.map((s) => `- \`${s.address}\` at ${s.at}`).join('\n'));
  }
  if (plan.notes.length > 0) {
    blocks.push('**Notes**\n\n' + plan.notes.map((n) => `- \`${n.address}\`: ${escapeInline(n.message)}`).join('\n'));
  }
  if (plan.warnings.length > 0) {
    blocks.push(
      '**Warnings**\n\n' +
        plan.warnings.map((w) => `- ${where(w)}${escapeInline(w.message)}${w.hint ? ` _(${escapeInline(w.hint)})_` : ''}`).join('\n'),
    );
  }
  return blocks;
}

function footer(meta: PlanMeta): string {
  const parts = [`environment \`${escapeInline(meta.environment)}\``];
  if (meta.serial !== null) parts.push(`state serial ${meta.serial}`);
  if (meta.configHash) parts.push(`config \`${meta.configHash.replace(/^sha256:/, '').slice(0, 12)}\``);
  parts.push(meta.commit ? `commit \`${meta.commit.slice(0, 12)}\`` : 'not a git commit');
  return `<sub>${parts.join(' · ')}</sub>`;
}

/**
 * Keeps head and tail whole and as many body blocks from both ends as fit, with a note in place
 * of the dropped middle. Blocks are kept whole, so no <details> or code fence is left open.
 */
function fit(head: string[], body: string[], tail: string[], limit: number, replan: string): string[] {
  const size = (blocks: string[]) => blocks.reduce((n, b) => n + b.length + 2, 0);
  if (size(head) + size(body) + size(tail) <= limit) return [...head, ...body, ...tail];
  const noteFor = (dropped: number, chars: number) =>
    `> [!NOTE]\n> **${dropped} block${dropped === 1 ? '' : 's'} of plan details (${chars.toLocaleString('en-US')} characters) truncated here** to stay under GitHub's comment limit. Run \`${replan}\` (or read the CI log) for the full plan.`;
  let budget = limit - size(head) - size(tail) - noteFor(body.length, 10 ** 9).length - 2;
  const first: string[] = [];
  const last: string[] = [];
  let i = 0;
  let j = body.length - 1;
  // Alternate from the front and the back so both the first changes and the summary-like trailing
  // blocks (drift, warnings) survive.
  let fromFront = true;
  while (i <= j) {
    const block = fromFront ? body[i]! : body[j]!;
    if (block.length + 2 > budget) break;
    budget -= block.length + 2;
    if (fromFront) first.push(body[i++]!);
    else last.unshift(body[j--]!);
    fromFront = !fromFront;
  }
  const dropped = body.slice(i, j + 1);
  if (dropped.length === 0) return [...head, ...first, ...last, ...tail];
  return [...head, ...first, noteFor(dropped.length, size(dropped)), ...last, ...tail];
}

function where(d: Diagnostic): string {
  if (d.file) return `\`${d.file}${d.line ? `:${d.line}:${d.column ?? 1}` : ''}\` `;
  if (d.address) return `\`${d.address}\` `;
  return '';
}

function fence(text: string, lang: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${lang}\n${text}\n${ticks}`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inline text from YAML must not open HTML or break out of the comment structure. */
function escapeInline(s: string): string {
  return escapeHtml(s).replace(/\r?\n/g, ' ');
}

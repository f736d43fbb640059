/**
 * Every diagnostic code campaignctl reports, with its severity, its wording and its hint. Wording
 * lives only here so that text, JSON and markdown views say the same thing, and so that codes stay
 * stable: tests and scripts match on `code`, people read `message` and `hint`.
 */
import { commandLine, resolveCommand, type CommandTarget } from './command-line.js';
import type { Diagnostic, Severity } from './diagnostic.js';

export interface CatalogueEntry<A> {
  /** Fixed, or chosen by the arguments (a guard an override lets through warns instead of refusing). */
  severity: Severity | ((args: A) => Severity);
  /** One line for documentation: what the code means. */
  summary: string;
  message(args: A): string;
  hint?(args: A): string | undefined;
}

function entry<A>(e: CatalogueEntry<A>): CatalogueEntry<A> {
  return e;
}

/** Inline code in messages: `target_mode`. */
function q(text: string | number): string {
  return '`' + String(text) + '`';
}

/** A short, readable rendering of a YAML value for messages. */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

function list(values: readonly (string | number)[], max = 12): string {
  const shown = values.slice(0, max).map((v) => q(v));
  return values.length > max ? `${shown.join(', ')}, ... (${values.length - max} more)` : shown.join(', ');
}

function didYouMean(suggestion: string | undefined): string | undefined {
  return suggestion === undefined ? undefined : `did you mean ${q(suggestion)}?`;
}

/**
 * Where a template variable's value comes from, for the hint of a missing one: `vars.*` from the
 * environment in campaignctl.yaml (`--set` never reaches them), `schedule.*` from the fire time,
 * anything else (`data.*`, `properties.*`) from the command's --data / --set.
 */
function missingValueSource(name: string): string {
  const [root, ...rest] = name.split('.');
  const key = rest.join('.');
  if (root === 'vars') return `give ${q(key)} a value under \`vars\` of the environment in campaignctl.yaml`;
  if (root === 'schedule') return 'it is set only when a schedule fires';
  return `pass it (--data FILE or --set ${key || name}=...)`;
}

function regeneratePlan(target: CommandTarget): string {
  return `make a new one with \`${commandLine(target, ['plan', '--out', 'FILE'])}\``;
}

const STATE_HINT = 'Set `state` in campaignctl.yaml (or CAMPAIGNCTL_STATE) to a file path, e.g. .campaignctl/production.db, or a postgres:// URL.';

/** `spec.content` for messages; the document root is "the document". */
function at(path: string): string {
  return path === '' ? 'the document' : q(path);
}

export const catalogue = {
  // ---- files and project ----
  'project.not-found': entry<{ dir: string; explicit: boolean }>({
    severity: 'error',
    summary: 'No project root: --dir, or no folder upward, holds campaignctl.yaml or campaigns/.',
    message: (a) =>
      a.explicit
        ? `${a.dir} is not a campaignctl project (it holds neither campaignctl.yaml nor campaigns/)`
        : `no campaignctl project found from ${a.dir} upward (looked for campaignctl.yaml or campaigns/)`,
    hint: () => 'run `campaignctl init` to create one, or pass --dir PATH',
  }),
  'init.inside-project': entry<{ dir: string; parent: string; inCampaigns: boolean }>({
    severity: 'error',
    summary: '`init` was asked to scaffold inside an existing project.',
    message: (a) =>
      a.inCampaigns
        ? `${a.dir} is inside the campaigns/ folder of the project at ${a.parent}: its files would become that project's resources`
        : `${a.dir} is inside the project at ${a.parent}: a project here would take over every command run below it`,
    hint: (a) =>
      a.inCampaigns
        ? 'run init in a folder outside that project, or pass --dir to one; nothing was written'
        : 'run init in a folder outside that project, or pass --dir to one; to nest a project there anyway, add --nested; nothing was written',
  }),
  'file.unreadable': entry<{ detail: string }>({
    severity: 'error',
    summary: 'A file could not be read.',
    message: (a) => `can not read the file: ${a.detail}`,
  }),
  'file.unlistable-folder': entry<{ detail: string }>({
    severity: 'error',
    summary: 'A folder under campaigns/ could not be listed; what it holds is not known.',
    message: (a) => `can not list the folder: ${a.detail}`,
    hint: () => 'fix its permissions, or the symbolic link that loops; until then plan and apply refuse, so that nothing in it is taken for removed',
  }),
  'file.too-large': entry<{ size: number; limit: number }>({
    severity: 'error',
    summary: 'A file is larger than the 1 MiB limit; it is not parsed at all.',
    message: (a) => `file is ${a.size} bytes, over the limit of ${a.limit} bytes (1 MiB); not parsed`,
    hint: () => 'split it into several files; large data belongs outside campaigns/ or in a `_`-prefixed file',
  }),
  'config.unknown-environment': entry<{ name: string; known: string[]; suggestion?: string }>({
    severity: 'error',
    summary: 'The environment named by --env or defaultEnvironment is not in campaignctl.yaml.',
    message: (a) => `unknown environment ${q(a.name)}; campaignctl.yaml defines ${a.known.length ? list(a.known) : 'none'}`,
    hint: (a) => didYouMean(a.suggestion) ?? 'pass --env NAME with one of the environments above',
  }),
  'config.unknown-region': entry<{ variable: string; value: string; known: string[]; suggestion?: string }>({
    severity: 'error',
    summary: 'CLEVERTAP_REGION names no CleverTap region.',
    message: (a) => `${a.variable} is ${q(a.value)}, which is not a CleverTap region; regions: ${list(a.known)}`,
    hint: (a) => didYouMean(a.suggestion) ?? `set ${a.variable} to one of the regions above, or unset it to use the environment's region`,
  }),
  'config.multiple-documents': entry<Record<string, never>>({
    severity: 'error',
    summary: 'campaignctl.yaml holds more than one YAML document.',
    message: () => 'campaignctl.yaml holds one document; this one is ignored',
    hint: () => 'remove the `---` separator and merge the settings into the first document',
  }),
  'config.no-default-environment': entry<{ known: string[] }>({
    severity: 'error',
    summary: 'campaignctl.yaml has several environments and no defaultEnvironment, and --env was not given.',
    message: (a) => `no environment chosen: campaignctl.yaml defines ${list(a.known)} but no ${q('defaultEnvironment')}`,
    hint: () => 'add `defaultEnvironment: NAME` to campaignctl.yaml or pass --env NAME',
  }),

  // ---- YAML ----
  'yaml.syntax': entry<{ detail: string }>({
    severity: 'error',
    summary: 'The YAML parser rejected the text.',
    message: (a) => `YAML syntax error: ${a.detail}`,
    hint: () => 'check the indentation (spaces, not tabs) and that every bracket and quote opened above is closed',
  }),
  'yaml.duplicate-key': entry<{ key: string }>({
    severity: 'error',
    summary: 'A mapping has the same key twice.',
    message: (a) => `duplicate key ${q(a.key)} in this mapping`,
    hint: () => 'YAML keeps only one of them; remove or rename the other',
  }),
  'yaml.warning': entry<{ detail: string }>({
    severity: 'warning',
    summary: 'The YAML parser accepted the text but found something suspicious.',
    message: (a) => `YAML: ${a.detail}`,
  }),
  'yaml.alias-limit': entry<{ limit: number }>({
    severity: 'error',
    summary: 'Aliases expand to too many nodes (an alias bomb, e.g. "billion laughs").',
    message: (a) => `aliases in this document expand to too many nodes (limit ${a.limit}); not loaded`,
    hint: () => 'write the values out, or use fewer `*alias` references',
  }),
  'yaml.too-deep': entry<{ limit: number }>({
    severity: 'error',
    summary: 'Nesting deeper than 64 levels.',
    message: (a) => `nesting deeper than ${a.limit} levels; not loaded`,
    hint: () => 'flatten the structure; no campaignctl resource needs this depth',
  }),
  'yaml.forbidden-key': entry<{ key: string }>({
    severity: 'error',
    summary: 'A key that could alter JavaScript object prototypes (`__proto__`, `constructor`, `prototype`).',
    message: (a) => `key ${q(a.key)} is not allowed anywhere`,
    hint: () => 'rename the key; these names are reserved because they can tamper with objects in JavaScript',
  }),

  // ---- schema ----
  'schema.unknown-kind': entry<{ kind: string; kinds: readonly string[]; suggestion?: string }>({
    severity: 'error',
    summary: '`kind` is not one of the resource kinds.',
    message: (a) => `unknown kind ${show(a.kind)}; expected one of ${list(a.kinds)}`,
    hint: (a) => didYouMean(a.suggestion),
  }),
  'schema.required': entry<{ key: string; path: string }>({
    severity: 'error',
    summary: 'A required key is missing (reported at the mapping that should hold it).',
    message: (a) => `${at(a.path)} is missing the required key ${q(a.key)}`,
    hint: (a) => `add \`${a.key}:\` to ${a.path === '' ? 'the document' : q(a.path)}`,
  }),
  'schema.additional-property': entry<{ key: string; path: string; allowed: string[]; suggestion?: string }>({
    severity: 'error',
    summary: 'A key that the schema does not know.',
    message: (a) => `unknown key ${q(a.key)} in ${at(a.path)}`,
    hint: (a) =>
      didYouMean(a.suggestion) ?? (a.allowed.length ? `allowed keys: ${list(a.allowed)}` : 'this mapping takes no keys'),
  }),
  'schema.invalid-key': entry<{ path: string; key: string; detail: string }>({
    severity: 'error',
    summary: 'A key whose name breaks the rules for this mapping (too long, wrong characters).',
    message: (a) => `key ${show(a.key)} in ${at(a.path)} is not allowed: ${a.detail}`,
  }),
  'schema.enum': entry<{ path: string; value: unknown; allowed: unknown[]; suggestion?: string }>({
    severity: 'error',
    summary: 'A value outside the allowed set.',
    message: (a) => `${at(a.path)} must be one of ${list(a.allowed.map((v) => String(v)))}; got ${show(a.value)}`,
    hint: (a) => didYouMean(a.suggestion),
  }),
  'schema.const': entry<{ path: string; value: unknown; expected: unknown }>({
    severity: 'error',
    summary: 'A value that must be exactly one thing.',
    message: (a) => `${at(a.path)} must be ${show(a.expected)}; got ${show(a.value)}`,
  }),
  'schema.type': entry<{ path: string; expected: string[]; actual: string }>({
    severity: 'error',
    summary: 'A value of the wrong type.',
    message: (a) => `${at(a.path)} must be ${either(a.expected.map(article))}; got ${article(a.actual)}`,
  }),
  'schema.pattern': entry<{ path: string; value: unknown; pattern: string; description?: string }>({
    severity: 'error',
    summary: 'A string that does not match the required pattern.',
    // A long regular expression helps nobody; the schema's description (the hint) says the form.
    message: (a) =>
      a.pattern.length <= 40 || !a.description
        ? `${at(a.path)} ${show(a.value)} does not match ${q(a.pattern)}`
        : `${at(a.path)} ${show(a.value)} is not in the expected form`,
    hint: (a) => a.description,
  }),
  'schema.format': entry<{ path: string; value: unknown; format: string }>({
    severity: 'error',
    summary: 'A string that is not a valid value of its format (date, date-time, email, uri, ...).',
    message: (a) => `${at(a.path)} ${show(a.value)} is not a valid ${a.format}`,
    hint: (a) => FORMAT_HINTS[a.format],
  }),
  'schema.one-of': entry<{ path: string; keys?: string[]; many: boolean }>({
    severity: 'error',
    summary: 'A value that must take exactly one of several forms matches none, or several.',
    message: (a) =>
      a.keys && a.keys.length
        ? a.many
          ? `${at(a.path)} must have only one of ${list(a.keys)}, not several`
          : `${at(a.path)} must have one of ${list(a.keys)}`
        : a.many
          ? `${at(a.path)} matches more than one of the allowed forms`
          : `${at(a.path)} does not match any of the allowed forms`,
    hint: (a) => (a.keys && a.keys.length ? (a.many ? 'keep exactly one of them' : 'add exactly one of them') : undefined),
  }),
  'schema.not-allowed': entry<{ path: string; key: string }>({
    severity: 'error',
    summary: 'A key that is not allowed in this place (e.g. `when` in a schedule campaign).',
    message: (a) => `${q(a.key)} is not allowed in ${at(a.path)}`,
    hint: () => 'remove it',
  }),
  'schema.too-short': entry<{ path: string; limit: number; unit: string }>({
    severity: 'error',
    summary: 'A string, list or mapping with fewer than the minimum characters/items/keys.',
    message: (a) => `${at(a.path)} must have at least ${a.limit} ${a.limit === 1 ? a.unit.replace(/s$/, '') : a.unit}`,
  }),
  'schema.too-long': entry<{ path: string; limit: number; unit: string }>({
    severity: 'error',
    summary: 'A string, list or mapping with more than the maximum characters/items/keys.',
    message: (a) => `${at(a.path)} must have at most ${a.limit} ${a.limit === 1 ? a.unit.replace(/s$/, '') : a.unit}`,
  }),
  'schema.range': entry<{ path: string; value: unknown; comparison: string; limit: number }>({
    severity: 'error',
    summary: 'A number outside its allowed range.',
    message: (a) => `${at(a.path)} must be ${a.comparison} ${a.limit}; got ${show(a.value)}`,
  }),
  'schema.unique': entry<{ path: string; i: number; j: number }>({
    severity: 'error',
    summary: 'A list that must not repeat items.',
    message: (a) => `${at(a.path)} repeats an item: items ${Math.min(a.i, a.j) + 1} and ${Math.max(a.i, a.j) + 1} are equal`,
    hint: () => 'remove the repeated item',
  }),
  'schema.dependency': entry<{ path: string; key: string; requires: string[] }>({
    severity: 'error',
    summary: 'A key that needs other keys beside it.',
    message: (a) => `${q(a.key)} in ${at(a.path)} needs ${a.requires.map((k) => q(k)).join(' and ')} too`,
    hint: (a) => `add ${a.requires.map((k) => `\`${k}:\``).join(' and ')} next to ${q(a.key)}`,
  }),
  'schema.invalid': entry<{ path: string; detail: string }>({
    severity: 'error',
    summary: 'Any other schema violation.',
    message: (a) => `${at(a.path)} ${a.detail}`,
  }),

  // ---- cross-resource rules ----
  'rule.duplicate-address': entry<{ address: string }>({
    severity: 'error',
    summary: 'Two resources of the same kind with the same name.',
    message: (a) => `${q(a.address)} is defined more than once`,
    hint: () => 'names are unique per kind; rename one of them',
  }),
  'rule.unknown-reference': entry<{ kind: string; name: string; known: string[]; suggestion?: string }>({
    severity: 'error',
    summary: 'A Schedule names a Message or ExternalTrigger that does not exist.',
    message: (a) => `no ${a.kind} named ${q(a.name)} in this project`,
    hint: (a) =>
      didYouMean(a.suggestion) ?? (a.known.length ? `known ${a.kind} names: ${list(a.known)}` : `define a ${a.kind} first`),
  }),
  'rule.from-after-to': entry<{ from: number; to: number }>({
    severity: 'error',
    summary: 'A `where` date range whose `from` is after its `to`.',
    message: (a) => `${q('from')} (${a.from}) is after ${q('to')} (${a.to})`,
    hint: () => 'swap them; both ends are inclusive days',
  }),
  'rule.duplicate-occurrence': entry<{ key: string; firstLine: number }>({
    severity: 'error',
    summary: 'Two occurrences of one bulletin with the same `key`.',
    message: (a) => `occurrence key ${q(a.key)} is already used on line ${a.firstLine}`,
    hint: () => 'each occurrence is raised once per key; give this one a new key',
  }),
  'rule.too-many-identities': entry<{ count: number; limit: number }>({
    severity: 'error',
    summary: 'A schedule send lists more than 1000 identities in YAML.',
    message: (a) => `${a.count} identities listed; at most ${a.limit} per schedule send`,
    hint: () => 'target a segment with a Campaign schedule instead, or split the list',
  }),
  'rule.android-channel-missing': entry<{ where: string }>({
    severity: 'error',
    summary: 'A push to Android devices without a notification channel (`wzrk_cid`); CleverTap refuses it (code 9).',
    message: (a) => `${a.where} targets Android but sets no notification channel (${q('wzrk_cid')}); CleverTap answers "Notification channel is required for devices having Android 8.0 or above"`,
    hint: () => 'add `content.platform_specific.android.wzrk_cid: <channel id>` (a channel your app registers), or `wire.wzrk_cid`',
  }),
  'rule.when-in-past': entry<{ when: string }>({
    severity: 'warning',
    summary: 'A campaign whose `when` is already in the past.',
    // No current time in the text: a past `when` stays past, so the finding is remembered (the project
    // index) instead of being worked out again on every run.
    message: (a) => `${q('when')} ${show(a.when)} is in the past`,
    hint: () => 'plan decides what to do with it; use `now` or a future time to send it',
  }),
  'rule.quiet-hours': entry<{ what: string; window: string }>({
    severity: 'error',
    summary: "A send inside the environment's `quietHours`: a Campaign `when`, a Schedule fire within the next 12 months, or a bulletin occurrence `at`.",
    message: (a) => `${a.what} falls inside quiet hours (${a.window})`,
    hint: () => 'move it outside the window, or set `allowQuietHours: true` in the resource\'s spec to send in quiet hours anyway',
  }),
  'rule.wire-unlisted-field': entry<{ field: string; endpoint: string; section: string }>({
    severity: 'warning',
    summary: 'A `wire` field that clevertap-api.md does not list for its endpoint: CleverTap may refuse it (the sandbox in strict mode does).',
    message: (a) => `${q('wire')} field ${q(a.field)} is not among the fields clevertap-api.md ${a.section} lists for ${a.endpoint}; CleverTap may refuse it`,
    hint: () => 'remove it, or confirm it on a real account first (`sandbox serve --strict` refuses it)',
  }),
  'bulletin.value-too-long': entry<{ key: string; bytes: number; limit: number }>({
    severity: 'error',
    summary: 'A business event property value longer than 512 bytes.',
    message: (a) => `value of ${q(a.key)} is ${a.bytes} bytes; CleverTap allows at most ${a.limit}`,
  }),
  'time.invalid-date': entry<{ value: unknown; reason: string }>({
    severity: 'error',
    summary: 'A date that does not exist (month 13, February 31st, ...).',
    message: (a) => `${show(a.value)} is not a real date: ${a.reason}`,
  }),
  'time.invalid-zone': entry<{ zone: string; suggestion?: string }>({
    severity: 'error',
    summary: 'A time zone that is not a known IANA zone.',
    message: (a) => `unknown time zone ${show(a.zone)}`,
    hint: (a) => didYouMean(a.suggestion) ?? 'use an IANA zone name such as `Europe/Berlin` or `UTC`',
  }),
  'cron.invalid': entry<{ expression: string; detail?: string }>({
    severity: 'error',
    summary: 'A cron expression outside the Schedule dialect (the one croner evaluates fire times with).',
    message: (a) => `invalid cron expression ${show(a.expression)}${a.detail ? `: ${a.detail}` : ''}`,
    hint: () => '5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, e.g. `0 9 * * MON`',
  }),

  'schedule.dst-gap': entry<{ cron: string; zone: string; date: string; named: string; from: string; to: string; fixedTime: boolean; fire?: string }>({
    severity: 'warning',
    summary: 'A Schedule names a local time that a spring-forward clock change skips within the next 12 months.',
    message: (a) =>
      `${q(a.cron)} meets a clock change in ${a.zone} on ${a.date} (clocks jump from ${a.from} to ${a.to}): ${a.named} does not happen that day` +
      (a.fire === undefined ? '' : a.fixedTime ? `, so it fires once at ${a.fire} instead` : `; it skips those times and fires next at ${a.fire}`),
    hint: () => 'fixed times in a gap fire once at its end, interval jobs skip it (README, Schedules); pick another time if that is not what you want',
  }),
  'schedule.dst-repeat': entry<{ cron: string; zone: string; date: string; named: string; from: string; to: string; fires: string[] }>({
    severity: 'warning',
    summary: 'A Schedule names a local time that a fall-back clock change repeats within the next 12 months.',
    message: (a) =>
      `${q(a.cron)} meets a clock change in ${a.zone} on ${a.date} (clocks go back from ${a.from} to ${a.to}): ${a.named} happens twice that day` +
      (a.fires.length === 1 ? `, and it fires once, at the first: ${a.fires[0]}` : a.fires.length > 1 ? `, and it fires at both: ${a.fires.join(' and again at ')}` : ''),
    hint: () => 'fixed times fire at the first of the two, interval jobs at both (README, Schedules); pick another time if that is not what you want',
  }),

  // ---- templates (checked by the template rule, src/templates/) ----
  'template.unknown-variable': entry<{ name: string; available: string[]; suggestion?: string }>({
    severity: 'error',
    summary: 'A Handlebars variable that is not defined where the template is used.',
    message: (a) => `unknown template variable ${q(a.name)}`,
    hint: (a) => [didYouMean(a.suggestion), a.available.length ? `available: ${list(a.available)}` : 'no variables are available here'].filter(Boolean).join(' '),
  }),
  'template.syntax': entry<{ detail: string }>({
    severity: 'error',
    summary: 'A Handlebars template that does not compile.',
    message: (a) => `template syntax error: ${a.detail}`,
  }),
  'liquid.unbalanced': entry<{ tag: string; detail: string }>({
    severity: 'error',
    summary: 'A Liquid block tag (if, for, case, unless) without its end tag, or the reverse.',
    message: (a) => `unbalanced Liquid ${q(a.tag)}: ${a.detail}`,
  }),
  // ---- templates and render (src/templates/, src/render/) ----
  'template.unknown-helper': entry<{ name: string; known: string[]; suggestion?: string }>({
    severity: 'error',
    summary: 'A Handlebars helper outside the fixed set (upper, lower, default, date, json, if, unless, each, with, lookup).',
    message: (a) => `unknown template helper ${q(a.name)}`,
    hint: (a) => [didYouMean(a.suggestion), `helpers: ${list(a.known)}`].filter(Boolean).join(' '),
  }),
  'template.unknown-partial': entry<{ name: string; known: string[]; suggestion?: string }>({
    severity: 'error',
    summary: 'A `{{> name}}` with no campaigns/_partials/<name>.hbs.',
    message: (a) => `unknown partial ${q(a.name)}`,
    hint: (a) => didYouMean(a.suggestion) ?? `add campaigns/_partials/${a.name}.hbs`,
  }),
  'template.invalid-argument': entry<{ helper: string; detail: string }>({
    severity: 'error',
    summary: 'A helper called with a value it can not use (a missing value, a non-date, an unknown zone).',
    message: (a) => `${q(a.helper)}: ${a.detail}`,
  }),
  'template.missing-value': entry<{ name: string }>({
    severity: 'error',
    summary: 'A template variable with no value in the data given at render/send time.',
    message: (a) => `template variable ${q(a.name)} has no value in the data given`,
    hint: (a) => `${missingValueSource(a.name)}, or write {{default ${a.name} "..."}}`,
  }),
  'time.invalid-when': entry<{ value: string; reason: string }>({
    severity: 'error',
    summary: 'A `when` / `at` that is not `now`, an ISO 8601 instant with offset, or `YYYY-MM-DD HH:MM`.',
    message: (a) => `${show(a.value)} is not a valid time: ${a.reason}`,
    hint: () => 'use `now`, `2026-11-01T09:00:00+01:00`, or `2026-11-01 09:00` (account time zone)',
  }),
  'time.nonexistent-local-time': entry<{ value: string; zone: string }>({
    severity: 'error',
    summary: 'A local time skipped by a daylight-saving change in the account time zone.',
    message: (a) => `${show(a.value)} does not exist in ${a.zone}: the clocks jump over it (daylight saving)`,
    hint: () => 'pick a time outside the skipped hour, or give an ISO instant with an offset',
  }),
  'content.push-title-too-long': entry<{ length: number; limit: number; approximate: boolean }>({
    severity: 'warning',
    summary: 'A push title longer than most devices show.',
    message: (a) => `push title is ${a.length} characters${a.approximate ? ' before Liquid is filled in' : ''}; devices cut it after about ${a.limit}`,
  }),
  'content.push-body-too-long': entry<{ length: number; limit: number; approximate: boolean }>({
    severity: 'warning',
    summary: 'A push body longer than most devices show.',
    message: (a) => `push body is ${a.length} characters${a.approximate ? ' before Liquid is filled in' : ''}; devices cut it after about ${a.limit}`,
  }),
  'content.sms-segments': entry<{ encoding: string; characters: number; segments: number; perSegment: number; approximate: boolean }>({
    severity: 'warning',
    summary: 'An SMS body that needs more than one segment (each segment is billed).',
    message: (a) =>
      `SMS body is ${a.characters} ${a.encoding} characters${a.approximate ? ' before Liquid is filled in' : ''}: ` +
      `${a.segments} segments of up to ${a.perSegment}`,
    hint: (a) => (a.encoding === 'UCS-2' ? 'a character outside GSM-7 (emoji, curly quotes, ...) switches the whole SMS to UCS-2 (70 per segment)' : undefined),
  }),
  'render.unknown-address': entry<{ address: string; known: string[]; suggestion?: string }>({
    severity: 'error',
    summary: '`render` was given an address that no resource has.',
    message: (a) => `no resource ${q(a.address)}`,
    hint: (a) => didYouMean(a.suggestion) ?? (a.known.length ? `resources: ${list(a.known)}` : 'the project has no resources'),
  }),
  'render.bad-argument': entry<{ detail: string }>({
    severity: 'error',
    summary: 'A `render` option that can not be used (unreadable --data file, malformed --set).',
    message: (a) => a.detail,
  }),
  'render.data-invalid': entry<{ path: string; detail: string }>({
    severity: 'error',
    summary: 'Send-time data that does not match the resource\'s data/payload schema.',
    message: (a) => `data ${a.path === '' ? '' : `${q(a.path)} `}${a.detail}`,
    hint: () => 'fix the value in --data / --set, or the schema in the resource',
  }),
  // ---- runtime sends (send, trigger, raise) ----
  'input.invalid': entry<{ option: string; detail: string; hint?: string }>({
    severity: 'error',
    summary: 'A command-line input that can not be used (--data, --set, --to, --to-file, --name).',
    message: (a) => `${a.option}: ${a.detail}`,
    hint: (a) => a.hint,
  }),
  'input.liquid-in-data': entry<{ option: string; field: string }>({
    severity: 'error',
    summary: 'A data value given at run time (--data, --set) that holds Liquid: CleverTap would evaluate it for every recipient.',
    message: (a) => `${a.option}: ${q(a.field)} holds Liquid (\`{{\` or \`{%\`), which CleverTap would evaluate for every recipient`,
    hint: () => 'data values are sent as plain text: remove the `{{` / `{%` from the value (personalization belongs in the resource\'s content)',
  }),
  'runtime.unknown-contract': entry<{ kind: string; name: string; known: string[]; suggestion?: string }>({
    severity: 'error',
    summary: '`send`, `trigger` or `raise` was given a name that no contract of that kind has.',
    message: (a) => `no ${a.kind} ${q(a.name)} in the project`,
    hint: (a) => didYouMean(a.suggestion) ?? (a.known.length ? `${a.kind} contracts: ${list(a.known)}` : `the project defines no ${a.kind}`),
  }),
  'runtime.no-recipients': entry<{ command: string }>({
    severity: 'error',
    summary: 'A send without any identity to send to.',
    message: (a) => `${a.command}: no identities to send to`,
    hint: () => 'pass --to KEY:ID[,ID...] (repeatable) or --to-file FILE (`-` for stdin)',
  }),
  'runtime.identity-key': entry<{ key: string; allowed: string[]; endpoint: string; suggestion?: string }>({
    severity: 'error',
    summary: 'An identity key the endpoint does not take.',
    message: (a) => `${a.endpoint} does not take ${q(a.key)} identities`,
    hint: (a) => didYouMean(a.suggestion) ?? `use one of ${list(a.allowed)} (any case)`,
  }),
  'runtime.not-recorded': entry<{ what: string; detail: string; resolve?: { occurrence: string; target: CommandTarget } }>({
    severity: 'warning',
    summary: 'A runtime send happened but its record (audit history or run status) could not be written to the state.',
    message: (a) => `${a.what} happened but could not be recorded in the state: ${a.detail}`,
    hint: (a) =>
      a.resolve
        ? `it stays claimed and is never raised again automatically; settle it with \`${resolveCommand(a.resolve.target, a.resolve.occurrence)}\``
        : 'check the state location (CAMPAIGNCTL_STATE); the summary printed here is the only record of this send',
  }),
  'runtime.file-not-written': entry<{ what: string; dir: string; detail: string }>({
    severity: 'warning',
    summary: 'The file of failed or unknown identities of a send (or of its data read from stdin, for the retry) could not be written.',
    message: (a) => `the ${a.what === 'data' ? 'data read from stdin' : `${a.what} identities`} could not be written to ${a.dir}: ${a.detail}`,
    hint: () => 'pass --out-dir to a writable folder next time; --json output lists the identities as well',
  }),
  'runtime.occurrence-claimed': entry<{ address: string; status: string; target: CommandTarget }>({
    severity: 'error',
    summary: '`raise --occurrence` on an occurrence that was claimed before (raised, unknown, or claimed by a run that died).',
    message: (a) => `${q(a.address)} was claimed before (${a.status}); it is not raised again`,
    hint: (a) =>
      a.status === 'done'
        ? 'it was raised already; add a new occurrence with a new key to raise the event again'
        : `check CleverTap, then settle it with \`${resolveCommand(a.target, a.address)}\``,
  }),
  'runtime.occurrence-unknown-key': entry<{ address: string; key: string; known: string[]; suggestion?: string }>({
    severity: 'error',
    summary: '`raise --occurrence KEY` or `state resolve` named an occurrence the bulletin does not have.',
    message: (a) => `${q(a.address)} has no occurrence ${q(a.key)}`,
    hint: (a) => didYouMean(a.suggestion) ?? (a.known.length ? `occurrences: ${list(a.known)}` : 'the bulletin has no occurrences'),
  }),

  // ---- plan ----
  'plan.when-past': entry<{ address: string; instant: string; now: string }>({
    severity: 'error',
    summary: 'A campaign starts at an instant that is already past; CleverTap would refuse it.',
    message: (a) => `${a.address} starts at ${a.instant}, which is already past (now is ${a.now}); CleverTap would refuse it`,
    hint: () => 'set `when` to a future instant, or to "now" to send as soon as it is applied',
  }),
  'plan.start-unknown': entry<{ address: string }>({
    severity: 'warning',
    summary: 'The start of a campaign could not be determined; the plan treats it as sending immediately.',
    message: (a) => `the start of ${a.address} could not be determined; it is treated as sending immediately`,
    hint: () => 'give `when` as "now" or an ISO date-time',
  }),
  'plan.occurrence-at-invalid': entry<{ address: string; key: string }>({
    severity: 'error',
    summary: 'A bulletin occurrence has an `at` that is neither "now" nor an ISO date-time.',
    message: (a) => `occurrence "${a.key}" of ${a.address} has an \`at\` that is neither "now" nor an ISO date-time`,
    hint: () => 'write it like 2025-03-01T09:00:00Z, or 2025-03-01T09:00 for the account time zone',
  }),
  'plan.immutable': entry<{ address: string; status: string }>({
    severity: 'warning',
    summary: 'An edit of a campaign CleverTap has already sent (or is sending); it is not applied.',
    message: (a) => `${a.address} is already ${a.status} on CleverTap and can not be changed; this edit is not applied`,
    hint: () => 'sent campaigns are immutable: give it a new name (metadata.name) to send again',
  }),
  'plan.immutable-stopped': entry<{ address: string }>({
    severity: 'warning',
    summary: 'An edit of a campaign that was stopped; it is not applied.',
    message: (a) => `${a.address} was stopped; this edit is not applied`,
    hint: () => 'give it a new name (metadata.name) to send it again',
  }),
  'plan.occurrence-immutable': entry<{ address: string; key: string }>({
    severity: 'warning',
    summary: 'An edit of a bulletin occurrence that was already raised; it is not applied.',
    message: (a) => `occurrence "${a.key}" of ${a.address} was already raised; the edit is not applied`,
    hint: () => 'raised occurrences are immutable: add a new occurrence with a new key',
  }),
  'plan.occurrence-unknown': entry<{ address: string; key: string; occurrence: string; target: CommandTarget }>({
    severity: 'warning',
    summary: 'Whether an occurrence was raised is unknown (an ambiguous answer, or a run that died); it is never raised again automatically.',
    message: (a) => `whether occurrence "${a.key}" of ${a.address} was raised is unknown; it is not raised again automatically`,
    hint: (a) => `check the dashboard, then run \`${resolveCommand(a.target, a.occurrence)}\``,
  }),
  'plan.remote-status-unknown': entry<{ address: string; status: string }>({
    severity: 'warning',
    summary: 'CleverTap reports a campaign status campaignctl does not know; the campaign is treated as live.',
    message: (a) => `CleverTap reports status "${a.status}" for ${a.address}, which campaignctl does not know; it is treated as live`,
  }),
  'plan.partial': entry<{ describe: string; considered: number }>({
    severity: 'warning',
    summary: 'The plan was scoped (--target, --selector, ...): resources outside the scope were not considered.',
    message: (a) => `this plan is partial: only ${a.considered} resource${a.considered === 1 ? '' : 's'} selected by ${a.describe} were considered`,
    hint: () => 'resources outside the scope may also differ; run a plan without scoping flags to see everything',
  }),
  'plan.target-unknown': entry<{ target: string; near: string[]; command: CommandTarget }>({
    severity: 'error',
    summary: 'A --target address names no resource in the YAML or in state (a typo would otherwise plan nothing).',
    message: (a) => `--target ${a.target} names no resource in the YAML or in state`,
    hint: (a) =>
      a.near.length === 1
        ? didYouMean(a.near[0])
        : a.near.length > 1
          ? `addresses that begin so: ${list(a.near, 5)}`
          : `an address is <kind>.<metadata.name> (campaign, message, trigger, bulletin, schedule), e.g. campaign.winter-sale; \`${commandLine(a.command, ['state', 'list'])}\` shows the applied ones`,
  }),
  'plan.not-refreshed': entry<Record<string, never>>({
    severity: 'warning',
    summary: 'Campaign statuses were not read from CleverTap (--refresh=false): drift is not detected.',
    message: () => 'campaign statuses were not read from CleverTap; the plan relies on state alone and drift is not detected',
  }),
  'plan.max-audience': entry<{ address: string; total: number; max: number; overridden: boolean }>({
    severity: (a) => (a.overridden ? 'warning' : 'error'),
    summary: 'A campaign would reach more users than its guard.maxAudience (an error unless --allow-large-audience).',
    message: (a) =>
      a.overridden
        ? `${a.address} reaches about ${a.total} users, above its guard.maxAudience of ${a.max}; allowed by --allow-large-audience`
        : `${a.address} would reach about ${a.total} users, above its guard.maxAudience of ${a.max}`,
    hint: (a) => (a.overridden ? undefined : 'narrow the audience, raise guard.maxAudience, or pass --allow-large-audience'),
  }),
  'plan.guard-unchecked': entry<({ address: string; max: number } | { addresses: string[] }) & { why: string; overridden: boolean }>({
    severity: (a) => (a.overridden ? 'warning' : 'error'),
    summary: 'The audience of a guarded campaign could not be estimated: it is refused like one over the limit (unless --allow-large-audience).',
    message: (a) => {
      if ('addresses' in a) {
        return (
          `guard.maxAudience of ${a.addresses.length.toLocaleString('en-US')} campaigns was not checked: ${a.why} (${a.addresses.slice(0, 3).join(', ')} and ${(a.addresses.length - 3).toLocaleString('en-US')} more)` +
          (a.overridden ? '; allowed by --allow-large-audience' : '; they are refused')
        );
      }
      return a.overridden
        ? `guard.maxAudience (${a.max}) of ${a.address} was not checked: ${a.why}; allowed by --allow-large-audience`
        : `${a.address} is refused: its audience could not be checked against guard.maxAudience (${a.max}): ${a.why}`;
    },
    // Guards fail closed: an audience that could not be checked is refused like one over the limit.
    hint: (a) =>
      a.overridden
        ? undefined
        : 'the guard holds only on an estimate: fix what kept it from being made (the connection, or scope the plan with --target) and plan again, or pass --allow-large-audience to apply without the check',
  }),
  'plan.mass-stop': entry<{ stops: number; live: number; overridden: boolean }>({
    severity: (a) => (a.overridden ? 'warning' : 'error'),
    summary: 'The plan stops more than half of the live managed campaigns (an error unless --allow-mass-stop).',
    message: (a) =>
      a.overridden
        ? `this plan stops ${a.stops} of ${a.live} live managed campaigns; allowed by --allow-mass-stop`
        : `this plan would stop ${a.stops} of ${a.live} live managed campaigns (more than half)`,
    hint: (a) =>
      a.overridden ? undefined : 'check that campaigns/ is complete (a wrong --dir or a lost folder looks like a removal); pass --allow-mass-stop if it is intended',
  }),

  // ---- refresh, settlement and apply ----
  'apply.refresh-failed': entry<{ detail: string }>({
    severity: 'error',
    summary: 'Campaign statuses could not be read from CleverTap; nothing was changed.',
    message: (a) => `could not read campaign statuses from CleverTap (targets/list.json): ${a.detail}`,
    hint: () => 'check the connection and credentials, then plan again; nothing was changed',
  }),
  'apply.journal-unsettled': entry<{ rows: readonly { operation: string; address: string; marker: string; reason: string }[] }>({
    severity: 'error',
    summary: 'Remote writes of an earlier run could not be settled (CleverTap did not answer the read-back); nothing that may exist is created again.',
    message: (a) =>
      `${a.rows.length} remote write${a.rows.length === 1 ? '' : 's'} of an earlier run could not be settled: ` +
      a.rows
        .slice(0, 5)
        .map((r) => `${r.operation} ${r.address} (marker ${r.marker}): ${r.reason}`)
        .join('; ') +
      (a.rows.length > 5 ? `; and ${a.rows.length - 5} more` : ''),
    hint: () => 'campaignctl will not create anything that may already exist; run plan or apply again once CleverTap answers',
  }),
  'apply.journal-open': entry<{
    count: number;
    /** Who holds the apply lock, judged live or probably stale as a refused apply judges it. */
    lock: { holder: { command: string; pid: number; host: string; since: string; id: string }; probablyStale: boolean; forceUnlock: string } | null;
  }>({
    severity: 'warning',
    summary: 'Remote writes are still open in the journal (an apply is running, or one died): the plan may propose them again.',
    message: (a) =>
      `${a.count} remote write${a.count === 1 ? ' is' : 's are'} still open in the journal` +
      (a.lock
        ? ` (the apply lock is held by ${lockWords.holder(a.lock.holder)}, lock id ${a.lock.holder.id}; ${a.lock.probablyStale ? lockWords.probablyStale(a.lock.holder.pid) : lockWords.mayBeRunning})`
        : '') +
      (a.lock?.probablyStale ? '; this plan may propose again what that run left unfinished' : '; this plan may propose again what is being applied'),
    hint: (a) =>
      a.lock?.probablyStale
        ? `the holder is gone, remove the lock with: ${a.lock.forceUnlock}; the next apply settles the open writes before doing anything`
        : 'plan again when the apply has finished; apply settles open writes before doing anything',
  }),
  'apply.render-failed': entry<{ address: string }>({
    severity: 'error',
    summary: 'The request body of a campaign could not be rendered (the errors before it say why).',
    message: (a) => `the request body of ${a.address} could not be rendered; see the errors above`,
  }),
  'apply.estimate-failed': entry<{ address: string; detail: string }>({
    severity: 'warning',
    summary: 'The audience estimate of a campaign failed.',
    message: (a) => `the audience estimate of ${a.address} failed: ${a.detail}`,
  }),

  // ---- import ----
  'import.not-in-yaml': entry<{ address: string; suggestion?: string }>({
    severity: 'error',
    summary: '`import` named an address no resource of campaigns/ has.',
    message: (a) => `${a.address} is not defined in campaigns/: import adopts a campaign for a resource of the YAML`,
    hint: (a) => didYouMean(a.suggestion) ?? 'write the Campaign resource first (same content as on CleverTap), then import it',
  }),
  'import.not-campaign': entry<{ address: string; kind: string }>({
    severity: 'error',
    summary: '`import` named a resource that is not a Campaign.',
    message: (a) => `${a.address} is a ${a.kind}: only Campaign resources have a CleverTap campaign to import`,
  }),
  'import.invalid-resource': entry<{ address: string }>({
    severity: 'error',
    summary: '`import` named a resource that has errors.',
    message: (a) => `${a.address} has errors (above); fix them before importing`,
  }),
  'import.already-managed': entry<{ address: string; remoteId: number | null; target: CommandTarget }>({
    severity: 'error',
    summary: '`import` named a resource that already manages a CleverTap campaign.',
    message: (a) => `${a.address} is already managed${a.remoteId !== null ? ` (CleverTap campaign ${a.remoteId})` : ''}`,
    hint: (a) => `to adopt a different campaign, first forget this one with \`${commandLine(a.target, ['state', 'rm', a.address])}\``,
  }),
  'import.id-managed': entry<{ remoteId: number; owner: string; target: CommandTarget }>({
    severity: 'error',
    summary: '`import` named a CleverTap campaign another resource already manages.',
    message: (a) => `CleverTap campaign ${a.remoteId} is already managed as ${a.owner}`,
    hint: (a) => `one campaign belongs to one resource; \`${commandLine(a.target, ['state', 'rm', a.owner])}\` first if it moved`,
  }),
  'import.not-found': entry<{ remoteId: number; searched: readonly { from: number; to: number }[]; explicit: boolean; daysBack: number; daysAhead: number }>({
    severity: 'error',
    summary: 'CleverTap lists no campaign with the id `import` named within the dates searched.',
    message: (a) => {
      const range = a.searched.length === 0 ? 'no dates' : `${Math.min(...a.searched.map((w) => w.from))}-${Math.max(...a.searched.map((w) => w.to))}`;
      return `CleverTap lists no campaign ${a.remoteId} starting ${range} (targets/list.json, ${a.searched.length} call${a.searched.length === 1 ? '' : 's'})`;
    },
    hint: (a) =>
      a.explicit
        ? "check the id on the dashboard, and that --from/--to (YYYYMMDD) cover the campaign's start date"
        : `check the id on the dashboard; a campaign starting outside the last ${a.daysBack} days and next ${a.daysAhead} needs --from YYYYMMDD --to YYYYMMDD`,
  }),
  'import.list-failed': entry<{ detail: string }>({
    severity: 'error',
    summary: 'Campaigns could not be read from CleverTap; nothing was recorded.',
    message: (a) => `could not read campaigns from CleverTap (targets/list.json): ${a.detail}`,
    hint: () => 'check the connection and credentials and try again; nothing was recorded',
  }),
  'import.bad-date': entry<{ flag: string; value: string } | { from: number; to: number }>({
    severity: 'error',
    summary: '--from or --to is not a date as YYYYMMDD, or --from is after --to.',
    message: (a) => ('flag' in a ? `${a.flag} must be a date as YYYYMMDD, got "${a.value}"` : `--from ${a.from} is after --to ${a.to}`),
  }),
  'import.bad-id': entry<{ value: string }>({
    severity: 'error',
    summary: 'REMOTE_ID is not a CleverTap campaign id.',
    message: (a) => `REMOTE_ID must be a CleverTap campaign id (a positive integer), got "${a.value}"`,
  }),
  'import.not-live': entry<{ address: string; remoteId: number; status: string }>({
    severity: 'warning',
    summary: 'The imported campaign has already been sent or stopped; it is recorded as such and never sent again.',
    message: (a) => `campaign ${a.remoteId} is already ${a.status} on CleverTap; ${a.address} is recorded as such and will not be sent again`,
  }),
  'import.unknown-status': entry<{ address: string; status: string }>({
    severity: 'warning',
    summary: 'CleverTap reports a status campaignctl does not know for the imported campaign; it is treated as running.',
    message: (a) => `CleverTap reports the status "${a.status}", which campaignctl does not know; ${a.address} is treated as running`,
  }),

  // ---- emergency stop ----
  'stop.not-managed': entry<{ address: string; suggestion?: string; target: CommandTarget }>({
    severity: 'error',
    summary: '`stop` named an address campaignctl manages no campaign under.',
    message: (a) => `${a.address} is not in state: campaignctl manages no campaign under this address`,
    hint: (a) => {
      const list = `\`${commandLine(a.target, ['state', 'list'])}\` shows what is managed`;
      return a.suggestion ? `did you mean ${q(a.suggestion)}? (${list})` : list;
    },
  }),
  'stop.not-campaign': entry<{ address: string; kind: string }>({
    severity: 'error',
    summary: '`stop` named a resource that is not a Campaign.',
    message: (a) => `${a.address} is a ${a.kind}, not a Campaign: only campaigns can be stopped`,
  }),
  'stop.none-selected': entry<{ selector: string; target: CommandTarget }>({
    severity: 'error',
    summary: '`stop --selector` matched no managed campaign.',
    message: (a) => `no managed campaign has the labels ${a.selector}`,
    hint: (a) => `labels are matched as recorded in state at the last apply; \`${commandLine(a.target, ['state', 'list'])}\` shows them`,
  }),
  'stop.reason-required': entry<Record<string, never>>({
    severity: 'error',
    summary: '`stop` without --reason: an emergency stop is recorded with why.',
    message: () => 'an emergency stop needs a reason: it is recorded in the audit history with who stopped what',
    hint: () => 'add --reason "why these campaigns must stop now"',
  }),
  'stop.nothing-named': entry<{ target: CommandTarget }>({
    severity: 'error',
    summary: '`stop` with neither an address nor --selector.',
    message: () => 'name the campaigns to stop: one or more ADDRESS, or --selector key=value',
    hint: (a) => `e.g. ${commandLine(a.target, ['stop', 'campaign.winter-sale-push', '--reason', 'wrong price'])}`,
  }),

  // ---- plan files ----
  'planfile.unreadable': entry<{ file: string; detail: string }>({
    severity: 'error',
    summary: 'A saved plan file given to apply can not be read.',
    message: (a) => `can not read plan file ${a.file}: ${a.detail}`,
  }),
  'planfile.stale': entry<{ moved: string[]; target: CommandTarget }>({
    severity: 'error',
    summary: 'A saved plan no longer matches the state, the configuration, the commit or the environment; it is not applied.',
    message: (a) => `the saved plan is stale and was not applied: ${a.moved.join('; ')}`,
    hint: (a) => `make a new plan with \`${commandLine(a.target, ['plan', '--out', 'FILE'])}\`, review it, and apply that`,
  }),
  'planfile.write-failed': entry<{ file: string; detail: string }>({
    severity: 'error',
    summary: 'plan --out could not write the plan file.',
    message: (a) => `could not write the plan to ${a.file}: ${a.detail}`,
  }),
  'clock.invalid-now': entry<{ value: string }>({
    severity: 'error',
    summary: 'CAMPAIGNCTL_NOW is not an ISO instant; nothing ran.',
    message: (a) => `CAMPAIGNCTL_NOW=${a.value} is not an ISO instant`,
    hint: () => 'set it like 2026-03-29T08:00:00Z (or +02:00), or unset it to use the real time',
  }),
  'threads.invalid': entry<{ value: string }>({
    severity: 'error',
    summary: 'CAMPAIGNCTL_THREADS is not a whole number from 1 to 256; nothing ran.',
    message: (a) => `CAMPAIGNCTL_THREADS=${a.value} is not a whole number from 1 to 256 (threads that check the project's files)`,
    hint: () => 'set it like 1 (check on one thread, no workers) or 4, or unset it for the default (one per core, or one thread alone on fewer than 3 cores)',
  }),
  'clock.invalid-rate': entry<{ value: string; withoutNow: boolean }>({
    severity: 'error',
    summary: 'CAMPAIGNCTL_NOW_RATE is not a positive number, or is set without CAMPAIGNCTL_NOW; nothing ran.',
    message: (a) =>
      a.withoutNow
        ? `CAMPAIGNCTL_NOW_RATE=${a.value} is set without CAMPAIGNCTL_NOW: only a simulated clock can run faster than real time`
        : `CAMPAIGNCTL_NOW_RATE=${a.value} is not a positive number (simulated seconds per real second)`,
    hint: (a) =>
      a.withoutNow
        ? 'set CAMPAIGNCTL_NOW to the instant the simulated clock starts at (e.g. 2026-03-29T08:00:00Z), or unset CAMPAIGNCTL_NOW_RATE'
        : 'set it like 60 (an hour passes in a minute) or 0.5, or unset it to run the clock at real speed',
  }),
  'cli.invalid-flag': entry<{ message: string; command: string }>({
    severity: 'error',
    summary: 'A command-line flag has a value the command can not use, or flags that can not go together.',
    message: (a) => a.message,
    hint: (a) => `see campaignctl ${a.command} --help`,
  }),
  'stop.bad-selector': entry<{ pair: string }>({
    severity: 'error',
    summary: 'A stop --selector pair is not key=value.',
    message: (a) => `--selector takes key=value, got "${a.pair}"`,
  }),
  'state.locked': entry<{ what: string; holder: string; id: string; staleNote: string | null; forceUnlock: string }>({
    severity: 'error',
    summary: 'Another campaignctl run holds the apply lock on this state; the command was refused.',
    message: (a) => `${a.what} refused: the state is locked by ${a.holder}, lock id ${a.id}${a.staleNote ? `; ${a.staleNote}` : ''}`,
    hint: (a) => `${a.staleNote ? 'the holder is gone' : 'if no other campaignctl run is using this state'}, remove the lock with: ${a.forceUnlock}`,
  }),
  'watch.lease-held': entry<{ holder: string; id: string; expiresAt: string; stateLocation: string }>({
    severity: 'error',
    summary: 'Another `campaignctl watch` holds the daemon lease on this state; with SQLite one daemon runs per state.',
    message: (a) => `watch refused: ${a.stateLocation} is watched by ${a.holder} (lease ${a.id}, held until ${a.expiresAt} unless renewed)`,
    hint: () => 'stop that daemon first, or point this one at another environment or state; a holder that was killed lets go when its lease expires (35 s)',
  }),
  'watch.open-without-token': entry<{ host: string }>({
    severity: 'error',
    summary: '`watch` was asked to listen on an address other hosts can reach without an API token.',
    message: (a) => `watch refused to listen on ${a.host} without CAMPAIGNCTL_API_TOKEN: anyone who can reach it could trigger reconciles`,
    hint: () => 'set CAMPAIGNCTL_API_TOKEN (a long random value), or listen on 127.0.0.1 / ::1',
  }),
  'watch.git-source': entry<{ detail: string }>({
    severity: 'error',
    summary: 'git mode could not make its mirror of the remote or check out the branch at start.',
    message: (a) => `watch could not read the git remote: ${a.detail}`,
    hint: () => 'check --git-remote (credentials come from git\'s own helpers, never the URL in logs) and --branch',
  }),
  'state.not-found': entry<{ address: string; suggestion?: string; target: CommandTarget }>({
    severity: 'error',
    summary: 'The address is not recorded in state.',
    message: (a) => `${a.address} is not in state`,
    hint: (a) => (a.suggestion ? `did you mean \`${a.suggestion}\`?` : `\`${commandLine(a.target, ['state', 'list'])}\` shows every recorded resource`),
  }),
  'state.journal-open': entry<{ address: string; markers: string[]; target: CommandTarget }>({
    severity: 'error',
    summary: 'A resource still has remote writes of an interrupted run open; removing it could lose a created campaign.',
    message: (a) => `${a.address} has ${a.markers.length} remote write${a.markers.length === 1 ? '' : 's'} of an interrupted run still open (marker ${a.markers.join(', ')}); removing it now could lose a campaign that was created`,
    hint: (a) => `run \`${commandLine(a.target, ['plan'])}\` (or apply) first: it settles open writes by reading them back from CleverTap`,
  }),
  'lock.not-held': entry<{ id: string }>({
    severity: 'error',
    summary: 'force-unlock was asked to remove a lock, and none is held.',
    message: (a) => `no lock is held: nothing to remove (asked for ${a.id})`,
  }),
  'lock.id-mismatch': entry<{ id: string; current: string; holder: string; probablyStale: boolean; forceUnlock: string }>({
    severity: 'error',
    summary: 'force-unlock names a lock id other than the one held; nothing is removed.',
    message: (a) => `the lock is not ${a.id}: it is ${a.current}, held by ${a.holder}${a.probablyStale ? ' (probably stale: that process no longer exists on this host)' : ''}; nothing was removed`,
    hint: (a) => `force-unlock needs the exact id; if that run is really gone: ${a.forceUnlock}`,
  }),
  'planfile.not-finalized': entry<Record<string, never>>({
    severity: 'error',
    summary: 'A plan that was not finalized (estimates and guards not applied) can not be saved.',
    message: () => 'the plan was not finalized (estimates and guards not applied); it can not be saved',
  }),
  'planfile.payload-orphan': entry<{ key: string }>({
    severity: 'error',
    summary: 'A plan file has a request body for an address that is not one of its changes.',
    message: (a) => `payloads has an entry for ${a.key}, which is not a change of this plan`,
  }),
  'planfile.secret': entry<{ kind: 'key' | 'url' | 'value'; field: string; address?: string; part?: 'payload' | 'change' }>({
    severity: 'error',
    summary: 'A plan would be saved holding a secret; it is refused (the value is never shown).',
    message: (a) => {
      const what = { key: 'a secret-looking field', url: 'a URL with credentials', value: 'a secret value (passcode or token)' }[a.kind];
      const field = a.field || '(the whole value)';
      if (!a.address) return `refusing to save a plan holding ${what} at ${field}`;
      return `refusing to save a plan holding ${what}: ${a.part === 'payload' ? 'the request body of' : 'the change of'} ${a.address}, field ${field}`;
    },
    hint: () => 'move the secret into an environment variable; secrets never belong in a spec',
  }),
  'planfile.invalid-json': entry<{ detail: string; target: CommandTarget }>({
    severity: 'error',
    summary: 'A plan file that is not JSON.',
    message: (a) => `not a plan file: ${a.detail}`,
    hint: (a) => regeneratePlan(a.target),
  }),
  'planfile.invalid': entry<({ notObject: true } | { kind: unknown } | { detail: string }) & { target: CommandTarget }>({
    severity: 'error',
    summary: 'A plan file that is not a campaignctl plan, or one whose content does not have the plan file shape.',
    message: (a) => {
      if ('notObject' in a) return 'not a plan file: expected a JSON object';
      if ('kind' in a) return `not a campaignctl plan file (kind is ${JSON.stringify(a.kind)})`;
      return `invalid plan file: ${a.detail}`;
    },
    hint: (a) => regeneratePlan(a.target),
  }),
  'planfile.version': entry<{ found: unknown; supported: string; target: CommandTarget }>({
    severity: 'error',
    summary: 'A plan file written in a format this campaignctl does not read.',
    message: (a) => `plan file format_version ${JSON.stringify(a.found)} is not supported (this campaignctl reads "${a.supported}")`,
    hint: (a) => regeneratePlan(a.target),
  }),

  // ---- state store ----
  'state.postgres-bad-location': entry<{ location: string; problem: string }>({
    severity: 'error',
    summary: 'The PostgreSQL state URL can not be used as written.',
    message: (a) => `can not use the PostgreSQL state ${a.location}: ${a.problem}`,
    hint: () => 'write it as postgres://USER@HOST:5432/DATABASE?schema=NAME (schema optional, default campaignctl); see docs/team-state.md',
  }),
  'state.postgres-unreachable': entry<{ location: string; detail: string }>({
    severity: 'error',
    summary: 'The PostgreSQL state could not be reached, or refused the login; nothing was read or written.',
    message: (a) => `can not open the PostgreSQL state ${a.location}: ${a.detail}`,
    hint: () =>
      'check the host and database, that the server accepts connections from here, and the password: campaignctl takes it only from the environment (the URL in CAMPAIGNCTL_STATE, PGPASSWORD, or ~/.pgpass)',
  }),
  'state.clock-skew': entry<{ location: string; skewSeconds: number }>({
    severity: 'warning',
    summary: "This machine's clock differs from the PostgreSQL server's by more than a minute.",
    message: (a) =>
      `this machine's clock is ${Math.abs(a.skewSeconds)} s ${a.skewSeconds > 0 ? 'behind' : 'ahead of'} the PostgreSQL server of ${a.location}; leases and lock heartbeats use the server's clock, schedule ticks and recorded times this machine's`,
    hint: () => 'synchronise the clock (NTP, e.g. `timedatectl set-ntp true`) before running the daemon or run-due here',
  }),
  'state-migrate.same-location': entry<{ location: string }>({
    severity: 'error',
    summary: 'state migrate was given the same location as source and target.',
    message: (a) => `--from and --to are the same location (${a.location}): nothing to move`,
    hint: () => 'give --to the new location: a file path, or a postgres:// URL (with ?schema=NAME to choose the schema)',
  }),
  'state-migrate.target-not-empty': entry<{ to: string; rows: number; serial: number }>({
    severity: 'error',
    summary: 'state migrate refuses a target that already holds state; nothing was copied.',
    message: (a) => `the target ${a.to} is not empty (${a.rows} row${a.rows === 1 ? '' : 's'}, serial ${a.serial}): nothing was copied, to not mix two states`,
    hint: () => 'migrate into a new file, or a new schema (?schema=NAME in the URL); remove the old target only if you are sure it is not in use',
  }),
  'state-migrate.count-mismatch': entry<{ to: string; detail: string }>({
    severity: 'error',
    summary: 'The rows written to the target did not match the source; the copy was rolled back.',
    message: (a) => `copying into ${a.to} was rolled back: ${a.detail}`,
    hint: () => 'nothing was written; run state migrate again, and report it if it happens again',
  }),
  'config.state-password': entry<{ environment: string; location: string }>({
    severity: 'error',
    summary: "campaignctl.yaml's `state` URL carries a password; campaignctl refuses secrets in the project file.",
    message: (a) => `the state URL of environment ${q(a.environment)} contains a password (${a.location}); a password must never be committed with the project`,
    hint: () =>
      'remove the password from `state`, and give it through the environment instead: PGPASSWORD, ~/.pgpass, or the whole URL in CAMPAIGNCTL_STATE (then rotate the password: it is in the git history)',
  }),
  'state.unsupported-location': entry<{ scheme?: string }>({
    severity: 'error',
    summary: 'The state location is an URL of an unknown scheme, or empty.',
    message: (a) => (a.scheme ? `unsupported state location scheme "${a.scheme}://"` : 'the state location is empty'),
    hint: () => STATE_HINT,
  }),
  'state.newer-schema': entry<{ location: string; found: number; known: number }>({
    severity: 'error',
    summary: 'The state file was written by a newer campaignctl.',
    message: (a) => `state file ${a.location} has schema version ${a.found}; this campaignctl knows up to ${a.known}`,
    hint: () => 'Upgrade campaignctl; an older version must not write a newer state.',
  }),
  'state.open-failed': entry<{ location: string; detail: string; notADatabase: boolean }>({
    severity: 'error',
    summary: 'The state file could not be opened (not a SQLite database, or not readable or writable).',
    message: (a) => `can not open state file ${a.location}: ${a.notADatabase ? 'it is not a SQLite database' : a.detail}`,
    hint: () => STATE_HINT,
  }),

  // ---- the daemon's HTTP API: each refusal answers { error: code, message, hint? } ----
  'http.forbidden': entry<Record<string, never>>({
    severity: 'error',
    summary: 'HTTP 403: a write endpoint was called on a daemon started without CAMPAIGNCTL_API_TOKEN.',
    message: () => 'write endpoints are off: CAMPAIGNCTL_API_TOKEN is not set on the daemon',
    hint: () => 'start the daemon with CAMPAIGNCTL_API_TOKEN set (e.g. `openssl rand -hex 32`) and send it as `Authorization: Bearer <token>`',
  }),
  'http.unauthorized': entry<{ missing: boolean }>({
    severity: 'error',
    summary: 'HTTP 401: a write endpoint was called without the bearer token, or with a wrong one.',
    message: (a) => (a.missing ? 'missing bearer token (Authorization: Bearer <CAMPAIGNCTL_API_TOKEN>)' : 'wrong bearer token'),
    hint: () => 'send `Authorization: Bearer <token>` with the value of CAMPAIGNCTL_API_TOKEN the daemon was started with',
  }),
  'http.draining': entry<{ what: 'sends' | 'reconcile' | 'webhook' }>({
    severity: 'error',
    summary: 'HTTP 503: the daemon is shutting down and takes nothing new.',
    message: (a) =>
      a.what === 'sends'
        ? 'the daemon is shutting down and takes no new sends; try again shortly'
        : a.what === 'webhook'
          ? 'the daemon is shutting down; the next start fetches anyway'
          : 'the daemon is shutting down',
    hint: (a) => (a.what === 'sends' ? 'another replica, or this one once restarted, takes the send: retry with the same Idempotency-Key' : undefined),
  }),
  'http.too-large': entry<{ limit: string }>({
    severity: 'error',
    summary: 'HTTP 413: the request body is over the endpoint\'s limit.',
    message: (a) => `the body is over ${a.limit}`,
  }),
  'http.bad-request': entry<{ detail: string }>({
    severity: 'error',
    summary: 'HTTP 4xx before any route looked at the request: a body that is not JSON, a content type the endpoint does not read.',
    message: (a) => `the request could not be read: ${a.detail}`,
  }),
  'http.no-route': entry<{ method: string; url: string }>({
    severity: 'error',
    summary: 'HTTP 404: no endpoint at that method and path.',
    message: (a) => `no endpoint ${a.method} ${a.url}`,
    hint: () => 'the endpoints are listed in docs/watch.md (HTTP API)',
  }),
  'http.internal': entry<Record<string, never>>({
    severity: 'error',
    summary: 'HTTP 500: the daemon failed while answering; the daemon\'s log has the detail.',
    message: () => 'the daemon failed while answering this request; its log has the detail',
  }),
  'http.not-found': entry<{ id: string }>({
    severity: 'error',
    summary: 'HTTP 404: GET /v1/sends/{id} of an id no send was given.',
    message: (a) => `no send ${a.id}`,
    hint: () => 'the id is the one the 202 of the send endpoint answered',
  }),
  'http.invalid-body': entry<Record<string, never>>({
    severity: 'error',
    summary: 'HTTP 400: a send body that does not fit the endpoint\'s shape; `problems` lists why, nothing was queued.',
    message: () => 'the request body does not fit this endpoint; nothing was queued',
  }),
  'http.contract-refused': entry<Record<string, never>>({
    severity: 'error',
    summary: 'HTTP 400: a send the contract\'s checks (the CLI\'s send, trigger and raise checks) refuse; `problems` lists why, nothing was queued.',
    message: () => 'the request does not fit the contract; nothing was queued',
  }),
  'http.not-storable': entry<{ detail: string }>({
    severity: 'error',
    summary: 'HTTP 400: the send holds a value the state refuses to keep (a secret-looking key, a URL with credentials).',
    message: (a) => a.detail,
    hint: () => 'send the value without the credential: the outbox keeps payloads in the state',
  }),
  'http.invalid-idempotency-key': entry<{ several: boolean }>({
    severity: 'error',
    summary: 'HTTP 400: an Idempotency-Key header that is not 1 to 200 visible ASCII characters, or more than one.',
    message: (a) => (a.several ? 'give one Idempotency-Key header' : 'Idempotency-Key must be 1 to 200 visible ASCII characters'),
  }),
  'http.idempotency-conflict': entry<Record<string, never>>({
    severity: 'error',
    summary: 'HTTP 422: an Idempotency-Key already used for a different request.',
    message: () => 'this Idempotency-Key was used for a different request',
    hint: () => 'use a new key for a new send; the same key is only for retrying the same request',
  }),
  'http.contract-unusable': entry<Record<string, never>>({
    severity: 'error',
    summary: 'HTTP 503: the contract\'s file has errors right now; `problems` lists them, nothing was queued.',
    message: () => 'the contract can not be used until the project is fixed; try again later',
  }),
  'http.webhook-off': entry<Record<string, never>>({
    severity: 'error',
    summary: 'HTTP 403: POST /hooks/github on a daemon started without CAMPAIGNCTL_WEBHOOK_SECRET.',
    message: () => 'the webhook is off: start the daemon with CAMPAIGNCTL_WEBHOOK_SECRET set',
  }),
  'http.webhook-signature': entry<{ sha1Only: boolean }>({
    severity: 'error',
    summary: 'HTTP 401: a webhook delivery without a valid X-Hub-Signature-256; nothing happened.',
    message: (a) => (a.sha1Only ? 'X-Hub-Signature (SHA-1) is not accepted, only X-Hub-Signature-256' : 'missing or wrong X-Hub-Signature-256'),
    hint: (a) => (a.sha1Only ? 'configure the webhook to send X-Hub-Signature-256' : 'the webhook\'s secret on GitHub must be the value of CAMPAIGNCTL_WEBHOOK_SECRET'),
  }),
  'http.webhook-no-ref': entry<Record<string, never>>({
    severity: 'error',
    summary: 'HTTP 400: a push delivery whose body holds no `ref`.',
    message: () => 'a push without a `ref`',
  }),

  // ---- CleverTap connection ----
  'clevertap.auth-failed': entry<{ environment: string; sandbox: boolean; endpoint: string; httpStatus: number | null; detail: string; accountIdEnv: string; passcodeEnv: string }>({
    severity: 'error',
    summary: 'CleverTap refused the credentials (401 or 403): the command stops there, whatever it was doing.',
    message: (a) =>
      `CleverTap refused the credentials of environment ${q(a.environment)}${a.sandbox ? ' (the embedded sandbox)' : ''}: ` +
      `${a.endpoint} answered ${a.httpStatus === null ? 'without a status' : `HTTP ${a.httpStatus}`} (${a.detail}); nothing further was sent and this run's result can not be trusted`,
    hint: (a) =>
      `check ${q(a.accountIdEnv)} and ${q(a.passcodeEnv)} (the passcode must be allowed to use this API), and that ${q('CLEVERTAP_REGION')} or ${q('CLEVERTAP_API_URL')} ` +
      '(or the environment\'s region / apiUrl in campaignctl.yaml) points at the account\'s region: a wrong regional host is refused the same way',
  }),
};

/**
 * How a held apply lock is told wherever it shows (a refused apply, stop or import; plan's warning
 * about open writes): the judgement is state/stale.ts's, these are the words.
 */
export const lockWords = {
  holder: (h: { command: string; pid: number; host: string; since: string }): string => `${h.command} (pid ${h.pid} on ${h.host}, since ${h.since})`,
  probablyStale: (pid: number): string => `probably stale: process ${pid} no longer exists on this host`,
  heartbeatStale: (heartbeat: string, seconds: number): string => `probably stale: no heartbeat for ${seconds} s (last ${heartbeat})`,
  mayBeRunning: 'it may still be running',
};

export type DiagnosticCode = keyof typeof catalogue;
export type ArgsOf<C extends DiagnosticCode> = (typeof catalogue)[C] extends CatalogueEntry<infer A> ? A : never;

/** Where a diagnostic points; everything optional (project-level problems have no file). */
export type At = Pick<Diagnostic, 'file' | 'line' | 'column' | 'endLine' | 'endColumn' | 'address' | 'related'>;

/** Builds a Diagnostic from the catalogue: the one way diagnostics are made. */
export function diagnostic<C extends DiagnosticCode>(code: C, args: ArgsOf<C>, where: At = {}): Diagnostic {
  const e = catalogue[code] as CatalogueEntry<ArgsOf<C>>;
  const severity = typeof e.severity === 'function' ? e.severity(args) : e.severity;
  const d: Diagnostic = { severity, code, message: e.message(args) };
  if (where.file !== undefined) d.file = where.file;
  if (where.line !== undefined) {
    d.line = where.line;
    d.column = where.column;
    d.endLine = where.endLine;
    d.endColumn = where.endColumn;
  }
  if (where.address !== undefined) d.address = where.address;
  const hint = e.hint?.(args);
  if (hint) d.hint = hint;
  if (where.related?.length) d.related = where.related;
  return d;
}

/** ['a', 'b', 'c'] -> "a, b or c". */
function either(words: string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function article(type: string): string {
  if (type === 'null' || type === 'nothing') return type;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

const FORMAT_HINTS: Record<string, string> = {
  date: 'use a real calendar date as YYYY-MM-DD, e.g. 2026-11-01',
  'date-time': 'use an ISO 8601 instant with an offset, e.g. 2026-11-01T09:00:00+01:00',
  email: 'use an address like someone@example.com',
  uri: 'use an absolute URL like https://example.com/path',
  duration: 'use an ISO 8601 duration like PT2H',
};

/**
 * The fixed helper set. Templates are compiled with knownHelpersOnly, so these (plus Handlebars'
 * built-in if/unless/each/with/lookup) are the only helpers a template can call; anything else is a
 * `template.unknown-helper` at validate time. Helpers fail loudly on a missing value (strict mode
 * does not reach helper arguments), except `default`, whose job is the missing value.
 */
import type Handlebars from 'handlebars';
import type { HelperOptions } from 'handlebars';
import { isValidTimeZone } from '../time/zone.js';
import { formatDate, toInstant } from './date-format.js';

/** Position of a helper call in the (transformed) template, as Handlebars reports it. */
export interface HelperLoc {
  start: { line: number; column: number };
  end: { line: number; column: number };
}

/** Thrown by a helper; the engine turns it into a located `template.invalid-argument` problem. */
export class HelperError extends Error {
  constructor(
    readonly helper: string,
    readonly detail: string,
    readonly loc: HelperLoc | undefined,
  ) {
    super(`${helper}: ${detail}`);
    this.name = 'HelperError';
  }
}

/** Internal helper that emits a protected Liquid segment (base64 of its exact bytes). */
export const LIQUID_HELPER = '__liquid';

export const USER_HELPERS = ['upper', 'lower', 'default', 'date', 'json'] as const;
export const BUILTIN_HELPERS = ['if', 'unless', 'each', 'with', 'lookup'] as const;
/** Block helpers that change the context (`this`) inside their block. */
export const CONTEXT_HELPERS: ReadonlySet<string> = new Set(['each', 'with']);

export const KNOWN_HELPERS: Record<string, boolean> = Object.fromEntries(
  [...USER_HELPERS, ...BUILTIN_HELPERS, LIQUID_HELPER].map((n) => [n, true]),
);

/** Options data key carrying the default zone of `date` (the account time zone). */
export const ZONE_DATA_KEY = 'campaignctlZone';

function optionsOf(args: unknown[]): HelperOptions & { loc?: HelperLoc } {
  return args[args.length - 1] as HelperOptions & { loc?: HelperLoc };
}

function requireText(name: string, value: unknown, loc: HelperLoc | undefined): string {
  if (value === undefined || value === null) {
    throw new HelperError(name, 'got no value (wrap the value in `default` to give a fallback)', loc);
  }
  if (typeof value === 'object') {
    throw new HelperError(name, 'needs text or a number, got an object', loc);
  }
  return String(value);
}

type Registrar = Pick<typeof Handlebars, 'registerHelper'>;

/**
 * Liquid segments by their base64 stand-in (./engine.ts puts one in each template). A project's
 * campaigns share few Liquid snippets, and each render decoded its own again (18 ms of a cold plan
 * of 10,000 campaigns, CPU profile). Bounded; a function of its key alone.
 */
const liquidSegments = new Map<string, string>();
const LIQUID_SEGMENTS_MAX = 4096;

function liquidSegment(encoded: string): string {
  let text = liquidSegments.get(encoded);
  if (text === undefined) {
    text = Buffer.from(encoded, 'base64').toString('utf8');
    if (liquidSegments.size >= LIQUID_SEGMENTS_MAX) liquidSegments.clear();
    liquidSegments.set(encoded, text);
  }
  return text;
}

export function registerHelpers(hb: Registrar): void {
  hb.registerHelper(LIQUID_HELPER, liquidSegment);

  hb.registerHelper('upper', (...args: unknown[]) => requireText('upper', args[0], optionsOf(args).loc).toUpperCase());
  hb.registerHelper('lower', (...args: unknown[]) => requireText('lower', args[0], optionsOf(args).loc).toLowerCase());

  hb.registerHelper('default', (...args: unknown[]) => {
    const opts = optionsOf(args);
    if (args.length !== 3) {
      throw new HelperError('default', 'takes a value and a fallback: {{default data.name "there"}}', opts.loc);
    }
    const [value, fallback] = args;
    return value === undefined || value === null || value === '' ? fallback : value;
  });

  hb.registerHelper('json', (...args: unknown[]) => {
    const opts = optionsOf(args);
    if (args.length !== 2) throw new HelperError('json', 'takes one value: {{json data.items}}', opts.loc);
    return JSON.stringify(args[0] ?? null);
  });

  hb.registerHelper('date', (...args: unknown[]) => {
    const opts = optionsOf(args);
    const [value, format, zoneArg] = args.slice(0, -1);
    if (args.length < 3 || args.length > 4 || typeof format !== 'string') {
      throw new HelperError('date', 'takes a value, a format and optionally an IANA zone: {{date schedule.iso "dddd D MMMM" "Europe/Berlin"}}', opts.loc);
    }
    const instant = toInstant(value);
    if (!instant) {
      throw new HelperError(
        'date',
        value === undefined ? 'got no value' : `got \`${String(value)}\`, which is not a date (use an ISO 8601 date, or an instant with an offset)`,
        opts.loc,
      );
    }
    const dataZone = (opts.data as Record<string, unknown> | undefined)?.[ZONE_DATA_KEY];
    const zone = typeof zoneArg === 'string' ? zoneArg : typeof dataZone === 'string' ? dataZone : 'UTC';
    if (!isValidTimeZone(zone)) {
      throw new HelperError('date', `unknown time zone \`${zone}\` (use an IANA name such as Europe/Berlin)`, opts.loc);
    }
    return formatDate(instant, format, zone);
  });
}

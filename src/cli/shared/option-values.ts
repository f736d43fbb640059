/**
 * Values of command-line options that more than one command takes, parsed one way everywhere:
 * repeatable options, and label selectors (`stop`, `plan`, `apply`).
 */

/**
 * commander's accumulator for a repeatable option (`--set a=1 --set b=2`). `previous` is the
 * option's default: undefined when none was given, so an option never used stays undefined.
 */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export interface ParsedSelector {
  /** Every key=value pair; absent when no --selector was given (an empty selector would match all). */
  selector?: Record<string, string>;
  /** Pairs that are not key=value, as written, for the command to report in its own words. */
  invalid: string[];
}

/** `team=growth,tier=1` and repeated flags -> { team: 'growth', tier: '1' }; keys and values trimmed. */
export function parseSelector(values: readonly string[]): ParsedSelector {
  if (values.length === 0) return { invalid: [] };
  const selector: Record<string, string> = {};
  const invalid: string[] = [];
  for (const pair of values.flatMap((v) => v.split(','))) {
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq).trim();
    if (eq <= 0 || !key) invalid.push(pair);
    else selector[key] = pair.slice(eq + 1).trim();
  }
  return { selector, invalid };
}

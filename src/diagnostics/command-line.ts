/**
 * Every command campaignctl prints for a person to run (in hints, summaries, lock refusals) is
 * built here, so that none can drop an option that picks what it acts on: the environment, and the
 * project when the printing run was given --dir. Run as printed, a retry, an unlock or a resolve
 * therefore reaches the same environment and state as the run that printed it, never the default.
 * Words are shell-quoted where a POSIX shell would split or expand them.
 */

/** What the printing run acted on. */
export interface CommandTarget {
  /** The environment by its resolved name (--env, else the default the run chose). */
  env: string | undefined;
  /** --dir as the run was given it; undefined when the run found the project from its folder. */
  dir?: string;
}

/** A choice the person makes, printed as `--raised|--not-raised`. */
export interface OneOf {
  oneOf: readonly string[];
}

/** `campaignctl --env staging --dir proj state resolve 'bulletin.a#k' --raised|--not-raised`. */
export function commandLine(target: CommandTarget, words: readonly (string | OneOf)[]): string {
  const global = [...(target.env !== undefined ? ['--env', target.env] : []), ...(target.dir !== undefined ? ['--dir', target.dir] : [])];
  return ['campaignctl', ...global, ...words].map((w) => (typeof w === 'string' ? shellWord(w) : w.oneOf.map(shellWord).join('|'))).join(' ');
}

/** A word as a POSIX shell reads it back unchanged: bare when safe, else in single quotes. */
export function shellWord(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-][A-Za-z0-9_@%+=:,./#-]*$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `state resolve ADDRESS --raised|--not-raised`: how an occurrence of unknown outcome is settled. */
export function resolveCommand(target: CommandTarget, occurrence: string): string {
  return commandLine(target, ['state', 'resolve', occurrence, { oneOf: ['--raised', '--not-raised'] }]);
}

/**
 * The code the rules' findings come from, for the caches that keep them (rules memo, project
 * snapshot); the loader's own folder is in the load cache key. Apart from ./index.ts so that those
 * caches name it without loading the rules. Every folder a rule imports belongs here (a test
 * checks the direct imports): a change there changes findings, so the remembered ones must go.
 */
export const RULES_CODE = [
  'config/rules',
  'templates',
  // Fire times, clock changes and quiet hours of Schedules, and the wire's time formats.
  'time',
  // The request rules validate shares with the emulator (request-rules.ts).
  'clevertap',
  'render',
  // The wording of every finding.
  'diagnostics',
  'model',
];

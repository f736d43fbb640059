/**
 * The code the rules' findings come from, for the caches that keep them (rules memo, project
 * snapshot); the loader's own folder is in the load cache key. Apart from ./index.ts so that those
 * caches name it without loading the rules.
 */
// clevertap/: the request rules validate shares with the emulator (request-rules.ts).
export const RULES_CODE = ['config/rules', 'config/templates', 'time', 'clevertap'];

/**
 * The plan benchmark's corpora, by name (`--corpus`): each writes campaignctl.yaml (one environment,
 * `bench`, with the block given) and N resource files under campaigns/, deterministic for a given N.
 *   varied      campaigns of every channel, as a team's look (./corpus-varied.ts)
 *   push-heavy  push Campaigns and Messages for Android and iOS (./corpus-push-heavy.ts)
 *   mixed       150 Campaigns plus Messages, ExternalTriggers, Bulletins and Schedules (./corpus-mixed.ts)
 */
import { writeProjectFrame, type CorpusOptions, type WrittenCorpus } from './corpus-files.js';
import { writeMixed } from './corpus-mixed.js';
import { writePushHeavy } from './corpus-push-heavy.js';
import { writeVaried } from './corpus-varied.js';

export const CORPORA = ['varied', 'push-heavy', 'mixed'] as const;
export type CorpusName = (typeof CORPORA)[number];

const WRITERS: Record<CorpusName, (dir: string, opts: CorpusOptions) => WrittenCorpus> = {
  varied: writeVaried,
  'push-heavy': writePushHeavy,
  mixed: writeMixed,
};

export function isCorpusName(name: string): name is CorpusName {
  return (CORPORA as readonly string[]).includes(name);
}

/**
 * Writes the corpus into `dir`. `environmentBlock` is the `bench` environment's settings, indented
 * four spaces (provider, time zone, ...); the corpus adds its vars.
 */
export function writeCorpus(name: CorpusName, dir: string, opts: CorpusOptions, environmentBlock: string): WrittenCorpus {
  writeProjectFrame(dir, environmentBlock);
  return WRITERS[name](dir, opts);
}

export type { CorpusOptions, WrittenCorpus } from './corpus-files.js';

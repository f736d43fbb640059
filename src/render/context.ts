/**
 * What every body renderer takes and returns. Rendering is pure: the clock, the environment's
 * values and any file reading come in through the context, so the planner, `render`, the
 * scheduler and tests all get the same bytes for the same inputs.
 */
import type { TemplateEngine } from '../templates/engine.js';
import type { Diagnostic, Range } from '../diagnostics/diagnostic.js';

export type FileRead = { ok: true; text: string } | { ok: false; detail: string };

export interface RenderContext {
  engine: TemplateEngine;
  /** The environment's `vars` (templates see them as `vars.*`). */
  vars: Record<string, unknown>;
  /** The clock: `{daysAgo}` dates and `now` resolve against it. */
  now: Date;
  /** The environment's accountTimezone (IANA). */
  accountTimezone: string;
  /** Set when rendering a Schedule's send: `schedule.*` is this fire time in this zone. */
  schedule?: { fireTime: Date; timezone: string };
  /** Places diagnostics in YAML (Project.locate); without it they carry only the address. */
  locate?: (address: string, path: (string | number)[]) => Range | undefined;
  /**
   * The lines of a project file, for exact columns inside block scalars (optional: without it
   * columns follow the usual two-space indentation).
   */
  sourceLines?: (file: string) => readonly string[] | undefined;
  /** Reads a project file (path relative to the project root), for an email's `body_file`. */
  readFile?: (projectPath: string) => FileRead;
}

export interface RenderResult<T> {
  /** Path of the CleverTap endpoint, e.g. `/1/targets/create.json`. */
  endpoint: string;
  /** The JSON body, exactly as it would be sent (without the account headers). */
  body: T;
  /** Errors (the body must not be sent) and warnings (content checks). */
  diagnostics: Diagnostic[];
  /** SMS size, for `render` to print. */
  sms?: { encoding: string; characters: number; segments: number; perSegment: number; approximate: boolean };
}

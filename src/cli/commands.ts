/**
 * The command list. Each command lives in its own file under src/cli/ and exports a `register`
 * function; a command appears here (and so in --help) only once it works.
 */
import type { Command } from 'commander';
import { register as init } from './init.js';
import { register as sandbox } from './sandbox.js';
import { register as validate } from './validate.js';
import { register as render } from './render.js';
import { register as plan } from './plan.js';
import { register as apply } from './apply.js';
import { register as drift } from './drift.js';
import { register as stop } from './stop.js';
import { register as importCommand } from './import.js';
import { register as state } from './state.js';
import { register as forceUnlock } from './force-unlock.js';
import { register as send } from './send.js';
import { register as trigger } from './trigger.js';
import { register as raise } from './raise.js';
import { register as stateResolve } from './state-resolve.js';

type Register = (program: Command) => void;

const commands: Register[] = [
  // one line per command, in the order --help shows them
  init,
  validate,
  render,
  sandbox,
  plan,
  apply,
  drift,
  stop,
  importCommand,
  state,
  stateResolve,
  forceUnlock,
  send,
  trigger,
  raise,
];

export function registerCommands(program: Command): void {
  for (const register of commands) register(program);
}

/**
 * The plan bench's bound line: the least wall time a cold plan's CPU allows on a machine, as a
 * fraction of the parse floor F, and what it says about a miss there. Pure arithmetic, no timing.
 */
import { describe, expect, it } from 'vitest';
import { cpuBound, GOALS } from '../../bench/plan.js';

describe('cpuBound', () => {
  it('divides the CPU by the cores and by F', () => {
    // 2.61 s of CPU on 2 cores can not take less than 1.305 s: 0.55 of a 2.36 s floor.
    expect(cpuBound(2.61, 2.36, 2)).toContain('at least 0.55 x F');
    expect(cpuBound(2.61, 2.36, 4)).toContain('at least 0.28 x F');
  });

  it('says a bound above the goal needs less CPU, and one within it better use of the cores', () => {
    expect(GOALS.coldRatio).toBe(0.5);
    expect(cpuBound(2.61, 2.36, 2)).toContain('only less CPU can meet it');
    expect(cpuBound(2.66, 2.96, 2)).toContain('at least 0.45 x F');
    expect(cpuBound(2.66, 2.96, 2)).toContain('better use of the cores could meet it');
  });
});

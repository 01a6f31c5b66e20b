// The guided first run's state on the in-memory workspace: it starts on a first visit, moves on
// when the student has done each step (or on Next), resumes the saved step and its baseline after
// a reload, stays away once skipped until restarted or asked for by `?lesson=intro`, and does
// nothing at all with `?lesson=off`. A lesson link presets settings only where the link is silent,
// and the parts of a link the page cannot use are named.
import { describe, expect, it } from 'vitest';
import { DEFAULT_TUNE } from '../../src/contract/tune-settings';
import { LessonState, type LessonMode } from '../../src/ui/lesson-state.svelte';
import {
  INTRO_PRESET,
  LESSON_ITERATIONS,
  LESSON_KL_BUDGET,
  LESSON_LABELS,
  NO_PROGRESS,
  wilsonInterval,
  type LessonProgress,
} from '../../src/ui/lesson-steps';
import { memoryWorkspace } from '../../src/ui/memory-workspace';
import { parseLessonParam, parsePageSetup, setupIssues, type Stage } from '../../src/ui/page-setup';
import { Playground } from '../../src/ui/playground.svelte';
import { lesson as text } from '../../src/ui/strings/lesson';
import type { Workspace } from '../../src/ui/workspace';
import { parseSavedLesson } from '../../src/storage/settings';
import { EngineClient } from '../../src/workers/client';

function guide(workspace: Workspace, mode: LessonMode = 'auto') {
  const stages: Stage[] = [];
  let presets = 0;
  let releases = 0;
  const lesson = new LessonState({
    workspace,
    mode,
    goTo: (stage) => stages.push(stage),
    preset: () => presets++,
    release: () => releases++,
  });
  return { lesson, stages, presets: () => presets, releases: () => releases };
}

const at = (extra: Partial<LessonProgress>): LessonProgress => ({ ...NO_PROGRESS, ...extra });
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the guided first run', () => {
  it('starts on a first visit and moves on as each step is done, or on Next', async () => {
    const workspace = memoryWorkspace();
    const { lesson, stages, presets } = guide(workspace);
    await lesson.load();
    expect(lesson.step?.id).toBe('generate');
    expect(stages).toEqual(['model']);
    expect(presets()).toBe(1);
    expect(lesson.announcement).toBe(text.announce(1, 6, text.steps.generate.title));
    expect(await workspace.lesson()).toEqual({ step: 'generate', status: 'active', baseline: expect.any(Object) });

    lesson.check(at({}));
    expect(lesson.step?.id).toBe('generate');
    lesson.check(at({ generated: true }));
    await settle();
    expect(lesson.step?.id).toBe('label');
    expect(stages.at(-1)).toBe('label');

    lesson.check(at({ generated: true, labels: LESSON_LABELS - 1 }));
    expect(lesson.step?.id).toBe('label');
    // Two trainings ran in the background while labelling: the reward step waits for a new one.
    lesson.check(at({ generated: true, labels: LESSON_LABELS, rewardTrainings: 2 }));
    await settle();
    expect(lesson.step?.id).toBe('reward');
    expect(lesson.baseline.rewardTrainings).toBe(2);
    lesson.check(at({ labels: LESSON_LABELS, rewardTrainings: 2 }));
    expect(lesson.step?.id).toBe('reward');
    lesson.check(at({ labels: LESSON_LABELS, rewardTrainings: 3, iterations: 4 }));
    await settle();
    expect(lesson.step?.id).toBe('tune');
    expect(lesson.baseline.iterations).toBe(4);
    lesson.check(at({ rewardTrainings: 3, iterations: 4 + LESSON_ITERATIONS - 1 }));
    expect(lesson.step?.id).toBe('tune');
    lesson.check(at({ rewardTrainings: 3, iterations: 4 + LESSON_ITERATIONS }));
    await settle();
    expect(lesson.step?.id).toBe('compare');
    lesson.check(at({ blindVotes: 1 }));
    expect(lesson.step?.id).toBe('compare');
    await lesson.next();
    expect(lesson.step?.id).toBe('summary');
    await lesson.back();
    expect(lesson.step?.id).toBe('compare');
    await lesson.next();
    await lesson.next();
    expect(lesson.step).toBeNull();
    expect(lesson.status).toBe('done');
    expect(lesson.announcement).toBe(text.announceDone);
    expect((await workspace.lesson())?.status).toBe('done');
  });

  it('a run the KL budget stopped counts as the tune step done', async () => {
    const { lesson } = guide(memoryWorkspace());
    await lesson.load();
    for (let i = 0; i < 3; i++) await lesson.next();
    expect(lesson.step?.id).toBe('tune');
    lesson.check(at({ iterations: 2, budgetStopped: true }));
    await settle();
    expect(lesson.step?.id).toBe('compare');
  });

  it('resumes the saved step and its baseline after a reload', async () => {
    const workspace = memoryWorkspace();
    const first = guide(workspace).lesson;
    await first.load();
    first.check(at({ rewardTrainings: 5 }));
    await first.next();
    await first.next();
    expect(first.step?.id).toBe('reward');

    const again = guide(workspace);
    await again.lesson.load();
    expect(again.lesson.step?.id).toBe('reward');
    expect(again.stages).toEqual(['reward']);
    expect(again.lesson.baseline.rewardTrainings).toBe(5);
    // The trainings restored after the reload are not a new one.
    again.lesson.check(at({ rewardTrainings: 5 }));
    expect(again.lesson.step?.id).toBe('reward');
  });

  it('stays away once skipped, until restarted or asked for by ?lesson=intro', async () => {
    const workspace = memoryWorkspace();
    const first = guide(workspace);
    await first.lesson.load();
    await first.lesson.next();
    expect(first.releases()).toBe(0);
    await first.lesson.skip();
    expect(first.releases()).toBe(1);
    expect(first.lesson.step).toBeNull();
    expect(first.lesson.announcement).toBe(text.announceSkipped);

    const later = guide(workspace);
    await later.lesson.load();
    expect(later.lesson.status).toBe('skipped');
    expect(later.lesson.step).toBeNull();
    expect(later.stages).toEqual([]);
    expect(later.lesson.canRestart).toBe(true);
    await later.lesson.restart();
    expect(later.lesson.step?.id).toBe('generate');
    expect(later.presets()).toBe(1);

    await later.lesson.turnOff();
    const fromLink = guide(workspace, 'intro');
    await fromLink.lesson.load();
    expect(fromLink.lesson.step?.id).toBe('generate');
    expect(fromLink.presets()).toBe(1);
  });

  it('does nothing with ?lesson=off: nothing shown, nothing saved, no restart button', async () => {
    const workspace = memoryWorkspace();
    const { lesson, stages } = guide(workspace, 'off');
    await lesson.load();
    lesson.check(at({ generated: true }));
    expect(lesson.status).toBeNull();
    expect(lesson.step).toBeNull();
    expect(lesson.canRestart).toBe(false);
    expect(stages).toEqual([]);
    expect(await workspace.lesson()).toBeNull();
    expect(parseLessonParam('?lesson=off')).toBe('off');
    expect(parseLessonParam('?lesson=intro&stage=tune')).toBe('intro');
    expect(parseLessonParam('?lesson=advanced')).toBeNull();
  });

  it('starts afresh when the saved state is unreadable', async () => {
    expect(parseSavedLesson({ step: 'reward', status: 'paused' })).toBeNull();
    expect(parseSavedLesson('reward')).toBeNull();
    expect(
      parseSavedLesson({ step: 'reward', status: 'active', baseline: { iterations: 'x', rewardTrainings: 2 } }),
    ).toEqual({ step: 'reward', status: 'active', baseline: { rewardTrainings: 2 } });
    const workspace = memoryWorkspace();
    await workspace.setLesson({ step: 'no-such-step', status: 'active', baseline: {} });
    const { lesson } = guide(workspace);
    await lesson.load();
    expect(lesson.step?.id).toBe('generate');
  });

  it('gives few-label agreement a wide interval that narrows with more pairs', () => {
    const few = wilsonInterval(0.75, 8);
    const many = wilsonInterval(0.75, 800);
    expect(few.low).toBeLessThan(0.45);
    expect(few.high).toBeGreaterThan(0.9);
    expect(many.high - many.low).toBeLessThan(0.07);
    // A reference value: Wilson's 95% interval for 6 of 8 is 0.409–0.929.
    expect(few.low).toBeCloseTo(0.409, 3);
    expect(few.high).toBeCloseTo(0.929, 3);
  });
});

describe('lesson links', () => {
  /** A playground on a client with no worker behind it: enough to apply a preset and write the address. */
  function page(query: string) {
    const written: string[] = [];
    const channel = new MessageChannel();
    const p = new Playground({
      client: new EngineClient(channel.port1),
      workspace: memoryWorkspace(),
      setup: parsePageSetup(query),
      writeQuery: (q) => written.push(q),
      readQuery: () => query,
    });
    channel.port1.close();
    return { p, written };
  }

  it('preset the KL budget and iterations only where the link does not set them', () => {
    const plain = page('?lesson=intro');
    plain.p.applyLessonPreset(INTRO_PRESET);
    expect(plain.p.tune.settings.klBudget).toBe(LESSON_KL_BUDGET);
    expect(plain.written.at(-1)).toBe(`?lesson=intro&budget=${LESSON_KL_BUDGET}`);

    const teacher = page('?lesson=intro&budget=2&iters=3&algo=dpo&hide=seed&labeler=animals');
    teacher.p.applyLessonPreset({ tune: { klBudget: 9, iterations: 20 }, hide: ['import'] });
    expect(teacher.p.tune.settings).toMatchObject({ klBudget: 2, iterations: 3, algorithm: 'dpo' });
    expect(teacher.p.hide).toEqual(['seed']);
    expect(teacher.p.labeler).toBe('animals');
  });

  it('take the preset back when the guide is skipped, keeping what the student changed since', () => {
    const plain = page('?lesson=intro');
    const before = { ...plain.p.tune.settings };
    plain.p.applyLessonPreset({ tune: { klBudget: LESSON_KL_BUDGET, iterations: 20 }, hide: ['import'] });
    expect(plain.p.hide).toEqual(['import']);
    plain.p.tune.settings = { ...plain.p.tune.settings, iterations: 7 };
    plain.p.releaseLessonPreset();
    expect(plain.p.tune.settings).toEqual({ ...before, iterations: 7 });
    expect(plain.p.hide).toEqual([]);
    expect(plain.written.at(-1)).toBe('?lesson=intro&iters=7');

    const teacher = page('?lesson=intro&budget=2&hide=seed');
    teacher.p.applyLessonPreset(INTRO_PRESET);
    teacher.p.releaseLessonPreset();
    expect(teacher.p.tune.settings.klBudget).toBe(2);
    expect(teacher.p.hide).toEqual(['seed']);
  });

  it('open with the defaults where a value is unknown, and say which parts were ignored', () => {
    const query = '?lesson=advanced&stage=nowhere&algo=xyz&lr=abc&beta=5&hide=seed,bogus&active=maybe&seed=-1&iters=4';
    const setup = parsePageSetup(query);
    expect(setup.stage).toBe('model');
    expect(setup.tune.algorithm).toBe(DEFAULT_TUNE.algorithm);
    expect(setup.tune.learningRate).toBe(DEFAULT_TUNE.learningRate);
    expect(setup.tune.iterations).toBe(4);
    expect(setup.hide).toEqual(['seed']);
    expect(setup.active).toBe(false);
    expect(parseLessonParam(query)).toBeNull();
    const issues = setupIssues(query);
    expect(issues.filter((i) => i.kind === 'ignored').map((i) => i.part)).toEqual([
      'stage=nowhere',
      'seed=-1',
      'algo=xyz',
      'lr=abc',
      'active=maybe',
      'hide=bogus',
      'lesson=advanced',
    ]);
    expect(issues.filter((i) => i.kind === 'clamped').map((i) => i.part)).toEqual(['beta=5']);
    expect(setup.tune.beta).toBe(1);
    expect(text.ignored(['stage=nowhere'])).toContain('stage=nowhere');
    expect(setupIssues('?lesson=intro&stage=tune&budget=3&present=1')).toEqual([]);
  });
});

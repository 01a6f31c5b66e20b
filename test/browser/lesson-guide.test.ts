// The guided first run in real Chromium on a fresh profile: the whole app on the real engine
// worker with a tiny model. The guide opens by itself, marks the control of its first step and
// moves the focus to it, announces the step; generating moves it to labelling; a reload resumes
// that step; Esc skips it, and the header's button brings it back. (scripts/lesson-screenshots.mjs
// walks every step on the shipped model and takes the README's screenshots.)
import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { memoryWorkspace } from '../../src/ui/memory-workspace';
import { lesson as text } from '../../src/ui/strings/lesson';
import { openApp, tinyManifest, until, type AppPage } from '../helpers/app-page';

const pages: AppPage[] = [];
afterEach(() => pages.splice(0).forEach((p) => p.close()));

const guide = () => document.querySelector<HTMLElement>('.lesson-guide');
const live = () => document.querySelector('[aria-live="polite"].visually-hidden')?.textContent ?? '';
const focused = () => (document.activeElement as HTMLElement | null)?.dataset.lesson ?? null;

describe('the guided first run', () => {
  it('walks a fresh profile through its first steps, resumes after a reload and skips with Esc', async () => {
    await page.viewport(1280, 900);
    const workspace = memoryWorkspace();
    const manifest = await tinyManifest();
    const first = await openApp(workspace, manifest, '?seed=3&tokens=8');
    pages.push(first);

    // 1. A first visit: the guide is open on its first step, pointing at Generate.
    await until(() => guide()?.dataset.lessonStep === 'generate', 'the first step');
    expect(first.playground.stage).toBe('model');
    expect(document.body.dataset.lessonTarget).toBe('generate');
    expect(live()).toBe(text.announce(1, 6, text.steps.generate.title));
    await until(() => focused() === 'generate', 'the focus on Generate');
    expect(guide()!.textContent).toContain(text.steps.generate.body);
    // Lessons keep the KL budget on.
    expect(first.playground.tune.settings.klBudget).toBeGreaterThan(0);

    // 2. Generating moves it on: the Label stage, the focus on "A is better".
    first.generation.prompt = 'the cat';
    await userEvent.click(document.querySelector<HTMLElement>('[data-lesson="generate"]')!);
    await until(() => guide()?.dataset.lessonStep === 'label', 'the label step');
    expect(first.playground.stage).toBe('label');
    expect(live()).toBe(text.announce(2, 6, text.steps.label.title));
    await until(() => focused() === 'label', 'the focus on the first label button');
    // Each key goes to a pair on screen: a key pressed while the next pair loads judges nothing.
    const label = first.playground.label;
    for (let i = 0; i < 3; i++) {
      await until(() => label.pair !== null && !label.saving, 'a pair to label');
      const shown = label.pair;
      await userEvent.keyboard(i % 2 === 0 ? '1' : '2');
      await until(() => first.playground.counts.comparisons === i + 1, 'the label to be stored');
      await until(() => label.pair !== shown, 'the next pair');
    }
    await until(() => guide()!.textContent!.includes(text.labelProgress(3, 40)), 'the label count in the guide');
    for (const taste of text.tastes) expect(guide()!.textContent).toContain(taste);
    first.close();
    pages.length = 0;

    // 3. A reload resumes the step it was on.
    const again = await openApp(workspace, manifest, '?seed=3&tokens=8');
    pages.push(again);
    await until(() => guide()?.dataset.lessonStep === 'label', 'the resumed label step');
    expect(again.playground.stage).toBe('label');
    await until(() => focused() === 'label', 'the focus on the first label button after the reload');
    await until(() => guide()!.textContent!.includes(text.labelProgress(3, 40)), 'the count after the reload');

    // 4. Next shows the reward step with its formula panel marked; Esc skips the guide.
    await userEvent.click(document.querySelector<HTMLElement>('[data-lesson-next]')!);
    await until(() => guide()?.dataset.lessonStep === 'reward', 'the reward step');
    expect(document.body.dataset.lessonExplain).toBe('');
    await until(() => focused() === 'reward', 'the focus on Train');
    await userEvent.keyboard('{Escape}');
    await until(() => guide() === null, 'the guide to close');
    expect(live()).toBe(text.announceSkipped);
    expect(document.body.dataset.lessonTarget).toBeUndefined();
    expect((await workspace.lesson())?.status).toBe('skipped');

    // 5. The visible Restart button starts it again from the first step.
    await userEvent.click(document.querySelector<HTMLElement>('[data-lesson-restart]')!);
    await until(() => guide()?.dataset.lessonStep === 'generate', 'the restarted guide');
    expect(again.playground.stage).toBe('model');
  }, 240_000);

  it('stays away with ?lesson=off, and says which parts of a link were ignored', async () => {
    const workspace = memoryWorkspace();
    const app = await openApp(workspace, await tinyManifest(), '?lesson=off&stage=nowhere&algo=xyz');
    pages.push(app);
    expect(guide()).toBeNull();
    expect(document.querySelector('[data-lesson-restart]')).toBeNull();
    expect(await workspace.lesson()).toBeNull();
    const notice = document.querySelector('.setup-issues')!;
    expect(notice.textContent).toContain(text.ignored(['stage=nowhere', 'algo=xyz']));
    expect(app.playground.stage).toBe('model');
  }, 120_000);
});

// The longer Play in the real page: once the reward model has learned from labels a third of which
// carry marked words, the Tune stage says that one press of Play runs the longer Play, and stops
// saying so (and runs the setting) when the person sets the iterations themselves.
import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { MARKED_PLAY } from '../../src/contract/marked-play';
import { DEFAULT_TUNE } from '../../src/contract/tune-settings';
import { memoryWorkspace } from '../../src/ui/memory-workspace';
import { tune as tuneText } from '../../src/ui/strings';
import { openApp, tinyManifest, until, type AppPage } from '../helpers/app-page';

const pages: AppPage[] = [];
afterEach(() => pages.splice(0).forEach((p) => p.close()));

const line = () => document.querySelector<HTMLElement>('[data-testid="marked-play"]');

describe('the longer Play for marked labels', () => {
  it('is announced under Play when the labels carry marks, and yields to a chosen setting', async () => {
    const app = await openApp(memoryWorkspace(), await tinyManifest(), '?lesson=off&stage=tune');
    pages.push(app);
    const p = app.playground;
    await until(() => document.querySelector('#tune-iterations') !== null, 'the iterations field');
    expect(line()).toBeNull();
    // The reward model's record of what it trained on, as a training or a reload leaves it.
    p.reward.trainedLabels = 9;
    p.reward.trainedMarked = 2;
    await until(() => p.tune.playLength === DEFAULT_TUNE.iterations, 'the plain Play');
    expect(line()).toBeNull();
    p.reward.trainedMarked = 3;
    await until(() => line() !== null, 'the longer Play line');
    expect(p.tune.playLength).toBe(MARKED_PLAY.iterations);
    expect(line()!.textContent!.trim()).toBe(
      tuneText.markedPlay(MARKED_PLAY.iterations, DEFAULT_TUNE.iterations, 3, 9),
    );
    await userEvent.fill(document.querySelector<HTMLInputElement>('#tune-iterations')!, '12');
    await until(() => line() === null, 'the line to go');
    expect(p.tune.playLength).toBe(12);
  }, 120_000);
});

// The KL budget stops a tuning run in real Chromium: the whole app on the real engine worker with
// a tiny model, the budget set in the Tune form far below what one iteration reaches. Pressing
// Play ends the run at once with the KL_BUDGET_STOPPED notice, and no iteration is kept.
import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { memoryWorkspace } from '../../src/ui/memory-workspace';
import { tune as tuneText } from '../../src/ui/strings';
import { openApp, tinyManifest, until, type AppPage } from '../helpers/app-page';

const pages: AppPage[] = [];
afterEach(() => pages.splice(0).forEach((p) => p.close()));

describe('the KL budget in the Tune form', () => {
  it('stops a run whose first iteration passes it, and says so', async () => {
    // DPO needs no reward model; a high learning rate makes the first step move the policy.
    const app = await openApp(
      memoryWorkspace(),
      await tinyManifest(),
      '?lesson=off&stage=label&algo=dpo&lr=0.01&tokens=6',
    );
    pages.push(app);
    const p = app.playground;
    p.reward.autoTrain = false;
    for (const key of ['1', '2', '1', '2']) {
      await until(() => p.label.pair !== null && !p.label.saving, 'a pair to label');
      const shown = p.label.pair;
      await userEvent.keyboard(key);
      await until(() => p.label.pair !== shown && !p.label.saving, 'the next pair');
    }
    await until(() => p.counts.comparisons === 4, 'four labels');

    p.goTo('tune');
    await until(() => document.querySelector('#tune-klBudget') !== null, 'the KL budget field');
    const field = document.querySelector<HTMLInputElement>('#tune-klBudget')!;
    expect(document.querySelector(`label[for="tune-klBudget"]`)!.textContent).toBe(tuneText.label.klBudget);
    await userEvent.fill(field, '0.000001');
    expect(p.tune.settings.klBudget).toBe(0.000001);
    await userEvent.click(document.querySelector<HTMLElement>('[data-lesson="tune"]')!);
    await until(() => document.querySelector('.budget-stop') !== null, 'the KL budget notice', 120_000);
    const notice = document.querySelector<HTMLElement>('.budget-stop')!;
    expect(notice.dataset.code).toBe('KL_BUDGET_STOPPED');
    expect(notice.textContent).toContain('Stopped by the KL budget: iteration 1');
    expect(p.tune.iterations).toBe(0);
    expect(p.tune.problem).toBeNull();
    await until(() => !p.tune.running, 'the run to end');
  }, 240_000);
});

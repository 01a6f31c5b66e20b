// The experiments in real Chromium: the real App on the real engine worker, a tiny seeded model
// served from blob URLs and the experiments shrunk by limits so they run in seconds. From the
// rail's Experiments entry, one click runs an experiment to its explanation (quoting the run's
// own numbers), another is cancelled and says so, and one click goes back to the person's run on
// the stage they left. With VITE_EXPERIMENT_SHOTS=1 it also writes a screenshot of every
// experiment's result to docs/screenshots/.
import { LanguageChoice } from '../../src/ui/language.svelte';
import { tinyManifest } from '../helpers/app-page';
import { flushSync, mount, unmount } from 'svelte';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import '../../src/ui/app.css';
import '../../src/ui/stages.css';
import '../../src/ui/chart-tools.css';
import '../../src/ui/present.css';
import { EXPERIMENT_IDS } from '../../src/contract/experiments';
import { NO_LIMITS } from '../../src/contract/experiment-support';
import type { ExperimentLimits } from '../../src/contract/protocol';
import App from '../../src/ui/App.svelte';
import { EngineState } from '../../src/ui/engine-state.svelte';
import { GenerateState } from '../../src/ui/generate-state.svelte';
import { memoryWorkspace } from '../../src/ui/memory-workspace';
import { OfflineState } from '../../src/ui/offline-state.svelte';
import { parsePageSetup } from '../../src/ui/page-setup';
import { Playground } from '../../src/ui/playground.svelte';
import { spawnEngine } from '../../src/workers/spawn';

const { worker, client } = spawnEngine();
afterAll(() => worker.terminate());
const mounted: ReturnType<typeof mount>[] = [];
afterEach(() => {
  mounted.splice(0).forEach((app) => void unmount(app));
  document.body.replaceChildren();
});

const story = 'the dog ran to the park. the cat was happy. a bird sang a song. the girl saw a big tree. ';
const limits = { labels: 6, iterations: 4, maxNewTokens: 8 };
/**
 * Longer runs for the screenshots, so the curves have a shape. With VITE_EXPERIMENT_SHOTS_MODEL=shipped
 * they run on the shipped default model (served by the dev server), shortened to fit a few minutes each.
 */
const shipped = import.meta.env.VITE_EXPERIMENT_SHOTS_MODEL === 'shipped';
/** VITE_EXPERIMENT_SHOTS_FULL=1: the experiment at its own size, as `npm run experiment` runs it. */
const shotLimits =
  import.meta.env.VITE_EXPERIMENT_SHOTS_FULL === '1'
    ? NO_LIMITS
    : shipped
      ? { labels: 24, iterations: 6, maxNewTokens: 24 }
      : { labels: 16, iterations: 12, maxNewTokens: 12 };

/** A tiny seeded model as a manifest of blob URLs, downloaded by the worker like a shipped one. */
const blobModel = (): Promise<string> =>
  tinyManifest({ text: story, vocabSize: 300, seed: 3, title: 'Tiny test model' });

let manifestUrl: string | null = null;

async function openApp(
  query: string,
  caps: ExperimentLimits = limits,
  model: string | null = null,
): Promise<{ playground: Playground; target: HTMLElement; written: string[] }> {
  manifestUrl ??= await blobModel();
  const written: string[] = [];
  const playground: Playground = new Playground({
    client,
    workspace: memoryWorkspace(),
    setup: parsePageSetup(query),
    writeQuery: (q) => written.push(q),
    readQuery: () => query,
    experiments: { limits: caps },
  });
  const engine = new EngineState(client, model ?? manifestUrl, ['wasm'], () => playground.startSession());
  const offline = new OfflineState({
    register: () => async () => {},
    working: () => false,
    reload: () => {},
    manifest: () => new Promise(() => {}),
    caches: null,
  });
  const target = document.createElement('div');
  document.body.append(target);
  mounted.push(
    mount(App, {
      target,
      props: {
        engine,
        generation: new GenerateState(client, null),
        playground,
        offline,
        language: new LanguageChoice({
          load: () => Promise.resolve(null),
          save: () => Promise.resolve(),
          readQuery: () => query,
          writeQuery: () => {},
          languages: ['en'],
        }),
      },
    }),
  );
  await playground.loadPrompts({ train: ['the dog', 'the cat', 'a bird'], evaluation: ['the girl'] });
  await engine.start();
  await expect.poll(() => playground.ready, { timeout: 60_000 }).toBe(true);
  return { playground, target, written };
}

const click = (el: Element | null | undefined): void => {
  expect(el).toBeTruthy();
  (el as HTMLElement).click();
  flushSync();
};

describe('experiments in the page', () => {
  it('runs one experiment to its explanation, cancels another, and goes back to the person’s run', async () => {
    await page.viewport(1280, 900);
    const { playground, target, written } = await openApp('?stage=label&lesson=off');

    click(target.querySelector('.app-header .experiments-entry'));
    expect(written.at(-1)).toContain('experiment=all');
    const items = [...target.querySelectorAll('.experiment-list li')];
    expect(items.map((li) => li.getAttribute('data-experiment'))).toEqual([...EXPERIMENT_IDS]);
    const link = items[0].querySelector<HTMLAnchorElement>('a.experiment-open')!;
    expect(new URL(link.href).search).toBe('?experiment=reward-hacking');

    // One click runs it: progress, then charts and the explanation in the run's own numbers.
    click(link);
    expect(written.at(-1)).toContain('experiment=reward-hacking');
    await expect.poll(() => target.querySelector('.experiment-run progress')).not.toBeNull();
    await expect.poll(() => target.querySelector('.experiment-explanation'), { timeout: 120_000 }).not.toBeNull();
    const evidence = target.querySelector('.experiment-explanation .evidence')!.textContent!;
    const [proxy, gold] = playground.experiments.readings;
    expect(evidence).toContain(`from ${proxy.from.toFixed(2)} to ${proxy.to.toFixed(2)}`);
    expect(evidence).toContain(`from ${gold.from.toFixed(2)} to ${gold.to.toFixed(2)}`);
    expect(target.querySelector('.experiment-explanation')!.textContent).toContain('Why it happens');
    expect(target.querySelectorAll('.experiment-charts .chart').length).toBeGreaterThanOrEqual(3);
    expect(target.querySelectorAll('.experiment-run .samples li').length).toBeGreaterThan(0);

    // Another one, cancelled while it runs: it stops and says so.
    click([...target.querySelectorAll('.experiment-banner button')].find((b) => b.textContent === 'All experiments'));
    click(target.querySelector('.experiment-list li[data-experiment="dpo-vs-ppo"] a.experiment-open'));
    await expect.poll(() => target.querySelector('.experiment-cancel')).not.toBeNull();
    click(target.querySelector('.experiment-cancel'));
    await expect.poll(() => target.querySelector('.experiment-cancelled')?.textContent ?? '').toContain('Cancelled');
    expect(target.querySelector('.experiment-cancel')).toBeNull();
    expect(playground.experiments.status).toBe('cancelled');

    // One click back: the stage the person left, their (empty) run as it was.
    click(target.querySelector('.experiment-back'));
    expect(target.querySelector('.experiments-view')).toBeNull();
    expect(target.querySelector('.stage-rail button[data-stage="label"][aria-current="step"]')).not.toBeNull();
    expect(written.at(-1)).not.toContain('experiment=');
    expect(playground.counts.comparisons).toBe(0);
    expect(playground.tune.points).toEqual([]);
  });

  it.runIf(import.meta.env.VITE_EXPERIMENT_SHOTS === '1')(
    'writes a screenshot of every experiment’s result',
    async () => {
      // Tall enough for the whole result: the test frame paints only what lies inside it.
      await page.viewport(1280, 2600);
      // VITE_EXPERIMENT_SHOTS_ONLY=negative-kl (or a comma-separated list) retakes those screenshots.
      const only = import.meta.env.VITE_EXPERIMENT_SHOTS_ONLY?.split(',');
      for (const id of EXPERIMENT_IDS.filter((x) => only === undefined || only.includes(x))) {
        const model = shipped ? '/models/manifest.json' : null;
        const { target } = await openApp(`?experiment=${id}&lesson=off`, shotLimits, model);
        await expect
          .poll(() => target.querySelector('.experiment-explanation') !== null, { timeout: 1_800_000 })
          .toBe(true);
        await page.screenshot({ path: `../../docs/screenshots/experiment-${id}.png`, element: target });
        mounted.splice(0).forEach((app) => void unmount(app));
        document.body.replaceChildren();
      }
    },
    9_000_000,
  );
});

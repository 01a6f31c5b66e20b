// The presentation layout in real Chromium at a projector's 1280x720: with ?present=1 the Tune
// stage's controls (Play included) and its first live chart lie inside the viewport without
// scrolling, body text is at least 20 px, and the backend report is a one-line badge whose details
// open on demand. The page is the real App with the real style sheets; the engine is a client with
// no worker behind it (nothing here trains), and the charts are fed a run's worth of points.
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page } from 'vitest/browser';
import '../../src/ui/app.css';
import '../../src/ui/stages.css';
import '../../src/ui/chart-tools.css';
import '../../src/ui/present.css';
import App from '../../src/ui/App.svelte';
import { chartPng } from '../../src/ui/chart-image';
import { EngineState } from '../../src/ui/engine-state.svelte';
import { GenerateState } from '../../src/ui/generate-state.svelte';
import { LanguageChoice } from '../../src/ui/language.svelte';
import { memoryWorkspace } from '../../src/ui/memory-workspace';
import { OfflineState } from '../../src/ui/offline-state.svelte';
import { parsePageSetup } from '../../src/ui/page-setup';
import { Playground } from '../../src/ui/playground.svelte';
import type { Workspace } from '../../src/ui/workspace';
import { EngineClient } from '../../src/workers/client';

const mounted: ReturnType<typeof mount>[] = [];
afterEach(() => {
  mounted.splice(0).forEach((app) => void unmount(app));
  document.body.replaceChildren();
});

function openPage(query: string): {
  playground: Playground;
  target: HTMLElement;
  written: string[];
  workspace: Workspace;
} {
  const written: string[] = [];
  const workspace = memoryWorkspace();
  const channel = new MessageChannel();
  const client = new EngineClient(channel.port1);
  const engine = new EngineState(client, 'models/manifest.json');
  const playground = new Playground({
    client,
    workspace,
    setup: parsePageSetup(query),
    writeQuery: (q) => written.push(q),
    readQuery: () => query,
  });
  engine.backend = {
    backend: 'wasm',
    attempts: [{ backend: 'webgpu', failure: { kind: 'noWebGPU' } }],
  };
  playground.ready = true;
  playground.tune.points = Array.from({ length: 12 }, (_, i) => ({
    iteration: i + 1,
    metrics: {
      'objective/scores': Math.log(i + 2),
      'gold/score': 0.1 * i,
      'objective/kl': 0.3 * i,
      'objective/entropy': 20 - i,
      'policy/clipfrac': 0.05,
      'loss/value': 1 / (i + 1),
      beta: 0.05,
      'time/update_ms': 300 + i,
    },
  }));
  const target = document.createElement('div');
  document.body.append(target);
  // No service worker here: the offline part registers nothing and shows nothing.
  const offline = new OfflineState({
    register: () => async () => {},
    working: () => false,
    reload: () => {},
    manifest: () => new Promise(() => {}),
    caches: null,
  });
  const generation = new GenerateState(client, null);
  const language = new LanguageChoice({
    load: () => Promise.resolve(null),
    save: () => Promise.resolve(),
    readQuery: () => '',
    writeQuery: () => {},
    languages: ['en'],
  });
  mounted.push(mount(App, { target, props: { engine, generation, playground, offline, language } }));
  flushSync();
  return { playground, target, written, workspace };
}

function inViewport(el: Element | null, what: string): void {
  expect(el, what).not.toBeNull();
  const r = el!.getBoundingClientRect();
  expect(r.height, `${what} has a height`).toBeGreaterThan(0);
  expect(r.top, `${what} top`).toBeGreaterThanOrEqual(0);
  expect(r.left, `${what} left`).toBeGreaterThanOrEqual(0);
  expect(r.bottom, `${what} bottom`).toBeLessThanOrEqual(window.innerHeight);
  expect(r.right, `${what} right`).toBeLessThanOrEqual(window.innerWidth);
}

const px = (el: Element): number => parseFloat(getComputedStyle(el).fontSize);

describe('?present=1 at 1280x720', () => {
  it('shows the Tune stage’s controls and a live chart without scrolling, text at 20 px or more', async () => {
    await page.viewport(1280, 720);
    const { target } = openPage('?stage=tune&present=1');
    // The charts draw on a later task; wait for the first canvas.
    await expect.poll(() => target.querySelector('.chart canvas')).not.toBeNull();
    expect(window.innerWidth).toBe(1280);
    expect(window.innerHeight).toBe(720);
    expect(window.scrollY).toBe(0);
    expect(target.querySelector('.app.present')).not.toBeNull();

    inViewport(target.querySelector('.tune-controls'), 'the tune controls');
    inViewport(target.querySelector('.tune-controls .transport button.primary'), 'Play');
    inViewport(target.querySelector('.chart'), 'the first chart');
    inViewport(target.querySelector('.chart canvas'), 'the first chart’s plot');
    expect(target.querySelector('.chart figcaption')?.textContent).toBe('Reward-model score');

    expect(px(document.body)).toBeGreaterThanOrEqual(20);
    // Every visible piece of text in the stage, the rail and the header, labels and hints included.
    const texts = [...target.querySelectorAll('.app-header *, .stage-rail *, .tune-top *')].filter(
      (el) =>
        el.checkVisibility() &&
        [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim() !== ''),
    );
    expect(texts.length).toBeGreaterThan(20);
    const small = texts.filter((el) => px(el) < 20).map((el) => `${el.className || el.tagName}: ${px(el)}px`);
    expect(small).toEqual([]);
  });

  it('shows the backend as a one-line badge, with its report on demand', async () => {
    await page.viewport(1280, 720);
    const { target } = openPage('?stage=tune&present=1');
    const badge = target.querySelector<HTMLElement>('.backend-details > summary')!;
    expect(badge.textContent).toContain('WASM');
    const reason = target.querySelector('.backend-reason')!;
    expect(reason.checkVisibility()).toBe(false);
    expect(badge.getBoundingClientRect().height).toBeLessThan(60);
    badge.click();
    flushSync();
    expect(reason.checkVisibility()).toBe(true);
    expect(reason.textContent).toContain('WASM was chosen because WebGPU could not be used');
  });

  it('keeps the report a badge in the default layout too', async () => {
    await page.viewport(1280, 720);
    const { target } = openPage('?stage=tune');
    expect(target.querySelector('.app.present')).toBeNull();
    expect(target.querySelector('.backend-details')?.hasAttribute('open')).toBe(false);
    expect(target.querySelector('.backend-reason')?.checkVisibility()).toBe(false);
  });
});

describe('chart tools in the Tune stage', () => {
  it('charts a metric chosen from the list, keeps the choice in the address, and overlays an earlier run', async () => {
    await page.viewport(1280, 720);
    const { playground, target, written, workspace } = openPage('?stage=tune');
    const chooser = target.querySelector<HTMLDetailsElement>('.metric-chooser')!;
    chooser.open = true;
    flushSync();
    const option = [...chooser.querySelectorAll('label')].find((l) => l.textContent?.includes('time/update_ms'));
    expect(option?.textContent).toContain('Update time (ms)');
    option!.querySelector('input')!.click();
    flushSync();
    const captions = () => [...target.querySelectorAll('.chart figcaption')].map((c) => c.textContent);
    expect(captions()).toContain('Update time (ms) (time/update_ms)');
    expect(written.at(-1)).toContain('charts=time%2Fupdate_ms');

    const id = await workspace.createRun({ kind: 'policy', name: 'policy tuning', config: { algorithm: 'dpo' } });
    await workspace.appendRunPoints(
      id,
      [1, 2, 3].map((step) => ({ step, values: { 'objective/kl': step } })),
    );
    await playground.charts.refresh();
    flushSync();
    const row = [...target.querySelectorAll('.run-list tbody tr')].find((r) => r.textContent?.includes(`#${id}`));
    expect(row?.textContent).toContain('DPO');
    row!.querySelector<HTMLInputElement>('input[type=checkbox]')!.click();
    flushSync();
    const legends = [...target.querySelectorAll('.chart .u-legend')].map((l) => l.textContent ?? '');
    expect(legends.some((l) => l.includes(`KL · policy tuning #${id}`))).toBe(true);
  });
});

describe('chart downloads', () => {
  it('saves a chart as SVG from its series and as PNG from its canvas', async () => {
    await page.viewport(1280, 720);
    const { target } = openPage('?stage=tune');
    await expect.poll(() => target.querySelector('.chart canvas')).not.toBeNull();
    const saved: { name: string; blob: Blob }[] = [];
    const blobs = new Map<string, Blob>();
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      const url = `blob:test/${blobs.size}`;
      blobs.set(url, blob as Blob);
      return url;
    });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push({ name: this.download, blob: blobs.get(this.href)! });
    });
    try {
      const kl = target.querySelectorAll('.chart')[1];
      kl.querySelector<HTMLButtonElement>('.chart-downloads button')!.click();
      expect(saved[0].name).toBe('kl-to-the-reference-nats-per-response.svg');
      const svg = new DOMParser().parseFromString(await saved[0].blob.text(), 'image/svg+xml');
      expect(svg.querySelector('parsererror')).toBeNull();
      expect(svg.querySelectorAll('circle')).toHaveLength(12);

      const png = await chartPng('KL', kl.querySelector('canvas')!, 'kl.png');
      expect(png?.type).toBe('image/png');
      expect([...(png?.bytes as Uint8Array).slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    } finally {
      vi.restoreAllMocks();
    }
  });
});

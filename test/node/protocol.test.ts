// The worker protocol: every request survives structured cloning and passes the guard; the host
// answers each request exactly once, through the real client, over a real MessageChannel (so
// every message is structured-cloned as it would be between page and worker).
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { GPT, GPT_PRESETS, Tokenizer, generateText, promptIds, saveCheckpoint } from '../../src/engine';
import { EngineClient, WorkerRequestError } from '../../src/workers/client';
import { messageText } from '../../src/ui/strings/messages';
import { EngineHost } from '../../src/workers/host';
import {
  isRequest,
  isWorkerEvent,
  requestIdOf,
  type Request,
  type RequestType,
  type WorkerEvent,
} from '../../src/contract/protocol';
import { DEFAULT_TUNE } from '../../src/contract/tune-settings';
import { DEFAULT_SETTINGS, SETTING_RANGES, type GenerationSettings } from '../../src/contract/generation-settings';

const settings: GenerationSettings = { ...DEFAULT_SETTINGS, maxNewTokens: 6, seed: 9 };

// A mapped type: adding a request type to the protocol without an example here fails to compile.
const examples: { [K in RequestType]: Extract<Request, { type: K }> } = {
  init: { id: 1, type: 'init', backends: ['wasm', 'cpu'] },
  loadModel: { id: 2, type: 'loadModel', manifestUrl: '/models/manifest.json', modelId: 'tiny' },
  generate: { id: 3, type: 'generate', prompt: 'Once upon a time', settings },
  cancel: { id: 4, type: 'cancel', target: 3 },
  startSession: { id: 5, type: 'startSession', seed: 7 },
  samplePair: {
    id: 6,
    type: 'samplePair',
    prompts: ['Once'],
    active: true,
    sampling: { maxNewTokens: 16, temperature: 0.9 },
  },
  sampleOne: { id: 7, type: 'sampleOne', prompt: 'Once', sampling: { maxNewTokens: 16, temperature: 0.9 } },
  setLabels: {
    id: 8,
    type: 'setLabels',
    labels: {
      comparisons: [
        { id: 1, prompt: 'p', a: 'x', b: 'y', choice: 'tie', labeler: 'human', aEnded: true },
        {
          id: 2,
          prompt: 'p',
          a: 'a big dog',
          b: 'so sad',
          choice: 'a',
          labeler: 'human',
          marks: [
            { side: 'a', start: 6, end: 9, polarity: 1 },
            { side: 'b', start: 3, end: 6, polarity: -1 },
          ],
        },
      ],
      ratings: [{ id: 2, prompt: 'p', response: 'x', stars: 4, labeler: 'human', ended: false }],
      demonstrations: [{ prompt: 'p', response: 'z' }],
    },
  },
  setLabeler: { id: 9, type: 'setLabeler', labeler: { kind: 'keyword', rule: '+dog' } },
  judge: { id: 10, type: 'judge', question: { kind: 'compare', prompt: 'p', a: 'x', b: 'y' } },
  trainReward: { id: 11, type: 'trainReward', prompts: ['p'] },
  scoreText: { id: 12, type: 'scoreText', prompt: 'p', response: 'r' },
  configure: { id: 13, type: 'configure', settings: { ...DEFAULT_TUNE, algorithm: 'rloo' } },
  iterate: { id: 14, type: 'iterate', prompts: ['p'], iterations: 3 },
  pause: { id: 15, type: 'pause', target: 14 },
  resume: { id: 16, type: 'resume', target: 14 },
  reset: { id: 17, type: 'reset' },
  evaluate: {
    id: 18,
    type: 'evaluate',
    base: { kind: 'base' },
    tuned: { kind: 'checkpoint', name: 'c', bytes: new ArrayBuffer(8) },
    options: {
      prompts: ['p'],
      samplesPerPrompt: 8,
      maxNewTokens: 8,
      temperature: 0.7,
      seed: 1,
      yardstick: { kind: 'builtin', id: 'animals' },
    },
  },
  samplePolicies: {
    id: 24,
    type: 'samplePolicies',
    base: { kind: 'base' },
    tuned: { kind: 'current' },
    options: { prompts: ['p', 'q'], samplesPerPrompt: 1, maxNewTokens: 8, temperature: 0.7, seed: 2 ** 32 - 1 },
  },
  savePolicy: { id: 19, type: 'savePolicy', name: 'mine' },
  loadPolicy: { id: 20, type: 'loadPolicy', bytes: new ArrayBuffer(4) },
  useModel: { id: 22, type: 'useModel', name: 'imported', bytes: new ArrayBuffer(8), tokenizer: null },
  pretrain: { id: 21, type: 'pretrain', text: 'One story.\n\nAnother story.', source: 'mine.txt', steps: 10 },
  loseDevice: { id: 23, type: 'loseDevice' },
  tokenizer: { id: 24, type: 'tokenizer' },
  importHf: {
    id: 25,
    type: 'importHf',
    files: [{ name: 'config.json', bytes: new ArrayBuffer(4) }],
    name: 'gpt2',
    createdAt: '2026-01-01T00:00:00.000Z',
  },
  exportHf: { id: 26, type: 'exportHf', checkpoint: new ArrayBuffer(8), tokenizer: '{}', source: 'policy' },
  runExperiment: {
    id: 27,
    type: 'runExperiment',
    experiment: 'reward-hacking',
    seed: 3,
    prompts: ['p'],
    limits: { labels: 8, iterations: null, maxNewTokens: 6 },
  },
};

describe('protocol messages', () => {
  it.each(Object.values(examples))('$type round-trips through structuredClone and passes isRequest', (request) => {
    const copy: unknown = structuredClone(request);
    expect(copy).toEqual(request);
    expect(isRequest(copy)).toBe(true);
    expect(requestIdOf(copy)).toBe(request.id);
  });

  it('accepts optional fields left out', () => {
    expect(isRequest({ id: 0, type: 'init' })).toBe(true);
    expect(isRequest({ id: 5, type: 'loadModel', manifestUrl: 'm.json' })).toBe(true);
    expect(isRequest({ id: 6, type: 'generate', prompt: '', settings })).toBe(true);
  });

  it.each([
    ['not an object', 'init'],
    ['an array', [1, 'init']],
    ['no id', { type: 'init' }],
    ['a negative id', { id: -1, type: 'init' }],
    ['a fractional id', { id: 1.5, type: 'init' }],
    ['an unknown type', { id: 1, type: 'train' }],
    ['an unknown backend', { id: 1, type: 'init', backends: ['metal'] }],
    ['an empty backend list', { id: 1, type: 'init', backends: [] }],
    ['no manifest url', { id: 1, type: 'loadModel' }],
    ['a numeric model id', { id: 1, type: 'loadModel', manifestUrl: 'm.json', modelId: 3 }],
    ['no prompt', { id: 1, type: 'generate', settings }],
    ['no settings', { id: 1, type: 'generate', prompt: 'x' }],
    [
      'a temperature above its range',
      {
        id: 1,
        type: 'generate',
        prompt: 'x',
        settings: { ...settings, temperature: SETTING_RANGES.temperature.max + 1 },
      },
    ],
    ['a fractional top-k', { id: 1, type: 'generate', prompt: 'x', settings: { ...settings, topK: 2.5 } }],
    ['a missing greedy flag', { id: 1, type: 'generate', prompt: 'x', settings: { ...settings, greedy: undefined } }],
    ['a cancel without target', { id: 1, type: 'cancel' }],
    [
      'an unknown experiment',
      {
        id: 1,
        type: 'runExperiment',
        experiment: 'nope',
        seed: 1,
        prompts: ['p'],
        limits: examples.runExperiment.limits,
      },
    ],
    [
      'an experiment without limits',
      { id: 1, type: 'runExperiment', experiment: 'lr-collapse', seed: 1, prompts: ['p'] },
    ],
    [
      'a model file without bytes',
      { id: 1, type: 'importHf', files: [{ name: 'config.json' }], name: 'm', createdAt: '' },
    ],
    ['an export without its tokenizer', { id: 1, type: 'exportHf', checkpoint: new ArrayBuffer(8), source: 'p' }],
    [
      'a pair request without prompts',
      { id: 1, type: 'samplePair', prompts: [], active: false, sampling: { maxNewTokens: 8, temperature: 1 } },
    ],
    [
      'a label with an unknown choice',
      {
        id: 1,
        type: 'setLabels',
        labels: {
          comparisons: [{ id: 1, prompt: 'p', a: 'x', b: 'y', choice: 'c', labeler: 'h' }],
          ratings: [],
          demonstrations: [],
        },
      },
    ],
    ...(
      [
        ['past the end of its text', { side: 'a', start: 0, end: 9, polarity: 1 }],
        ['on no side', { side: 'c', start: 0, end: 1, polarity: 1 }],
        ['of polarity 0', { side: 'b', start: 0, end: 1, polarity: 0 }],
        ['empty', { side: 'a', start: 1, end: 1, polarity: -1 }],
      ] as const
    ).map(([what, mark]): [string, unknown] => [
      `a marked word ${what}`,
      {
        id: 1,
        type: 'setLabels',
        labels: {
          comparisons: [{ id: 1, prompt: 'p', a: 'xx', b: 'y', choice: 'a', labeler: 'h', marks: [mark] }],
          ratings: [],
          demonstrations: [],
        },
      },
    ]),
    [
      'two marked words that overlap',
      {
        id: 1,
        type: 'setLabels',
        labels: {
          comparisons: [
            {
              id: 1,
              prompt: 'p',
              a: 'a big dog',
              b: 'y',
              choice: 'a',
              labeler: 'h',
              marks: [
                { side: 'a', start: 2, end: 9, polarity: 1 },
                { side: 'a', start: 6, end: 9, polarity: -1 },
              ],
            },
          ],
          ratings: [],
          demonstrations: [],
        },
      },
    ],
    [
      'six stars',
      {
        id: 1,
        type: 'setLabels',
        labels: {
          comparisons: [],
          ratings: [{ id: 1, prompt: 'p', response: 'x', stars: 6, labeler: 'h' }],
          demonstrations: [],
        },
      },
    ],
    [
      'a label without its id (the key of its held-out split)',
      {
        id: 1,
        type: 'setLabels',
        labels: {
          comparisons: [{ prompt: 'p', a: 'x', b: 'y', choice: 'a', labeler: 'h' }],
          ratings: [],
          demonstrations: [],
        },
      },
    ],
    [
      'an end-of-text flag that is not a boolean',
      {
        id: 1,
        type: 'setLabels',
        labels: {
          comparisons: [],
          ratings: [{ id: 1, prompt: 'p', response: 'x', stars: 3, labeler: 'h', ended: 'yes' }],
          demonstrations: [],
        },
      },
    ],
    ['an unknown algorithm', { id: 1, type: 'configure', settings: { ...DEFAULT_TUNE, algorithm: 'a2c' } }],
    ['a clip range out of range', { id: 1, type: 'configure', settings: { ...DEFAULT_TUNE, clipRange: 3 } }],
    ['zero iterations', { id: 1, type: 'iterate', prompts: ['p'], iterations: 0 }],
    [
      'a checkpoint reference without bytes',
      {
        id: 1,
        type: 'evaluate',
        base: { kind: 'checkpoint', name: 'c' },
        tuned: { kind: 'current' },
        options: { prompts: ['p'], samplesPerPrompt: 1, maxNewTokens: 8, temperature: 0.7, seed: 1, yardstick: null },
      },
    ],
    [
      'an evaluation without its yardstick field',
      {
        id: 1,
        type: 'evaluate',
        base: { kind: 'base' },
        tuned: { kind: 'current' },
        options: { prompts: ['p'], samplesPerPrompt: 1, maxNewTokens: 8, temperature: 0.7, seed: 1 },
      },
    ],
    [
      'a yardstick that is no labeler',
      {
        id: 1,
        type: 'evaluate',
        base: { kind: 'base' },
        tuned: { kind: 'current' },
        options: { prompts: ['p'], samplesPerPrompt: 1, maxNewTokens: 8, temperature: 0.7, seed: 1, yardstick: 'x' },
      },
    ],
  ])('rejects a request with %s', (_what, message) => {
    expect(isRequest(message)).toBe(false);
  });

  it('checks events by type and id, and every event kind survives cloning', () => {
    const events: WorkerEvent[] = [
      {
        type: 'ready',
        id: 1,
        backend: { backend: 'wasm', attempts: [{ backend: 'webgpu', failure: { kind: 'noWebGPU' } }] },
      },
      { type: 'progress', id: 2, phase: 'checkpoint', loaded: 10, total: null },
      { type: 'result', id: 4, result: { kind: 'cancelled', target: 3, found: false } },
      {
        type: 'error',
        id: 3,
        code: 'CANCELLED',
        message: 'stopped',
        detail: { code: 'CANCELLED', params: { work: 'request' } },
      },
      {
        type: 'deviceLost',
        id: 0,
        loss: { backend: 'webgpu', reason: 'unknown', message: 'GPU reset' },
        recovery: { status: 'recovering' },
      },
    ];
    for (const event of events) expect(isWorkerEvent(structuredClone(event))).toBe(true);
    expect(isWorkerEvent({ type: 'hello', id: 1 })).toBe(false);
    expect(isWorkerEvent({ type: 'ready' })).toBe(false);
    expect(isWorkerEvent('ready')).toBe(false);
  });
});

type Files = Record<string, Response | (() => Response)>;
const BASE = 'http://models.test/';
const channels: MessageChannel[] = [];

/** A host and a client joined by a MessageChannel; `files` is what the fake server serves. */
function connect(files: Files = {}): { client: EngineClient; host: EngineHost; port: MessagePort } {
  const channel = new MessageChannel();
  channels.push(channel);
  const host = new EngineHost({
    post: (event) => channel.port2.postMessage(event),
    fetch: async (url) => {
      const file = files[url];
      if (file === undefined) return new Response('not found', { status: 404 });
      return typeof file === 'function' ? file() : file.clone();
    },
    baseUrl: BASE,
  });
  channel.port2.addEventListener('message', (event) => host.receive(event.data));
  channel.port1.start();
  channel.port2.start();
  return { client: new EngineClient(channel.port1), host, port: channel.port1 };
}

afterEach(() => {
  for (const channel of channels.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
});

/** The rejection of `promise` as a WorkerRequestError (fails the test if it resolves). */
async function failure(promise: Promise<unknown>): Promise<WorkerRequestError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkerRequestError);
  if (!(err instanceof WorkerRequestError)) throw new Error('expected a WorkerRequestError');
  return err;
}

const json = (value: unknown): Response =>
  new Response(JSON.stringify(value), { headers: { 'content-type': 'application/json' } });
const bytes = (data: Uint8Array, length = data.byteLength): Response =>
  new Response(new Uint8Array(data), {
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(length) },
  });

const MANIFEST_URL = `${BASE}models/manifest.json`;
const manifest = {
  default: 'tiny',
  models: [
    {
      id: 'tiny',
      title: 'Tiny test model',
      checkpoint: 'tiny/model.safetensors',
      tokenizer: 'tiny/tokenizer.json',
      card: 'tiny/README.md',
    },
  ],
};

let tinyFiles: ReturnType<typeof tinyModelFiles> | null = null;
/** Built once: training the tokenizer and saving the checkpoint are the slow part of this file. */
function tiny(): ReturnType<typeof tinyModelFiles> {
  tinyFiles ??= tinyModelFiles();
  return tinyFiles;
}

/** A real (random-weight) model served the way public/models serves the shipped one. */
async function tinyModelFiles(): Promise<{ files: Files; model: GPT; tokenizer: Tokenizer; checkpoint: Uint8Array }> {
  const tokenizer = Tokenizer.train('the cat sat on the mat. the dog sat on the log. '.repeat(8), { vocabSize: 266 });
  const model = new GPT({ ...GPT_PRESETS.tiny, vocabSize: tokenizer.vocabSize, blockSize: 24 }, 7);
  const checkpoint = await saveCheckpoint(model, {
    name: 'tiny',
    tokenizerFingerprint: tokenizer.fingerprint(),
    info: {},
  });
  const files: Files = {
    [MANIFEST_URL]: json(manifest),
    [`${BASE}models/tiny/tokenizer.json`]: json(tokenizer.toJSON()),
    [`${BASE}models/tiny/model.safetensors`]: bytes(checkpoint),
    [`${BASE}models/tiny/README.md`]: new Response('# Tiny\nA test model.', {
      headers: { 'content-type': 'text/markdown' },
    }),
  };
  return { files, model, tokenizer, checkpoint };
}

describe('engine host through the client', () => {
  it('init reports the backend that started and why', async () => {
    const { client } = connect();
    const choice = await client.init(['wasm']);
    expect(choice.backend).toBe('wasm');
    expect(choice.attempts).toEqual([]);
  });

  it('refuses to load before init, and to generate before a model is loaded', async () => {
    const { client } = connect();
    expect((await failure(client.loadModel('/models/manifest.json'))).code).toBe('NOT_READY');
    expect((await failure(client.generate('hi', settings))).code).toBe('NO_MODEL');
  });

  it.each([
    ['a missing manifest', {}, 'MODEL_NOT_FOUND', /manifest\.json was not found/],
    [
      'an HTML page instead of the manifest',
      { [MANIFEST_URL]: new Response('<html></html>', { headers: { 'content-type': 'text/html' } }) },
      'MODEL_NOT_FOUND',
      /HTML page/,
    ],
    [
      'a manifest that is not JSON',
      { [MANIFEST_URL]: new Response('{oops', { headers: { 'content-type': 'application/json' } }) },
      'BAD_MANIFEST',
      /not valid JSON/,
    ],
    [
      'a manifest entry without a checkpoint',
      { [MANIFEST_URL]: json({ default: 'a', models: [{ id: 'a', title: 'A', tokenizer: 't', card: 'c' }] }) },
      'BAD_MANIFEST',
      /models\[0\]\.checkpoint/,
    ],
    [
      'a default that is not listed',
      { [MANIFEST_URL]: json({ ...manifest, default: 'huge' }) },
      'BAD_MANIFEST',
      /"default" must be one of/,
    ],
    [
      'a missing tokenizer file',
      { [MANIFEST_URL]: json(manifest) },
      'MODEL_NOT_FOUND',
      /tokenizer\.json was not found/,
    ],
  ])('loading %s fails with a typed error', async (_what, files: Files, code, message) => {
    const { client } = connect(files);
    await client.init(['wasm']);
    const err = await failure(client.loadModel('models/manifest.json'));
    expect(err.code).toBe(code);
    expect(messageText(err.detail)).toMatch(message);
    expect(err.request).toBe('loadModel');
  });

  it('a truncated or corrupt checkpoint fails with NETWORK or BAD_CHECKPOINT', async () => {
    const { files, checkpoint } = await tiny();
    const checkpointUrl = `${BASE}models/tiny/model.safetensors`;
    const cut = connect({ ...files, [checkpointUrl]: () => bytes(checkpoint.slice(0, 100), checkpoint.byteLength) });
    await cut.client.init(['wasm']);
    expect((await failure(cut.client.loadModel('models/manifest.json'))).code).toBe('NETWORK');
    const corrupt = checkpoint.slice();
    corrupt.fill(0xff, 0, 8);
    const bad = connect({ ...files, [checkpointUrl]: () => bytes(corrupt) });
    await bad.client.init(['wasm']);
    expect((await failure(bad.client.loadModel('models/manifest.json'))).code).toBe('BAD_CHECKPOINT');
  });

  it('loads a model with download progress and generates what the engine generates directly', async () => {
    const { files, model, tokenizer, checkpoint } = await tiny();
    const { client } = connect(files);
    await client.init(['wasm']);
    const phases: string[] = [];
    let lastCheckpointProgress = { loaded: 0, total: null as number | null };
    const info = await client.loadModel('models/manifest.json', undefined, {
      onProgress: (p) => {
        phases.push(p.phase);
        if (p.phase === 'checkpoint') lastCheckpointProgress = { loaded: p.loaded, total: p.total };
      },
    });
    expect(info).toMatchObject({
      id: 'tiny',
      title: 'Tiny test model',
      paramCount: model.paramCount(),
      checkpointBytes: checkpoint.byteLength,
    });
    expect(info.card).toContain('A test model.');
    // The shader warm-up ran after the load and was timed apart from it.
    expect(info.warmupMs).toBeGreaterThan(0);
    expect(Number.isFinite(info.warmupMs)).toBe(true);
    expect(new Set(phases)).toEqual(new Set(['manifest', 'tokenizer', 'checkpoint', 'card', 'build']));
    expect(lastCheckpointProgress).toEqual({ loaded: checkpoint.byteLength, total: checkpoint.byteLength });

    const prompt = 'the cat';
    const result = await client.generate(prompt, settings);
    const direct = await generateText(model, tokenizer, prompt, {
      maxNewTokens: settings.maxNewTokens,
      temperature: settings.temperature,
      topK: settings.topK,
      topP: settings.topP,
      seed: settings.seed,
    });
    expect(result.tokens).toEqual(direct.tokens);
    expect(result.text).toBe(direct.text);
    expect(result.logProbs).toHaveLength(result.tokens.length);
    expect(result.promptTokens).toBe(promptIds(tokenizer, prompt).length);
    expect(result.tokens.length).toBeLessThanOrEqual(settings.maxNewTokens);
  });

  it('cancelling rejects at once with CANCELLED, leaks no tensors, and later requests still run', async () => {
    const { files } = await tiny();
    const { client } = connect(files);
    await client.init(['wasm']);
    await client.loadModel('models/manifest.json');
    const tensorsBefore = tf.memory().numTensors;
    const running = new AbortController();
    const queued = new AbortController();
    const long = { ...settings, maxNewTokens: 20 };
    const first = client.generate('the', long, { signal: running.signal });
    const second = client.generate('the cat', long, { signal: queued.signal });
    running.abort();
    queued.abort();
    expect((await failure(first)).code).toBe('CANCELLED');
    expect((await failure(second)).code).toBe('CANCELLED');
    // The host runs requests in order, so once this one is answered the cancelled ones are done.
    const next = await client.generate('the', settings);
    expect(next.tokens.length).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('a signal aborted before sending rejects without reaching the worker', async () => {
    const { client } = connect();
    const err = await failure(client.generate('x', settings, { signal: AbortSignal.abort() }));
    expect(err.code).toBe('CANCELLED');
  });

  it('loseDevice on a backend without a GPU device destroys nothing and reports no loss', async () => {
    const { client } = connect();
    await client.init(['wasm']);
    const notices: unknown[] = [];
    client.onDeviceLost((event) => notices.push(event));
    expect(await client.loseDevice()).toBe(false);
    expect((await client.init(['wasm'])).backend).toBe('wasm');
    expect(notices).toEqual([]);
  });

  it('answers a malformed request with BAD_REQUEST for its id', async () => {
    const { port } = connect();
    const reply = new Promise<unknown>((resolve) =>
      port.addEventListener('message', (event) => resolve(event.data), { once: true }),
    );
    port.postMessage({ id: 77, type: 'generate', prompt: 'x' });
    expect(await reply).toMatchObject({ type: 'error', id: 77, code: 'BAD_REQUEST' });
  });

  it('rejects every waiting request with WORKER_CRASHED when the worker fails', async () => {
    // A worker whose script failed: it never answers, and its endpoint fires an error event.
    const channel = new MessageChannel();
    channels.push(channel);
    const client = new EngineClient(channel.port1);
    const waiting = client.init();
    channel.port1.dispatchEvent(new Event('error'));
    expect((await failure(waiting)).code).toBe('WORKER_CRASHED');
    expect((await failure(client.generate('x', settings))).code).toBe('WORKER_CRASHED');
  });
});

// A page on a fresh worker host for Node tests: the real EngineHost behind a MessageChannel (every
// message structured-cloned, as between page and worker), a fake fetch serving model files, and a
// Playground on the given workspace. Opening a second one on the same workspace is a reload.
import { GPT, GPT_PRESETS, Tokenizer, saveCheckpoint } from '../../src/engine';
import { parsePageSetup } from '../../src/ui/page-setup';
import { Playground } from '../../src/ui/playground.svelte';
import type { PlaygroundDeps } from '../../src/ui/playground-stages';
import type { Workspace } from '../../src/ui/workspace';
import { EngineClient } from '../../src/workers/client';
import { EngineHost } from '../../src/workers/host';

export const BASE_URL = 'http://models.test/';
export type ModelFiles = Record<string, () => Response>;

const channels: MessageChannel[] = [];

/** Closes every channel opened since the last call (an afterEach hook). */
export function closePages(): void {
  channels.splice(0).forEach((c) => (c.port1.close(), c.port2.close()));
}

const json = (v: unknown) => () => new Response(JSON.stringify(v), { headers: { 'content-type': 'application/json' } });

/** A tiny GPT for `tokenizer`, seeded, as checkpoint bytes. */
export async function tinyCheckpoint(tokenizer: Tokenizer, seed: number, name = `seed ${seed}`): Promise<Uint8Array> {
  const model = new GPT({ ...GPT_PRESETS.tiny, vocabSize: tokenizer.vocabSize, blockSize: 48 }, seed);
  const bytes = await saveCheckpoint(model, { name, tokenizerFingerprint: tokenizer.fingerprint(), info: {} });
  model.dispose();
  return bytes;
}

/** A manifest whose first model is the default; each model a seeded tiny GPT on `tokenizer`. */
export async function shippedModels(
  tokenizer: Tokenizer,
  models: { id: string; title: string; seed: number }[],
): Promise<ModelFiles> {
  const files: ModelFiles = {
    [`${BASE_URL}manifest.json`]: json({
      default: models[0].id,
      models: models.map((m) => ({
        id: m.id,
        title: m.title,
        checkpoint: `${m.id}.safetensors`,
        tokenizer: 'tokenizer.json',
        card: `${m.id}.md`,
      })),
    }),
    [`${BASE_URL}tokenizer.json`]: json(tokenizer.toJSON()),
  };
  for (const m of models) {
    const bytes = await tinyCheckpoint(tokenizer, m.seed, m.id);
    files[`${BASE_URL}${m.id}.safetensors`] = () =>
      new Response(new Uint8Array(bytes), { headers: { 'content-type': 'application/octet-stream' } });
  }
  return files;
}

export interface OpenPage {
  p: Playground;
  client: EngineClient;
  /** Every address the page wrote, in order. */
  addresses: string[];
  /** The models switched to by the page ("use as base", a shipped model, a reload of the run's base). */
  used: string[];
}

/**
 * Opens the page as the app does: the default shipped model loads, then the session starts (and
 * may switch to the run's base). `withBase` lets the page switch models.
 */
export async function openPage(
  workspace: Workspace,
  files: ModelFiles,
  query: string,
  withBase = false,
  experiments?: PlaygroundDeps['experiments'],
): Promise<OpenPage> {
  const channel = new MessageChannel();
  channels.push(channel);
  const host = new EngineHost({
    post: (event) => channel.port2.postMessage(event),
    fetch: async (url) => files[url]?.() ?? new Response('missing', { status: 404 }),
    baseUrl: BASE_URL,
  });
  channel.port2.addEventListener('message', (e) => host.receive(e.data));
  channel.port1.start();
  channel.port2.start();
  const client = new EngineClient(channel.port1);
  await client.init(['wasm']);
  await client.loadModel('manifest.json');
  const addresses: string[] = [];
  const used: string[] = [];
  const useModel = async (name: string, bytes: ArrayBuffer, t: string | null): Promise<boolean> => {
    used.push((await client.useModel(name, bytes, t)).title);
    await p.startSession();
    return true;
  };
  const useShipped = async (modelId?: string): Promise<boolean> => {
    used.push(`shipped ${(await client.loadModel('manifest.json', modelId)).title}`);
    await p.startSession();
    return true;
  };
  const p: Playground = new Playground({
    client,
    workspace,
    setup: parsePageSetup(query),
    writeQuery: (q) => addresses.push(q),
    readQuery: () => query,
    useModel: withBase ? useModel : undefined,
    useShipped: withBase ? useShipped : undefined,
    experiments,
  });
  await p.loadPrompts({ train: ['the dog', 'the cat', 'a bird'], evaluation: ['the girl', 'a big'] });
  await p.startSession();
  return { p, client, addresses, used };
}

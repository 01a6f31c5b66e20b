import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tokenizer } from '../../src/engine/tokenizer/tokenizer';
import { loadCheckpoint } from '../../src/engine/checkpoint/checkpoint';
import { generateText } from '../../src/engine/generate/text';
import { countParameters } from '../../src/engine/model/config';
import { thrownSentence } from '../helpers/sentence';

const MODELS = join(__dirname, '../../public/models');
const manifest = JSON.parse(readFileSync(join(MODELS, 'manifest.json'), 'utf8')) as {
  default: string;
  models: { id: string; checkpoint: string; tokenizer: string; card: string }[];
};

it('the manifest names a default model it lists', () => {
  expect(manifest.models.map((m) => m.id)).toContain(manifest.default);
});

// The default and every alternative shipped beside it.
describe.each(manifest.models)('the shipped model $id', (entry) => {
  const bytes = () => new Uint8Array(readFileSync(join(MODELS, entry.checkpoint)));
  const tokenizer = Tokenizer.fromJSON(JSON.parse(readFileSync(join(MODELS, entry.tokenizer), 'utf8')));

  it('is listed in the manifest with its files, card and held-out text, within the size budget', () => {
    const size =
      readFileSync(join(MODELS, entry.checkpoint)).length + readFileSync(join(MODELS, entry.tokenizer)).length;
    expect(size).toBeLessThanOrEqual(8e6);
    const card = readFileSync(join(MODELS, entry.card), 'utf8');
    expect(card).toMatch(/TinyStories/);
    expect(card).toMatch(/CDLA-Sharing-1\.0/);
    expect(readFileSync(join(MODELS, entry.id, 'heldout.txt'), 'utf8').length).toBeGreaterThan(1000);
  });

  it('loads with its tokenizer and writes the same greedy continuation every time', async () => {
    const { model, metadata } = loadCheckpoint(bytes(), { tokenizer, source: entry.checkpoint });
    expect(metadata.tokenizerFingerprint).toBe(tokenizer.fingerprint());
    expect(model.paramCount()).toBe(countParameters(model.config));
    const a = await generateText(model, tokenizer, 'Once upon a time, there was a little dog named', {
      maxNewTokens: 20,
      greedy: true,
    });
    const b = await generateText(model, tokenizer, 'Once upon a time, there was a little dog named', {
      maxNewTokens: 20,
      greedy: true,
    });
    expect(a.text).toBe(b.text);
    expect(a.text.trim().split(/\s+/).length).toBeGreaterThan(3);
    const sampled = await generateText(model, tokenizer, 'One day, a girl', {
      maxNewTokens: 20,
      temperature: 0.8,
      seed: 5,
    });
    expect(sampled.tokens.length).toBeGreaterThan(0);
    model.dispose();
  });

  it('refuses a tokenizer other than the one it names, with a clear error', () => {
    const other = Tokenizer.train('a completely different little text about boats and rivers. '.repeat(20), {
      vocabSize: 300,
    });
    expect(thrownSentence(() => loadCheckpoint(bytes(), { tokenizer: other, source: entry.checkpoint }))).toMatch(
      /was trained with tokenizer [0-9a-f]+, but the tokenizer given is [0-9a-f]+/,
    );
  });
});

/**
 * Where the Label stage's next item comes from: a pair sampled from the policy, one response to
 * rate in star mode, or in second-opinion mode a labelled pair to ask again. The item after the
 * one on screen is sampled while the person reads it, so labelling by keyboard does not wait on
 * the model; it is kept only while the settings it was sampled for still hold. In star mode the
 * prompts are taken in turn, each for two responses back to back, so two ratings of one prompt
 * already form a preference pair.
 */
import type { PairRequest } from '../contract/pairs';
import type { Answer } from '../contract/protocol';
import { LEARNING_DEFAULTS } from '../contract/learning-defaults';
import { pickSecondOpinion } from './second-opinion';

import type { LabelDeps, Single } from './label-deps';

/** The Label stage's settings the next item depends on, read afresh each time they are needed. */
export interface SamplerView {
  readonly mode: 'pair' | 'stars';
  readonly active: boolean;
  readonly secondOpinion: boolean;
  readonly autopilot: boolean;
  readonly autoAnswer: Answer | null;
  readonly labeler: { readonly value: string };
  /** The pair on screen, never the one asked again next. */
  readonly pair: PairRequest | null;
}

export class LabelSampler {
  private drawn = 0;
  /** Star mode: the prompt whose second response comes next, so two ratings of it form a pair. */
  private secondDue: string | null = null;
  /** The prefetched item, and the star-mode prompt order as it was before it was drawn. */
  private upcoming: {
    key: string;
    sample: Promise<PairRequest | Single | null>;
    before: { drawn: number; secondDue: string | null };
  } | null = null;

  constructor(
    private readonly deps: LabelDeps,
    private readonly view: SamplerView,
  ) {}

  /** Pairs already labelled are asked again instead of sampled (second-opinion mode, pair mode). */
  reasking(): boolean {
    return this.view.secondOpinion && this.view.mode === 'pair';
  }

  /** Who will answer the next item: the person, or the simulated labeler while autopilot runs. */
  private answering(): string {
    return this.view.autopilot && this.view.autoAnswer !== null
      ? this.view.autoAnswer.labeler
      : this.view.labeler.value;
  }

  private key(): string {
    return JSON.stringify([this.view.mode, this.view.active, this.reasking(), this.answering()]);
  }

  /** The next item: the prefetched one when it was sampled for the settings now in force, else a fresh one. */
  async next(): Promise<PairRequest | Single | null> {
    const ready = this.upcoming?.key === this.key() ? await this.upcoming.sample : null;
    if (ready === null) this.invalidate();
    this.upcoming = null;
    return ready ?? (await this.draw());
  }

  /** Starts sampling the item after this one, so it is ready when the person answers. */
  prefetch(): void {
    const before = { drawn: this.drawn, secondDue: this.secondDue };
    const sample = this.draw().catch(() => null);
    this.upcoming = { key: this.key(), sample, before };
  }

  /** Forgets the prefetched item unseen: the next draw takes its place in the prompt order. */
  invalidate(): void {
    if (this.upcoming !== null) ({ drawn: this.drawn, secondDue: this.secondDue } = this.upcoming.before);
    this.upcoming = null;
  }

  private async draw(): Promise<PairRequest | Single | null> {
    if (this.reasking()) {
      const stored = await this.deps.workspace.listComparisons({ order: 'oldest' });
      return pickSecondOpinion(stored, this.answering(), this.view.pair, this.deps.random ?? Math.random);
    }
    const prompts = this.deps.prompts();
    const sampling = { maxNewTokens: this.deps.maxNewTokens(), temperature: LEARNING_DEFAULTS.labelTemperature };
    if (this.view.mode === 'pair') return this.deps.client.samplePair(prompts, this.view.active, sampling);
    // Two responses to each prompt back to back, so two ratings already form a preference pair;
    // cycling through the prompts keeps a shared setup reproducible without another seed.
    const prompt = this.secondDue ?? prompts[this.drawn++ % prompts.length];
    this.secondDue = this.secondDue === null ? prompt : null;
    return this.deps.client.sampleOne(prompt, sampling).then(({ text, ended }) => ({ prompt, response: text, ended }));
  }
}

/**
 * A blind A/B round of the Compare stage: fresh responses of the two policies, drawn for this
 * round only (no table shows them), each pair in a random order, judged by the person with keys
 * 1 2 3 or the buttons. Each vote is stored the moment it is given; the tally counts ties half
 * and carries the same bootstrap interval as every other win-rate, each vote its own prompt.
 */
import { winRate, type PairResult, type WinRate } from '../engine/eval/win-rate';
import type { BlindChoice, VoteRecord } from '../storage/records';
import type { EngineClient } from '../workers/client';
import type { PolicyRef } from '../contract/protocol';
import type { PolicyChoice } from './compare-state.svelte';
import { blindShortcut, type KeyPress } from './shortcuts';
import type { VoteWorkspace } from './workspace';

export interface BlindDeps {
  client: Pick<EngineClient, 'samplePolicies'>;
  workspace: VoteWorkspace;
  /** Held-out prompts: one pair each per round. */
  prompts: () => string[];
  maxNewTokens: () => number;
  temperature: number;
  /** The worker's reference to a policy choice (reads a saved checkpoint's bytes). */
  ref: (choice: PolicyChoice) => Promise<PolicyRef>;
  /** Shows a failure (the page's problem notice). */
  report: (err: unknown) => void;
  now: () => number;
}

export interface BlindItem {
  prompt: string;
  /** The two texts in the order shown. */
  shown: [string, string];
  /** Whether the right-hand policy's text is shown first. */
  rightFirst: boolean;
}

export interface BlindTally {
  right: number;
  left: number;
  ties: number;
  /** The right-hand policy's win-rate with its interval; null before the first vote. */
  winRate: WinRate | null;
}

/** A policy name as a vote stores it; anything unreadable (an older or edited record) reads as "current". */
function asChoice(name: string): PolicyChoice {
  if (name === 'base' || name === 'current') return name;
  const id = /^checkpoint:(\d+)$/.exec(name)?.[1];
  return id === undefined ? 'current' : `checkpoint:${Number(id)}`;
}

export class BlindRound {
  items = $state.raw<BlindItem[]>([]);
  votes = $state.raw<BlindChoice[]>([]);
  /** The two policies this round compares, as they were when it started. */
  names = $state.raw<[PolicyChoice, PolicyChoice]>(['base', 'current']);
  loading = $state(false);
  /** A vote is being written: the next one waits, so none is lost or doubled. */
  saving = $state(false);
  /** The round's id in storage: the time it started. */
  private round = 0;
  readonly done = $derived(this.items.length > 0 && this.votes.length === this.items.length);
  readonly item = $derived(this.items[this.votes.length] ?? null);
  /** The person's verdict so far, by the side that really wrote each chosen text. */
  readonly tally = $derived.by((): BlindTally => {
    const results = this.votes.map((v, i): PairResult => {
      if (v === 'tie') return 'tie';
      return (v === 'first') === this.items[i].rightFirst ? 'win' : 'loss';
    });
    const count = (r: PairResult) => results.filter((x) => x === r).length;
    const outcomes = results.map((result, group) => ({ group, result }));
    return {
      right: count('win'),
      left: count('loss'),
      ties: count('tie'),
      winRate: outcomes.length === 0 ? null : winRate(outcomes),
    };
  });

  constructor(private readonly deps: BlindDeps) {}

  /** Samples both policies afresh (a new seed each round) and shows each pair in a random order. */
  async start(names: [PolicyChoice, PolicyChoice], random: () => number = Math.random): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    try {
      const [base, tuned] = [await this.deps.ref(names[0]), await this.deps.ref(names[1])];
      const samples = await this.deps.client.samplePolicies(base, tuned, {
        prompts: this.deps.prompts(),
        samplesPerPrompt: 1,
        maxNewTokens: this.deps.maxNewTokens(),
        temperature: this.deps.temperature,
        seed: Math.floor(random() * 2 ** 32),
      });
      this.items = samples.map((s) => {
        const rightFirst = random() < 0.5;
        return { prompt: s.prompt, shown: rightFirst ? [s.tuned, s.base] : [s.base, s.tuned], rightFirst };
      });
      this.names = names;
      this.votes = [];
      this.round = this.deps.now();
    } catch (err) {
      this.deps.report(err);
    } finally {
      this.loading = false;
    }
  }

  /**
   * Puts back the latest stored round after a reload: its pairs as shown and the votes given, so
   * its tally reads as before. Pairs of that round left unjudged were never stored; the round
   * ends where the votes end, and a new round starts afresh.
   */
  async restore(): Promise<void> {
    let stored: VoteRecord[];
    try {
      stored = await this.deps.workspace.listVotes();
    } catch (err) {
      this.deps.report(err);
      return;
    }
    const last = stored.reduce((round, v) => Math.max(round, v.round), 0);
    const votes = stored.filter((v) => v.round === last).sort((x, y) => x.id - y.id);
    if (votes.length === 0 || this.items.length > 0) return;
    this.items = votes.map((v) => ({
      prompt: v.prompt,
      shown: [v.first, v.second],
      rightFirst: v.firstFrom === 'right',
    }));
    this.votes = votes.map((v) => v.choice);
    this.names = [asChoice(votes[0].left), asChoice(votes[0].right)];
    this.round = last;
  }

  /** Stores the verdict on the pair shown, then moves on; a vote storage refuses is not counted. */
  async vote(choice: BlindChoice): Promise<void> {
    const item = this.item;
    if (item === null || this.saving) return;
    this.saving = true;
    try {
      await this.deps.workspace.addVote({
        round: this.round,
        prompt: item.prompt,
        left: this.names[0],
        right: this.names[1],
        first: item.shown[0],
        second: item.shown[1],
        firstFrom: item.rightFirst ? 'right' : 'left',
        choice,
        createdAt: this.deps.now(),
      });
      this.votes = [...this.votes, choice];
    } catch (err) {
      this.deps.report(err);
    } finally {
      this.saving = false;
    }
  }

  /** Keys 1 2 3 while a pair is shown; true when the key was used. */
  handleKey(press: KeyPress): boolean {
    if (this.item === null) return false;
    const choice = blindShortcut(press);
    if (choice === null) return false;
    void this.vote(choice);
    return true;
  }
}

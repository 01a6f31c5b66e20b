/**
 * What the Label stage (label-state.svelte.ts) needs from the rest of the page, and what it shows:
 * the worker calls it makes, the workspace it stores labels in, the item on screen and the status
 * line's news.
 */
import type { Choice as ContractChoice, Stars } from '../contract/labels';
import type { EngineClient } from '../workers/client';
import type { LabelKind, LabelWorkspace } from './workspace';

export type LabelClient = Pick<EngineClient, 'samplePair' | 'sampleOne' | 'judge'>;
/** An answer to a pair: a verdict, or a skip (stored so the pair is not asked again). */
export type Choice = ContractChoice | 'skip';

export interface LabelDeps {
  client: LabelClient;
  workspace: LabelWorkspace;
  /** Training prompts to draw from. */
  prompts: () => string[];
  /** Longest response to sample, in tokens. */
  maxNewTokens: () => number;
  /** Which policy wrote the responses, recorded with each label. */
  modelVersion: () => string;
  /** Called after every label is stored or removed. */
  changed: () => Promise<void>;
  now?: () => number;
  /** Waits between autopilot labels, so a person can follow them. */
  pause?: (ms: number) => Promise<void>;
  /** Draws which pair to ask again in second-opinion mode (default Math.random). */
  random?: () => number;
}

export interface Single {
  prompt: string;
  response: string;
  /** Whether the response ended with end-of-text (recorded with its rating). */
  ended: boolean;
}

/** What the last action did, for the status line (a screen reader hears it too). */
export type LabelNews =
  | { kind: 'chose'; choice: Choice; labeler: string }
  | { kind: 'rated'; stars: Stars; labeler: string }
  | { kind: 'demonstrated' }
  | { kind: 'undone'; what: LabelKind }
  /** The simulated labeler answered an item that was no longer on screen: its answer was not stored. */
  | { kind: 'dropped'; labeler: string };

/**
 * A tuning run in the worker: `iterate` iterations of the session's optimiser, each in a turn of
 * its own in the host's queue (so labelling, scoring and sampling go on between them), held by a
 * pause gate, stopped by a cancel, and under a KL budget when the settings set one: the iteration
 * that takes the KL to the reference past it is undone and ends the run.
 */
import type { RlhfSession } from '../engine';
import type { RequestResult, StepReport } from '../contract/protocol';
import { toPPOConfig, type TuneSettings } from '../contract/tune-settings';
import { WorkerFailure } from './failure';
import type { PauseGate } from './pause-gate';

export interface TuneRunDeps {
  session: () => RlhfSession;
  settings: TuneSettings;
  gate: PauseGate;
  signal: AbortSignal;
  /** Runs `work` when no other engine work is running. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  step(report: StepReport): void;
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

const cancelled = (): WorkerFailure =>
  new WorkerFailure('CANCELLED', { code: 'CANCELLED', params: { work: 'iterate' } });

export async function runTuning(prompts: string[], iterations: number, d: TuneRunDeps): Promise<RequestResult> {
  const nats = d.settings.klBudget;
  const budget = nats > 0 ? d.session().klBudget(nats, prompts) : null;
  try {
    for (let i = 0; i < iterations; i++) {
      // A macrotask turn lets a pause or cancel message in: on WASM and CPU an iteration can
      // run start to end without ever yielding to the worker's event loop.
      await new Promise((resolve) => setTimeout(resolve, 0));
      await d.gate.wait(d.signal);
      if (d.signal.aborted) throw cancelled();
      const turn = await d.exclusive(async () => {
        // Stopped while it waited for its turn (a cancel, a lost GPU): the turn must not run.
        if (d.signal.aborted) throw cancelled();
        budget?.remember();
        const view = await d.session().iterate(prompts);
        return { view, stop: (await budget?.check(1, i + 1)) ?? null };
      });
      if (turn.stop !== null) {
        // The undone iteration is not reported: the policy is back where the last one left it,
        // and a fresh optimiser forgets the moments of the step that was taken back.
        d.session().configure(d.settings.algorithm, toPPOConfig(d.settings));
        const { iteration, kl, keptKl } = turn.stop;
        return { kind: 'tuned', iterations: i, stopped: { budget: nats, iteration, kl, keptKl } };
      }
      const { view } = turn;
      const golds = view.samples.flatMap((s) => (s.gold === null ? [] : [s.gold]));
      const metrics = {
        ...view.metrics,
        ...(golds.length > 0 ? { 'gold/score': mean(golds) } : {}),
        ...(budget !== null ? { 'budget/kl': budget.kl, 'budget/stopped': 0 } : {}),
      };
      d.step({ kind: 'iteration', iteration: i + 1, of: iterations, metrics, samples: view.samples });
    }
  } finally {
    budget?.dispose();
  }
  return { kind: 'tuned', iterations };
}

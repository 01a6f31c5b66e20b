/**
 * The Compare stage's work in the worker: two policies (the reference, the policy being tuned, or
 * a saved checkpoint loaded for the purpose) sampled on the same held-out prompts, either judged
 * (an evaluation, with progress as `evaluate` step events) or left for the person to judge blind.
 */
import type { GPT, Labeler, RlhfSession } from '../engine';
import { loadCheckpoint } from '../engine';
import { noticeableDifference } from '../engine/labelers/marks';
import { evaluatePolicies, samplePolicies } from '../engine/loop/evaluate';
import type {
  EvaluateOptions,
  PolicyComparison,
  PolicyRef,
  PolicySampling,
  SamplePair,
  StepReport,
} from '../contract/protocol';

interface TwoPolicies {
  base: PolicyRef;
  tuned: PolicyRef;
}

/** The model a reference names, and whether the caller must dispose it afterwards. */
function policyFor(ref: PolicyRef, session: RlhfSession): { model: GPT; temporary: boolean } {
  if (ref.kind === 'base') return { model: session.reference, temporary: false };
  if (ref.kind === 'current') return { model: session.policy, temporary: false };
  const { model } = loadCheckpoint(new Uint8Array(ref.bytes), { tokenizer: session.tokenizer, source: ref.name });
  return { model, temporary: true };
}

/** Runs `work` on the two policies a request names, disposing any it loaded for the purpose. */
async function withPolicies<T>(
  request: TwoPolicies,
  session: RlhfSession,
  work: (base: GPT, tuned: GPT) => Promise<T>,
): Promise<T> {
  const base = policyFor(request.base, session);
  try {
    const tuned = policyFor(request.tuned, session);
    try {
      return await work(base.model, tuned.model);
    } finally {
      if (tuned.temporary) tuned.model.dispose();
    }
  } finally {
    if (base.temporary) base.model.dispose();
  }
}

/** Base against tuned, judged by the reward model when trained and by `yardstick` when given. */
export async function runComparison(
  session: RlhfSession,
  request: TwoPolicies & { options: EvaluateOptions },
  yardstick: Labeler | null,
  step: (report: StepReport) => void,
): Promise<PolicyComparison> {
  const { yardstick: _spec, ...sampling } = request.options;
  const score = async (p: string, r: string, ended: boolean): Promise<number> =>
    (await session.scoreText(p, r, ended)).score;
  const evaluation = await withPolicies(request, session, (base, tuned) =>
    evaluatePolicies(base, tuned, session.tokenizer, {
      ...sampling,
      ...(yardstick === null
        ? {}
        : { gold: (p: string, r: string) => yardstick.score(p, r), goldNoticeable: noticeableDifference(yardstick) }),
      ...(session.hasRewardModel ? { reward: score } : {}),
      onProgress: (p) => step({ kind: 'evaluate', ...p }),
    }),
  );
  return { evaluation, yardstick: yardstick?.id ?? null };
}

/** Fresh responses of both policies, one pair per prompt and sample, for a blind round. */
export async function runPolicySamples(
  session: RlhfSession,
  request: TwoPolicies & { options: PolicySampling },
): Promise<SamplePair[]> {
  const s = await withPolicies(request, session, (base, tuned) =>
    samplePolicies(base, tuned, session.tokenizer, request.options),
  );
  return s.prompts.map((prompt, i) => ({ prompt, base: s.base[i].text, tuned: s.tuned[i].text }));
}

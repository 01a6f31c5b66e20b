/**
 * The worker's side of the RLHF session requests: it holds one RlhfSession (policy, reference,
 * reward model, optimiser) built on the loaded model, and forwards each request to it. It checks
 * what the engine would otherwise fail on deep inside (no reward model yet, too few labels, no
 * simulated labeler) and says so with a typed code, so the page can tell the person what to do.
 *
 * A tuning run (`iterate`) does not hold the engine for its whole length: each iteration takes its
 * turn in the host's queue, so a person can keep labelling, scoring text or sampling pairs while
 * the policy trains, and a paused run lets everything else through.
 */
import type { GPT, Labeler, Tokenizer } from '../engine';
import { BUILTIN_LABELER_IDS, RlhfSession, Rng, loadCheckpoint } from '../engine';
import { isRewardCheckpoint } from '../engine/rl/reward-checkpoint';
import { runComparison, runPolicySamples } from './compare-run';
import { runExperiment } from './experiment-run';
import { WorkerFailure } from './failure';
import { PauseGate } from './pause-gate';
import { runPretraining } from './pretrain-run';
import { runTuning } from './tune-run';
import { judgeQuestion, labelerFor } from './judge-run';
import { checkCanTune, noPairs } from './tune-checks';
import type { LabelLog } from '../contract/labels';
import type { LabelerSpec, ModelInfo, Request, RequestResult, StepReport } from '../contract/protocol';
import { toPPOConfig, type TuneSettings } from '../contract/tune-settings';
import { LEARNING_DEFAULTS } from '../contract/learning-defaults';

export type SessionRequestType = Exclude<
  Request['type'],
  'init' | 'loadModel' | 'useModel' | 'generate' | 'importHf' | 'exportHf' | 'cancel' | 'loseDevice'
>;
export type SessionRequest = Extract<Request, { type: SessionRequestType }>;
type Of<T extends SessionRequestType> = Extract<Request, { type: T }>;

export interface SessionContext {
  /** The loaded model (the run's base), its tokenizer and what the page knows of it; null before a load. */
  loaded(): { model: GPT; tokenizer: Tokenizer; info: ModelInfo } | null;
  /** Runs `work` when no other engine work is running. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  /** Sends a step event for request `id`, unless it was cancelled. */
  step(id: number, report: StepReport): void;
  /** The loaded model's weights were changed in place (pretraining): keeps them; resolves with their hash. */
  modelChanged(): Promise<string>;
}

const EMPTY_LOG: LabelLog = { comparisons: [], ratings: [], demonstrations: [] };

export class SessionHost {
  private session: RlhfSession | null = null;
  /** Draws the simulated labeler's noise, so its answers depend only on the session seed. */
  private labelerRng = new Rng(0);
  private settings: TuneSettings = { ...LEARNING_DEFAULTS.tune };
  private labels: LabelLog = EMPTY_LOG;
  private readonly gates = new Map<number, PauseGate>();
  private seed = 0;
  /** The seed and labeler of the session last dropped, so `revive` can build it again. */
  private last: { seed: number; gold: Labeler | null } | null = null;

  constructor(private readonly ctx: SessionContext) {}

  /** The policy generation should use: the one being tuned, once a session exists. */
  get policy(): GPT | null {
    return this.session?.policy ?? null;
  }

  /** The session's frozen reference (the KL anchor): a copy of the base it was built on. */
  get reference(): GPT | null {
    return this.session?.reference ?? null;
  }

  /** Whether this request runs its own turns in the queue instead of one turn for all of it. */
  static schedulesItself(request: SessionRequest): boolean {
    return (
      request.type === 'iterate' ||
      request.type === 'pause' ||
      request.type === 'resume' ||
      request.type === 'pretrain' ||
      request.type === 'runExperiment'
    );
  }

  execute(request: SessionRequest, signal: AbortSignal): Promise<RequestResult> {
    switch (request.type) {
      case 'startSession':
        return Promise.resolve(this.start(request));
      case 'samplePair':
        return this.need()
          .samplePair(request.prompts, request.active, request.sampling)
          .then((pair) => ({ kind: 'pair', pair }));
      case 'sampleOne':
        return this.need()
          .sampleOne(request.prompt, request.sampling)
          .then(({ text, ended }) => ({ kind: 'response', text, ended }));
      case 'setLabels':
        return Promise.resolve(this.setLabels(request.labels));
      case 'setLabeler':
        return Promise.resolve(this.setLabeler(request.labeler));
      case 'judge':
        return Promise.resolve(this.judge(request));
      case 'trainReward':
        return this.trainReward(request);
      case 'scoreText':
        return this.scoreText(request);
      case 'configure':
        return Promise.resolve(this.configure(request.settings));
      case 'iterate':
        return this.iterate(request, signal);
      case 'pause':
      case 'resume':
        return Promise.resolve(this.pauseOrResume(request));
      case 'reset':
        return Promise.resolve(this.reset());
      case 'evaluate':
        return this.evaluate(request);
      case 'samplePolicies':
        return this.samplePolicies(request);
      case 'savePolicy':
        return this.savePolicy(request.name);
      case 'loadPolicy':
        return Promise.resolve(this.loadPolicy(request.bytes));
      case 'pretrain':
        return this.pretrain(request, signal);
      case 'tokenizer':
        return Promise.resolve(this.tokenizerJson());
      case 'runExperiment':
        // A session of its own: this one (the person's labels, reward model and policy) stays as it is.
        return runExperiment(request, {
          loaded: () => this.ctx.loaded(),
          exclusive: (work) => this.ctx.exclusive(work),
          step: (report) => this.ctx.step(request.id, report),
          signal,
        });
    }
  }

  /** Drops the session (a new model was loaded); its tensors are freed. */
  dispose(): void {
    if (this.session !== null) this.last = { seed: this.seed, gold: this.session.gold };
    this.session?.dispose();
    this.session = null;
  }

  /**
   * Builds the last dropped session again on the loaded model, after the GPU was lost and the
   * model rebuilt on another backend from the base's kept bytes: same seed, labels, labeler and
   * settings, the reference the same base, and the policy from `policy` checkpoint bytes when
   * given. The reward model is not rebuilt: it lived on the lost GPU.
   */
  revive(policy: ArrayBuffer | null): void {
    if (this.last === null) return;
    const { seed, gold } = this.last;
    this.start({ id: 0, type: 'startSession', seed });
    this.need().gold = gold;
    if (policy !== null) this.loadPolicy(policy);
  }

  private need(): RlhfSession {
    if (this.session === null) throw new WorkerFailure('NO_SESSION', { code: 'NO_SESSION', params: {} });
    return this.session;
  }

  private start(request: Of<'startSession'>): RequestResult {
    const loaded = this.ctx.loaded();
    if (loaded === null) throw new WorkerFailure('NO_MODEL', { code: 'NO_MODEL', params: { what: 'tune' } });
    const gold = this.session?.gold ?? null;
    this.dispose();
    // The loaded model is the run's base: the reference is a copy of it, and stays one when a
    // tuned policy is put into the policy (loadPolicy), so the KL anchor never moves.
    this.session = new RlhfSession(loaded.model.clone(), loaded.tokenizer, {
      seed: request.seed,
      reference: loaded.model.clone(),
    });
    this.session.gold = gold;
    this.seed = request.seed;
    this.session.setLabels(this.labels);
    this.session.configure(this.settings.algorithm, toPPOConfig(this.settings));
    this.labelerRng = new Rng(request.seed ^ 0x5bd1e995);
    const labelers = BUILTIN_LABELER_IDS.map((id) => ({ id }));
    const base = { modelId: loaded.info.id, weightsHash: loaded.info.weightsHash };
    return { kind: 'session', session: { seed: request.seed, labelers, base } };
  }

  private setLabels(labels: LabelLog): RequestResult {
    this.labels = labels;
    this.need().setLabels(labels);
    return { kind: 'done' };
  }

  private setLabeler(spec: LabelerSpec | null): RequestResult {
    this.need().gold = labelerFor(spec);
    return { kind: 'done' };
  }

  private gold(): Labeler {
    const gold = this.need().gold;
    if (gold === null) throw new WorkerFailure('NO_LABELER', { code: 'NO_LABELER', params: {} });
    return gold;
  }

  private judge(request: Of<'judge'>): RequestResult {
    return judgeQuestion(this.gold(), request.question, this.labelerRng);
  }

  private async trainReward(request: Of<'trainReward'>): Promise<RequestResult> {
    const session = this.need();
    const labels = this.labels.comparisons.length + this.labels.ratings.length;
    if (session.pairCounts().training === 0)
      throw new WorkerFailure('NOT_ENOUGH_LABELS', noPairs(session, this.labels, null));
    const onStep = (step: number, total: number, loss: number): void =>
      this.ctx.step(request.id, { kind: 'reward', step, total, loss });
    const { losses, evaluation, heldOut, disagreements } = await session.trainRewardModel(request.prompts, onStep);
    const bytes = await session.saveRewardModel(`reward model, ${labels} labels`, {
      labels,
      accuracy: evaluation.accuracy,
      heldOut: evaluation.pairs,
    });
    // A copy that owns its whole buffer, so it can be transferred rather than cloned.
    const checkpoint = bytes === null ? new ArrayBuffer(0) : bytes.slice().buffer;
    return { kind: 'rewardModel', training: { losses, evaluation, heldOut, disagreements, labels, checkpoint } };
  }

  private async scoreText(request: Of<'scoreText'>): Promise<RequestResult> {
    const session = this.need();
    if (!session.hasRewardModel) throw new WorkerFailure('NO_REWARD_MODEL', { code: 'NO_REWARD_MODEL', params: {} });
    const { score, disagreement } = await session.scoreText(request.prompt, request.response);
    return { kind: 'score', score, disagreement };
  }

  private configure(settings: TuneSettings): RequestResult {
    this.settings = { ...settings };
    this.need().configure(settings.algorithm, toPPOConfig(settings));
    return { kind: 'done' };
  }

  private async iterate(request: Of<'iterate'>, signal: AbortSignal): Promise<RequestResult> {
    checkCanTune(this.need(), this.settings, this.labels);
    const gate = new PauseGate();
    this.gates.set(request.id, gate);
    try {
      return await runTuning(request.prompts, request.iterations, {
        session: () => this.need(),
        settings: { ...this.settings },
        gate,
        signal,
        exclusive: (work) => this.ctx.exclusive(work),
        step: (report) => this.ctx.step(request.id, report),
      });
    } finally {
      this.gates.delete(request.id);
    }
  }

  private pauseOrResume(request: Of<'pause'> | Of<'resume'>): RequestResult {
    const gate = this.gates.get(request.target);
    if (gate !== undefined) {
      if (request.type === 'pause') gate.pause();
      else gate.resume();
    }
    return { kind: 'paused', target: request.target, found: gate !== undefined, paused: gate?.paused ?? false };
  }

  private reset(): RequestResult {
    this.need().resetToReference();
    return { kind: 'done' };
  }

  /**
   * Judged by the reward model when one is trained, and by the yardstick labeler's gold score when
   * the page names one (not the labeler chosen for autopilot: a person who labelled by their own
   * taste never used it).
   */
  private async evaluate(request: Of<'evaluate'>): Promise<RequestResult> {
    const yardstick = labelerFor(request.options.yardstick);
    const step = (report: StepReport): void => this.ctx.step(request.id, report);
    return { kind: 'comparison', comparison: await runComparison(this.need(), request, yardstick, step) };
  }

  private async samplePolicies(request: Of<'samplePolicies'>): Promise<RequestResult> {
    return { kind: 'policySamples', samples: await runPolicySamples(this.need(), request) };
  }

  private async savePolicy(name: string): Promise<RequestResult> {
    const session = this.need();
    const bytes = await session.savePolicy(name, { algorithm: this.settings.algorithm });
    // A copy that owns its whole buffer, so it can be transferred rather than cloned.
    return { kind: 'checkpoint', bytes: bytes.slice().buffer, config: { ...session.policy.config } };
  }

  /**
   * Trains the loaded model on the person's text. The session's policy and reference were copies
   * of the old weights, so the session is dropped: the page starts a new one on the result.
   */
  private async pretrain(request: Of<'pretrain'>, signal: AbortSignal): Promise<RequestResult> {
    const loaded = this.ctx.loaded();
    if (loaded === null) throw new WorkerFailure('NO_MODEL', { code: 'NO_MODEL', params: { what: 'train' } });
    // In a turn of its own: an iteration may be using the session's tensors right now.
    await this.ctx.exclusive(async () => this.dispose());
    const step = (report: StepReport): void => this.ctx.step(request.id, report);
    let result;
    try {
      result = await runPretraining(loaded.model, loaded.tokenizer, request, {
        signal,
        step,
        exclusive: (work) => this.ctx.exclusive(work),
      });
    } catch (err) {
      // Stopped or failed part way: the weights changed all the same, and are kept for a recovery.
      await this.ctx.modelChanged().catch(() => undefined);
      throw err;
    }
    return { kind: 'pretrained', steps: request.steps, ...result, weightsHash: await this.ctx.modelChanged() };
  }

  private tokenizerJson(): RequestResult {
    const loaded = this.ctx.loaded();
    if (loaded === null) throw new WorkerFailure('NO_MODEL', { code: 'NO_MODEL', params: { what: 'tokenizer' } });
    return { kind: 'tokenizer', json: JSON.stringify(loaded.tokenizer.toJSON()) };
  }

  private loadPolicy(bytes: ArrayBuffer): RequestResult {
    const session = this.need();
    if (isRewardCheckpoint(new Uint8Array(bytes))) {
      session.loadRewardModel(new Uint8Array(bytes), 'the saved reward model');
      return { kind: 'done' };
    }
    const { model } = loadCheckpoint(new Uint8Array(bytes), {
      tokenizer: session.tokenizer,
      source: 'the saved policy',
    });
    try {
      if (JSON.stringify(model.config) !== JSON.stringify(session.policy.config)) {
        throw new WorkerFailure('BAD_CHECKPOINT', { code: 'POLICY_OTHER_MODEL', params: {} });
      }
      session.policy.params.copyFrom(model.params);
    } finally {
      model.dispose();
    }
    // A fresh optimiser: its moments belonged to the weights just replaced.
    session.configure(this.settings.algorithm, toPPOConfig(this.settings));
    return { kind: 'done' };
  }
}

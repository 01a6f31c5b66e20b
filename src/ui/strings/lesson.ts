/** The guided first run: each step's title and two sentences, its buttons and what it announces. */
import type { LessonStepId } from '../lesson-steps';
import { formatPercent } from './format';

export interface LessonStepText {
  title: string;
  /** What the step is in RLHF terms, in two sentences. */
  body: string;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export const lesson = {
  heading: 'Guided first run',
  steps: {
    generate: {
      title: 'Read what the model writes',
      body: 'This is the base policy: a small language model trained only to continue stories, before any human feedback. Keep the opening or type your own, press Generate, and read what RLHF will start from.',
    },
    label: {
      title: 'Label pairs by your own taste',
      body: 'Each choice between two responses is one row of preference data, the only thing the reward model will learn from. Pick one taste the model can show and keep to it for every pair.',
    },
    reward: {
      title: 'Watch the reward model learn your taste',
      body: 'The reward model scores a response; training fits the Bradley–Terry loss so the response you preferred scores higher. Press Train and read its held-out agreement: how often it sides with you on pairs it never trained on.',
    },
    tune: {
      title: 'Press Play: the reward rises, the KL grows',
      body: 'PPO samples responses, scores them with your reward model and moves the policy towards higher reward minus beta times its KL divergence from the reference. Press Play and watch the reward chart climb while the KL chart shows how far the policy drifts.',
    },
    compare: {
      title: 'Compare base and tuned, blind',
      body: 'A blind A/B shows the base and the tuned policy’s responses to the same prompt in random order, so knowing which is which cannot sway you. Start a blind round and vote on every pair.',
    },
    summary: {
      title: 'What happened',
      body: 'You wrote preference data, trained a reward model on it, and optimised the policy against that reward while a KL penalty held it near the base: that is RLHF. Here is what your run did.',
    },
  } satisfies Record<LessonStepId, LessonStepText>,
  /** Tastes the small model can show, for the label step. */
  tastes: ['stories with dialogue', 'happy endings', 'animals'],
  tastesIntro: 'Tastes this model can show:',
  labelProgress: (n: number, goal: number): string => `${plural(n, 'label')} of ${goal}`,
  /** Held-out agreement with its 95% interval, or why there is none yet. */
  agreement: (rate: number | null, low: number, high: number, pairs: number): string =>
    rate === null
      ? 'No held-out agreement yet: train the reward model first.'
      : `Held-out agreement ${formatPercent(rate)} (95% interval ${formatPercent(low)}–${formatPercent(high)}) on ${plural(pairs, 'pair')}: with few labels the interval is wide, so read the number with it.`,
  iterationProgress: (n: number, goal: number): string => `${plural(n, 'iteration')} of ${goal} this step`,
  budget: (nats: number): string =>
    nats > 0
      ? `The KL budget stops the run if the policy drifts more than ${nats} nats from the reference.`
      : 'No KL budget is set: only beta holds the policy near the reference.',
  votes: (n: number, of: number): string => `${plural(n, 'blind vote')} of ${of}`,
  summary: {
    labels: (n: number): string => `You gave ${plural(n, 'label')}.`,
    iterations: (n: number): string => `The policy was tuned for ${plural(n, 'iteration')}.`,
    reward: (from: number, to: number): string =>
      `The reward model’s score of the policy’s samples went from ${from.toFixed(2)} to ${to.toFixed(2)}.`,
    kl: (kl: number): string =>
      `The last iteration measured its KL to the base at ${kl.toFixed(2)} nats${kl < 0 ? ' (a sampled estimate: near 0 it can come out below 0)' : ''}.`,
    blind: (text: string): string => `In your blind round the tuned policy won ${text} of the pairs.`,
  },
  stepOf: (i: number, n: number): string => `Step ${i} of ${n}`,
  /** What the live region reads when a step is shown. */
  announce: (i: number, n: number, title: string): string => `Guide, step ${i} of ${n}: ${title}`,
  announceSkipped: 'Guide skipped. The Restart guide button brings it back.',
  announceDone: 'Guide finished.',
  next: 'Next',
  back: 'Back',
  finish: 'Finish',
  skip: 'Skip the guide',
  skipKey: 'Esc',
  restart: 'Restart guide',
  turnOff: 'Don’t show the guide again',
  turnedOff: 'The guide is off. The Restart guide button turns it back on.',
  doneWhen: 'This step moves on by itself once you have done it, or press Next.',
  /** The parts of a link the page could not use. */
  ignored: (parts: string[]): string =>
    `The link’s ${parts.join(', ')} could not be used and ${parts.length === 1 ? 'was' : 'were'} ignored: the page opened with the defaults there.`,
  clamped: (parts: string[]): string =>
    `The link’s ${parts.join(', ')} ${parts.length === 1 ? 'was' : 'were'} out of range and moved to the nearest allowed value.`,
  dismiss: 'Dismiss',
};

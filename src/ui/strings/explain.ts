/** The "what is happening" panels: each stage's idea, formula and live values. */
import type { WinRate } from '../../engine/eval/win-rate';
import { formatCount, winRateValue } from './format';

const num = (x: number | null | undefined, digits = 2): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);

export const explain = {
  heading: 'What is happening',
  live: 'Now',
  model: {
    idea: 'The policy is a small GPT: it reads the text so far and gives every token of its vocabulary a probability; sampling picks one, appends it, and goes again.',
    formula: 'p(x_t | x_<t) = softmax(W · h_t)[x_t]',
    values: (params: number | null, meanLogProb: number | null): string[] => [
      `parameters: ${params === null ? '—' : formatCount(params)}`,
      `mean log p of the last continuation: ${num(meanLogProb)} (p ≈ ${meanLogProb === null ? '—' : num(Math.exp(meanLogProb))} per token)`,
    ],
  },
  label: {
    idea: 'You say which of two responses is better. The reward model will assume the Bradley-Terry model of choices: the better a response’s hidden score, the likelier it is chosen. A word you mark good adds one more pair: the response beats itself with that word deleted wherever it is said (a bad word, the other way round).',
    formula: 'P(A ≻ B) = σ(r_A − r_B) = 1 / (1 + e^−(r_A − r_B))',
    values: (labels: number, pA: number | null, spread: number | null): string[] => [
      `labels so far: ${labels}`,
      pA === null ? 'autopilot’s P(A ≻ B) for its last pair: —' : `autopilot’s P(A ≻ B) for its last pair: ${num(pA)}`,
      `reward-model spread on this pair: ${num(spread)}`,
    ],
  },
  reward: {
    idea: 'The reward model learns a score r(prompt, response) so that labelled winners score higher: it minimises the Bradley-Terry loss over your pairs. Several heads trained on resamples of the labels disagree where labels are scarce.',
    formula: 'L = −log σ(r_chosen − r_rejected)',
    values: (loss: number | null, accuracy: number | null, labels: number | null): string[] => [
      `latest training loss: ${num(loss, 3)} (log 2 ≈ 0.693 is a coin flip)`,
      `held-out accuracy: ${accuracy === null || !Number.isFinite(accuracy) ? '—' : `${(accuracy * 100).toFixed(0)}%`}`,
      `trained on: ${labels ?? '—'} labels`,
    ],
  },
  tune: {
    ppo: {
      idea: 'PPO samples responses, scores them with the reward model, and subtracts a KL penalty per token so the policy stays near the reference. GAE turns the rewards into advantages against a value model, which first trains alone on two rollouts so that the first advantages do not come from a value model that has never seen this policy; the clipped objective moves each token’s probability only a little per update.',
      formulas: [
        'r_t = −β · (log π(y_t) − log π_ref(y_t))  + r_RM at the last token',
        'Â_t = Σ_l (γλ)^l δ_{t+l},   δ_t = r_t + γ V(s_{t+1}) − V(s_t)',
        'L = −E[ min(ρ_t Â_t, clip(ρ_t, 1 − ε, 1 + ε) Â_t) ],   ρ_t = π(y_t) / π_old(y_t)',
      ],
    },
    grpo: {
      idea: 'GRPO samples a group of responses per prompt and uses each one’s score relative to its group as the advantage: no value model. The KL to the reference is a penalty in the loss.',
      formulas: [
        'Â_i = (r_i − mean(r_group)) / std(r_group)',
        'L = −E[ min(ρ Â, clip(ρ, 1 − ε, 1 + ε) Â) ] + β · KL(π ‖ π_ref)',
      ],
    },
    rloo: {
      idea: 'RLOO (REINFORCE leave-one-out) uses the mean score of the other responses to the same prompt as the baseline.',
      formulas: ['Â_i = r_i − (1 / (k − 1)) Σ_{j≠i} r_j', 'r_i = r_RM − β · KL_i'],
    },
    dpo: {
      idea: 'DPO skips the reward model: it raises the policy’s log-ratio to the reference on chosen responses over rejected ones, straight from your labels.',
      formulas: ['L = −log σ( β [ (log π(y_w) − log π_ref(y_w)) − (log π(y_l) − log π_ref(y_l)) ] )'],
    },
    sft: {
      idea: 'SFT trains the policy to write your rewrites (demonstrations) token by token, as in pretraining.',
      formulas: ['L = −(1/T) Σ_t log π(y_t | x, y_<t)'],
    },
    values: (m: Record<string, number> | null, beta: number, clip: number): string[] => [
      `β = ${num(m?.beta ?? beta, 3)}, ε = ${num(clip)}, γ = 1, λ = 0.95`,
      `mean KL per response: ${num(m?.['objective/kl'], 3)} nats`,
      ...((m?.['objective/kl'] ?? 0) < 0
        ? [
            'a negative KL is an estimate, not an error: the mean of log π − log π_ref over a few samples (k1) is unbiased but noisy, while the true KL is never below 0',
          ]
        : []),
      `mean reward-model score: ${num(m?.['objective/scores'])}; with the KL penalty: ${num(m?.['objective/rlhf_reward'])}`,
      `clip fraction: ${num(m?.['policy/clipfrac'])}; policy loss: ${num(m?.['loss/policy'], 3)}`,
    ],
  },
  compare: {
    idea: 'Both policies answer the same held-out prompts, which were never used for labelling or tuning. Your reward model judges each pair by what it learned from your labels; in a blind round you judge fresh pairs yourself. A simulated labeler’s gold score, which the reward model never saw, is a yardstick only.',
    formula: 'win-rate = (wins + ½ · ties) / n; 95% interval: bootstrap over prompts',
    values: (reward: WinRate | null, blind: WinRate | null, gold: WinRate | null): string[] => [
      `reward model’s win-rate of the right policy: ${winRateValue(reward)}`,
      `your blind win-rate: ${winRateValue(blind)}`,
      ...(gold === null ? [] : [`yardstick’s gold win-rate: ${winRateValue(gold)}`]),
    ],
  },
  data: {
    idea: 'Labels are data: they are stored the moment you give them. Where two labelers judged the same pairs, Cohen’s kappa says how much more they agree than chance would.',
    formula: 'κ = (p_o − p_e) / (1 − p_e)',
    values: (kappas: string[]): string[] => (kappas.length === 0 ? ['κ: no pair labelled twice yet'] : kappas),
  },
};

/** The "what is happening" panels (Chinese): each stage's idea, formula and live values. */
import type * as en from '../explain';
import { formatCount } from './format';
import { winRateValue } from './format';

const num = (x: number | null | undefined, digits = 2): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);

export const explain: typeof en.explain = {
  heading: '正在发生什么',
  live: '当前',
  model: {
    idea: '策略是一个小型 GPT：它读取已有的文本，为词表中的每个词元给出一个概率；采样选出一个词元，把它接到文本末尾，然后继续。它是用英文的 TinyStories 故事训练的，所以写出的是英文。',
    formula: 'p(x_t | x_<t) = softmax(W · h_t)[x_t]',
    values: (params, meanLogProb) => [
      `参数量：${params === null ? '—' : formatCount(params)}`,
      `上一段续写的平均 log p：${num(meanLogProb)}（每个词元 p ≈ ${meanLogProb === null ? '—' : num(Math.exp(meanLogProb))}）`,
    ],
  },
  label: {
    idea: '你来判断两条回复中哪条更好。奖励模型将假设你的选择服从 Bradley-Terry 模型：一条回复隐含的分数越高，它被选中的可能性就越大。你标为“好”的每个词再多给出一对：这条回复胜过把该词在各处都删掉后的它自己（标为“坏”的词则相反）。',
    formula: 'P(A ≻ B) = σ(r_A − r_B) = 1 / (1 + e^−(r_A − r_B))',
    values: (labels, pA, spread) => [
      `已有标注：${labels} 条`,
      `自动标注对上一对给出的 P(A ≻ B)：${pA === null ? '—' : num(pA)}`,
      `奖励模型在这一对上的分歧：${num(spread)}`,
    ],
  },
  reward: {
    idea: '奖励模型学习一个分数 r(提示词, 回复)，让标注中胜出的回复得分更高：它在你标注的回复对上最小化 Bradley-Terry 损失。几个输出头分别用标注的不同重抽样训练，在标注稀少的地方它们会意见不一。',
    formula: 'L = −log σ(r_chosen − r_rejected)',
    values: (loss, accuracy, labels) => [
      `最近的训练损失：${num(loss, 3)}（log 2 ≈ 0.693 相当于抛硬币）`,
      `留出集准确率：${accuracy === null || !Number.isFinite(accuracy) ? '—' : `${(accuracy * 100).toFixed(0)}%`}`,
      `训练所用标注：${labels ?? '—'} 条`,
    ],
  },
  tune: {
    ppo: {
      idea: '近端策略优化（PPO）先采样回复，用奖励模型给它们打分，并在每个词元上减去 KL 惩罚，让策略保持在参考模型附近。广义优势估计（GAE）借助价值模型把奖励变成优势函数的估计；价值模型会先单独在两轮采样上预热训练，免得最初的优势来自一个从未见过当前策略的价值模型；裁剪后的目标函数让每次更新只把每个词元的概率改变一点点。',
      formulas: [
        'r_t = −β · (log π(y_t) − log π_ref(y_t))  + r_RM（仅在最后一个词元）',
        'Â_t = Σ_l (γλ)^l δ_{t+l},   δ_t = r_t + γ V(s_{t+1}) − V(s_t)',
        'L = −E[ min(ρ_t Â_t, clip(ρ_t, 1 − ε, 1 + ε) Â_t) ],   ρ_t = π(y_t) / π_old(y_t)',
      ],
    },
    grpo: {
      idea: 'GRPO 为每个提示词采样一组回复，把每条回复相对于本组的得分作为优势：不需要价值模型。与参考模型之间的 KL 作为惩罚项放进损失。',
      formulas: [
        'Â_i = (r_i − mean(r_group)) / std(r_group)',
        'L = −E[ min(ρ Â, clip(ρ, 1 − ε, 1 + ε) Â) ] + β · KL(π ‖ π_ref)',
      ],
    },
    rloo: {
      idea: 'RLOO（留一法 REINFORCE）把同一提示词下其他回复的平均得分作为基线。',
      formulas: ['Â_i = r_i − (1 / (k − 1)) Σ_{j≠i} r_j', 'r_i = r_RM − β · KL_i'],
    },
    dpo: {
      idea: 'DPO 不需要奖励模型：它直接从你的标注出发，让策略相对参考模型的对数概率比在被选中的回复上高过被拒绝的回复。',
      formulas: ['L = −log σ( β [ (log π(y_w) − log π_ref(y_w)) − (log π(y_l) − log π_ref(y_l)) ] )'],
    },
    sft: {
      idea: 'SFT（监督微调）训练策略逐个词元地写出你改写的文本（示范），与预训练的方式相同。',
      formulas: ['L = −(1/T) Σ_t log π(y_t | x, y_<t)'],
    },
    values: (m, beta, clip) => [
      `β = ${num(m?.beta ?? beta, 3)}, ε = ${num(clip)}, γ = 1, λ = 0.95`,
      `每条回复的平均 KL：${num(m?.['objective/kl'], 3)} 奈特`,
      ...((m?.['objective/kl'] ?? 0) < 0
        ? [
            '负的 KL 是估计值而不是错误：在少量样本上对 log π − log π_ref 取平均（k1 估计）是无偏的，但噪声很大；真实的 KL 永远不会小于 0',
          ]
        : []),
      `平均奖励模型分数：${num(m?.['objective/scores'])}；计入 KL 惩罚后：${num(m?.['objective/rlhf_reward'])}`,
      `裁剪比例：${num(m?.['policy/clipfrac'])}；策略损失：${num(m?.['loss/policy'], 3)}`,
    ],
  },
  compare: {
    idea: '两个策略回答同一批留出的提示词，这些提示词从未用于标注或调优。你的奖励模型根据从你的标注中学到的东西评判每一对；在盲评轮中，你亲自评判新的回复对。模拟标注者的金标准分数（奖励模型从未见过）只作参照标尺。',
    formula: '胜率 = (胜 + ½ · 平) / n；95% 置信区间：按提示词做自助法重抽样',
    values: (reward, blind, gold) => [
      `奖励模型判定的右侧策略胜率：${winRateValue(reward)}`,
      `你的盲评胜率：${winRateValue(blind)}`,
      ...(gold === null ? [] : [`参照标尺的金标准胜率：${winRateValue(gold)}`]),
    ],
  },
  data: {
    idea: '标注就是数据：你一给出标注，它就被保存下来。当两个标注者评判过相同的回复对时，科恩 κ 系数（Cohen’s kappa）表示他们的一致程度比随机一致高出多少。',
    formula: 'κ = (p_o − p_e) / (1 − p_e)',
    values: (kappas) => (kappas.length === 0 ? ['κ：还没有被标注过两次的回复对'] : kappas),
  },
};

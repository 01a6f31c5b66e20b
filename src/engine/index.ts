/**
 * The engine's public surface, for the worker, the Node commands and the tests. Reading order of
 * the files behind it is in the README ("How to read the code").
 */
export { EngineError, type EngineErrorCode } from './errors';
export { Rng } from './rng';
export { initBackend, BACKEND_LADDER, type BackendChoice, type BackendName, type BackendAttempt } from './backend';
export { Tokenizer } from './tokenizer/tokenizer';
export { GPT_PRESETS, parseGPTConfig, countParameters, type GPTConfig, type GPTPresetName } from './model/config';
export { GPT, type KVCache, type ForwardOptions } from './model/gpt';
export { tokenLogProbs, maskedCrossEntropy, entropy } from './model/losses';
export { generate, leftPad, type GenerateOptions, type Generation } from './generate/generate';
export { generateText, generateTexts, promptIds, type TextGeneration, type TextCodec } from './generate/text';
export { loadCheckpoint, saveCheckpoint, type CheckpointMetadata } from './checkpoint/checkpoint';
export { decodeSafetensors, encodeSafetensors } from './checkpoint/safetensors';
export { RlhfSession, type SampleView, type IterationView, type Disagreement } from './loop/session';
export { ALGORITHMS, type Algorithm } from './loop/algorithms';
export { type PairRequest } from './loop/labeling';
export { type Evaluation } from './loop/evaluate';
export { DEFAULT_PPO, type PPOConfig } from './rl/ppo-config';
export { type Comparison, type Rating } from './rl/preferences';
export { type RewardEvaluation, type CalibrationBin } from './rl/reward-model';
export {
  saveRewardCheckpoint,
  loadRewardCheckpoint,
  isRewardCheckpoint,
  REWARD_CHECKPOINT_FORMAT,
  type RewardCheckpointMetadata,
  type RewardLoadOptions,
} from './rl/reward-checkpoint';
export { BUILTIN_LABELERS, BUILTIN_LABELER_IDS, builtinLabeler, type BuiltinLabelerId } from './labelers/builtins';
export { keywordLabeler, parseKeywordRule } from './labelers/keyword';
export { labelerFromScore, type Labeler } from './labelers/labeler';

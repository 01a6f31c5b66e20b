#!/usr/bin/env bash
# The learning study of docs/learning.md at 40 labels, one run at a time, in the order the time on
# a shared 2-core machine allowed: PPO (the page's default) and DPO on each labeler, PPO without
# the missing-end-of-text penalty (TRL's default), then GRPO and RLOO; a seed at a time
# across all cells, so a study cut short still covers the first cells. Then whatever OUT/next.sh
# asks for.
# Usage: bash scripts/learning-study.sh OUT [SEEDS]   (default OUT runs/study, SEEDS 3)
# Each call of `npm run rlhf -- --seeds 1-S` skips the seeds already reported, so rerunning this
# script after an interruption resumes it.
set -u
OUT=${1:-runs/study}
SEEDS=${2:-3}
# labeler, folder name, flags
CELLS=(
  "happy-endings ppo --algo ppo"
  "happy-endings dpo --algo dpo"
  "happy-endings ppo-eos0 --algo ppo --missing-eos-penalty 0"
  "food ppo --algo ppo"
  "food dpo --algo dpo"
  "dialogue ppo --algo ppo"
  "animals ppo --algo ppo"
  "dialogue dpo --algo dpo"
  "animals dpo --algo dpo"
  "food ppo-eos0 --algo ppo --missing-eos-penalty 0"
  "animals ppo-eos0 --algo ppo --missing-eos-penalty 0"
  "dialogue ppo-eos0 --algo ppo --missing-eos-penalty 0"
  "happy-endings grpo --algo grpo"
  "happy-endings rloo --algo rloo"
  "food grpo --algo grpo"
  "food rloo --algo rloo"
  "animals grpo --algo grpo"
  "animals rloo --algo rloo"
  "dialogue grpo --algo grpo"
  "dialogue rloo --algo rloo"
)
mkdir -p "$OUT"
for s in $(seq 1 "$SEEDS"); do
  for cell in "${CELLS[@]}"; do
    read -r labeler name flags <<< "$cell"
    echo "== $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg): 40 labels $labeler $name seeds 1-$s"
    # $flags is split into words on purpose.
    # shellcheck disable=SC2086
    npm run --silent rlhf -- --labeler "$labeler" $flags --labels 40 --seeds "1-$s" \
      --out "$OUT/40/$labeler/$name" >> "$OUT/40-$labeler-$name.log" 2>&1 || echo "   failed: see $OUT/40-$labeler-$name.log"
  done
done
if [ -f "$OUT/next.sh" ]; then bash "$OUT/next.sh" "$OUT"; fi
echo "== $(date +%T) done"

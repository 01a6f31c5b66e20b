#!/usr/bin/env bash
# The learning study of docs/learning.md, one run at a time: 40 labels for every algorithm and
# labeler, a seed at a time across all cells (so a study cut short still covers every cell), PPO
# (the page's default) and DPO on each labeler first, then GRPO and RLOO, then whatever OUT/next.sh
# (written after looking at the first results) asks for.
# Usage: bash scripts/learning-study.sh OUT [SEEDS]   (default OUT runs/study, SEEDS 3)
# Each call of `npm run rlhf -- --seeds 1-S` skips the seeds already reported, so rerunning this
# script after an interruption resumes it.
set -u
OUT=${1:-runs/study}
SEEDS=${2:-3}
mkdir -p "$OUT"
for s in $(seq 1 "$SEEDS"); do
  for pass in "ppo dpo" "grpo rloo"; do
    for labeler in happy-endings food animals dialogue; do
      for algo in $pass; do
        echo "== $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg): 40 labels $labeler $algo seeds 1-$s"
        npm run --silent rlhf -- --labeler "$labeler" --algo "$algo" --labels 40 --seeds "1-$s" \
          --out "$OUT/40/$labeler/$algo" >> "$OUT/40-$labeler-$algo.log" 2>&1 || echo "   failed: see $OUT/40-$labeler-$algo.log"
      done
    done
  done
done
if [ -f "$OUT/next.sh" ]; then bash "$OUT/next.sh" "$OUT"; fi
echo "== $(date +%T) done"

#!/usr/bin/env bash
# The learning study of docs/learning.md, one run at a time, a seed at a time across all cells, so
# a study cut short still covers the first cells. Each line of CELLS (or of the file given as the
# third argument) is: labels, labeler (a name, or a labeler module's path), cell name, then
# `npm run rlhf` flags. Then whatever OUT/next.sh asks for.
# Usage: bash scripts/learning-study.sh [OUT] [SEEDS] [CELLS_FILE]   (default runs/study, 3)
# scripts/study-cells/ holds the cells files of docs/learning.md (lines starting with # are skipped).
# The built-in cells are the exploration's; its PPO had no value warm-up, hence --value-warmup 0.
# Each call of `npm run rlhf -- --seeds 1-S` skips the seeds already reported, so rerunning this
# script after an interruption resumes it. A cell's results land in OUT/LABELS/LABELER/NAME.
set -u
OUT=${1:-runs/study}
SEEDS=${2:-3}
CELLS=(
  "40 happy-endings ppo --algo ppo --value-warmup 0"
  "40 dialogue ppo --algo ppo --value-warmup 0"
  "40 happy-endings ppo-rm8 --algo ppo --value-warmup 0 --rm-epochs 8"
  "40 dialogue ppo-rm8 --algo ppo --value-warmup 0 --rm-epochs 8"
  "40 happy-endings dpo --algo dpo"
  "40 dialogue dpo --algo dpo"
  "40 happy-endings ppo-lr1e-4 --algo ppo --value-warmup 0 --lr 1e-4"
  "40 dialogue ppo-lr1e-4 --algo ppo --value-warmup 0 --lr 1e-4"
  "40 animals ppo --algo ppo --value-warmup 0"
  "40 food ppo --algo ppo --value-warmup 0"
  "20 happy-endings ppo --algo ppo --value-warmup 0"
  "100 happy-endings ppo --algo ppo --value-warmup 0"
  "40 dialogue grpo --algo grpo"
  "40 dialogue rloo --algo rloo"
  "40 happy-endings ppo-rm8-lr1e-4 --algo ppo --value-warmup 0 --rm-epochs 8 --lr 1e-4"
  "40 dialogue ppo-rm8-lr1e-4 --algo ppo --value-warmup 0 --rm-epochs 8 --lr 1e-4"
  "40 animals ppo-rm8-lr1e-4 --algo ppo --value-warmup 0 --rm-epochs 8 --lr 1e-4"
  "40 food ppo-rm8-lr1e-4 --algo ppo --value-warmup 0 --rm-epochs 8 --lr 1e-4"
  "40 happy-endings dpo-lr1e-4 --algo dpo --lr 1e-4"
  "40 dialogue dpo-lr1e-4 --algo dpo --lr 1e-4"
  "40 animals dpo --algo dpo"
  "40 food dpo --algo dpo"
  "40 happy-endings dpo-lr5e-5 --algo dpo --lr 5e-5"
  "40 dialogue dpo-lr5e-5 --algo dpo --lr 5e-5"
  "40 animals dpo-lr5e-5 --algo dpo --lr 5e-5"
  "40 food dpo-lr5e-5 --algo dpo --lr 5e-5"
  "40 happy-endings ppo-rm8-lr6e-5 --algo ppo --value-warmup 0 --rm-epochs 8 --lr 6e-5"
  "40 dialogue ppo-rm8-lr6e-5 --algo ppo --value-warmup 0 --rm-epochs 8 --lr 6e-5"
  "40 animals dpo-lr1e-4 --algo dpo --lr 1e-4"
  "40 food dpo-lr1e-4 --algo dpo --lr 1e-4"
)
if [ $# -ge 3 ]; then mapfile -t CELLS < <(grep -v '^\s*\(#\|$\)' "$3"); fi
mkdir -p "$OUT"
for s in $(seq 1 "$SEEDS"); do
  for cell in "${CELLS[@]}"; do
    read -r labels labeler name flags <<< "$cell"
    # A labeler module's path names its results by the file's name: kindness.mjs -> kindness.
    tag=$(basename "$labeler" .mjs)
    echo "== $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg): $labels labels $labeler $name seeds 1-$s"
    # $flags is split into words on purpose.
    # shellcheck disable=SC2086
    npm run --silent rlhf -- --labeler "$labeler" $flags --labels "$labels" --seeds "1-$s" \
      --out "$OUT/$labels/$tag/$name" >> "$OUT/$labels-$tag-$name.log" 2>&1 \
      || echo "   failed: see $OUT/$labels-$tag-$name.log"
  done
done
if [ -f "$OUT/next.sh" ]; then bash "$OUT/next.sh" "$OUT"; fi
echo "== $(date +%T) done"

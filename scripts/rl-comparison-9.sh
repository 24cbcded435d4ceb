#!/usr/bin/env bash
# The RL estimators compared on 9x9 (issue 30's table): every arm starts from the same SL
# policy, plays the same number of sampled games, and is then played against that start, as
# is its pool snapshot from early in the run (how fast it learnt, before the scores crowd
# near the top). Rerunning resumes: train-rl continues from its checkpoint, and each
# evaluation is played only once (written whole). Prints the table at the end.
#
#   scripts/rl-comparison-9.sh [ARM...]    (default: every arm below; the MIXER arm needs data)
#
# Settings come from the environment, with these defaults:
set -euo pipefail
cd "$(dirname "$0")/.."
TENGEN=${TENGEN:-build/tengen}
START=${START:-models/policy-9-10x64.model}
OUT=${OUT:-runs/rl9}
ITERATIONS=${ITERATIONS:-50}
GAMES=${GAMES:-128}
EVAL_GAMES=${EVAL_GAMES:-400}
ENTROPY=${ENTROPY:-0.01}
KOMI=${KOMI:-7.5}
EXPERT_DATA=${EXPERT_DATA:-runs/teacher-9/games}
BEST=${BEST:-mean}   # the arm the MIXER arm adds its curriculum to: the table's best without it
EARLY=${EARLY:-10 30}   # the snapshots also evaluated: multiples of the pool's 10 iterations

# arm name -> train-rl options
declare -A ARMS=(
    [none]="--baseline none"
    [none-entropy]="--baseline none --entropy $ENTROPY"
    [mean]="--baseline mean"
    [mean-entropy]="--baseline mean --entropy $ENTROPY"
    [value]="--baseline value"
    [value-entropy]="--baseline value --entropy $ENTROPY"
    [greedy]="--baseline greedy"
    [greedy-entropy]="--baseline greedy --entropy $ENTROPY"
)
[ -n "${ARMS[$BEST]+x}" ] || { echo "BEST=$BEST is not an arm (arms: ${!ARMS[*]})" >&2; exit 2; }
ARMS[mixer]="${ARMS[$BEST]} --sl-weight 1 --expert-prefix 20 --anneal $((ITERATIONS / 2))
             --expert-data $EXPERT_DATA --expert-random-opening 6"
ORDER=(none mean value greedy none-entropy mean-entropy value-entropy greedy-entropy mixer)
[ $# -gt 0 ] && ORDER=("$@")

# A model against the start, played once: its record is written whole.
evaluate() {  # model, record
    [ -s "$2" ] && return
    "$TENGEN" eval-policy "$1" "$START" --games "$EVAL_GAMES" --komi "$KOMI" > "$2.tmp"
    mv "$2.tmp" "$2"
}

for arm in "${ORDER[@]}"; do
    [ -n "${ARMS[$arm]+x}" ] || { echo "unknown arm: $arm (arms: ${!ARMS[*]})" >&2; exit 2; }
    dir="$OUT/$arm"
    mkdir -p "$dir"
    # shellcheck disable=SC2086  # the arm's options are words
    "$TENGEN" train-rl --init-from "$START" -o "$dir/rl.model" --iterations "$ITERATIONS" --games "$GAMES" \
        --komi "$KOMI" --pool-every 10 --seed 1 ${ARMS[$arm]} >> "$dir/train.log" 2>&1
    evaluate "$dir/rl.model" "$dir/eval.txt"
    for at in $EARLY; do evaluate "$dir/rl.model.pool/$(printf '%06d' "$at").model" "$dir/eval-$at.txt"; done
done

# The table: the scores against the start with their intervals, and from the CSV the mean
# gradient variance over the iterations that measured it, the last entropy, the greedy games.
printf '| arm | games | extra greedy games |'
for at in $EARLY; do printf ' score after %d iterations [95%%] |' "$at"; done
printf ' W-L-D at the end | score at the end [95%%] | gradient variance (mean) | entropy at the end |\n|---|---|---|'
for at in $EARLY; do printf -- '---|'; done
printf -- '---|---|---|---|\n'
for arm in "${ORDER[@]}"; do
    dir="$OUT/$arm"
    [ -s "$dir/eval.txt" ] || continue
    wld=$(awk '/^W-L-D/ {print $2}' "$dir/eval.txt")
    score=$(awk '/^W-L-D/ {print $4, $5, $6}' "$dir/eval.txt")
    early=""
    for at in $EARLY; do
        early+="$(awk '/^W-L-D/ {print $4, $5, $6}' "$dir/eval-$at.txt" 2>/dev/null || true) | "
    done
    awk -F, -v arm="$arm" -v wld="$wld" -v score="$score" -v early="${early% | }" '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        { last = $col["entropy"]; greedy += $col["greedy_games"]; n++
          if ($col["gradient_variance"] != "") { v += $col["gradient_variance"]; m++ } }
        END { printf "| %s | %d | %d | %s | %s | %s | %s | %.3f |\n", arm, n * '"$GAMES"', greedy, early, wld, score,
                     m ? sprintf("%.4g", v / m) : "-", last }' "$dir/rl.model.csv"
done

#!/usr/bin/env bash
# The RL estimators compared on 9x9 (issue 30's table): every arm starts from the same SL
# policy, plays the same number of sampled games, and is then played against that start.
# Rerunning resumes: train-rl continues from its checkpoint, and an arm's evaluation is
# played only once (eval.txt, written whole). Prints the table at the end.
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
BEST=${BEST:-mean}   # the baseline the MIXER arm uses: the table's best without it

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
    [mixer]="--baseline $BEST --sl-weight 1 --expert-prefix 20 --anneal $((ITERATIONS / 2))
             --expert-data $EXPERT_DATA --expert-random-opening 6"
)
ORDER=(none mean value greedy none-entropy mean-entropy value-entropy greedy-entropy mixer)
[ $# -gt 0 ] && ORDER=("$@")

for arm in "${ORDER[@]}"; do
    [ -n "${ARMS[$arm]+x}" ] || { echo "unknown arm: $arm (arms: ${!ARMS[*]})" >&2; exit 2; }
    dir="$OUT/$arm"
    mkdir -p "$dir"
    # shellcheck disable=SC2086  # the arm's options are words
    "$TENGEN" train-rl --init-from "$START" -o "$dir/rl.model" --iterations "$ITERATIONS" --games "$GAMES" \
        --komi "$KOMI" --pool-every 10 --seed 1 ${ARMS[$arm]} >> "$dir/train.log" 2>&1
    if [ ! -s "$dir/eval.txt" ]; then
        "$TENGEN" eval-policy "$dir/rl.model" "$START" --games "$EVAL_GAMES" --komi "$KOMI" > "$dir/eval.txt.tmp"
        mv "$dir/eval.txt.tmp" "$dir/eval.txt"
    fi
done

# The table: the score against the start with its interval, and from the CSV the mean
# gradient variance over the iterations that measured it, the last entropy, the greedy games.
printf '| arm | games | extra greedy games | W-L-D vs start | score [95%%] | gradient variance (mean) | entropy at the end |\n'
printf '|---|---|---|---|---|---|---|\n'
for arm in "${ORDER[@]}"; do
    dir="$OUT/$arm"
    [ -s "$dir/eval.txt" ] || continue
    wld=$(awk '/^W-L-D/ {print $2}' "$dir/eval.txt")
    score=$(awk '/^W-L-D/ {print $4, $5, $6}' "$dir/eval.txt")
    awk -F, -v arm="$arm" -v wld="$wld" -v score="$score" '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        { last = $col["entropy"]; greedy += $col["greedy_games"]; n++
          if ($col["gradient_variance"] != "") { v += $col["gradient_variance"]; m++ } }
        END { printf "| %s | %d | %d | %s | %s | %s | %.3f |\n", arm, n * '"$GAMES"', greedy, wld, score,
                     m ? sprintf("%.4g", v / m) : "-", last }' "$dir/rl.model.csv"
done

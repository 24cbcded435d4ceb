#!/bin/bash
# A fake GTP engine for match tests: plays two ordinary moves, then misbehaves on its third
# genmove as $1 says:
#   illegal  - plays on an occupied point
#   crash    - exits in the middle of the game
#   hang     - never answers (replaces itself with sleep, so a kill ends it)
#   garbage  - answers a line that is not GTP
#   slow     - answers correctly, but only after $2 seconds (default 2)
#   good     - never misbehaves
#   kgs      - knows kgs-rules but only its plain presets (as KGS engines): resigns if it was
#              told a preset, plays illegally if it was not
# Bash only, so that the tests run on a fresh machine.
mode=${1:-good}
delay=${2:-2}
genmoves=0
kgs_rules=""
occupied=" "
columns=(A B C D E F G H J K L M N O P Q R S T)
size=9

reply() { printf '= %s\n\n' "$1"; }

next_free_point() {
    local r c v
    for ((r = 3; r <= size; r++)); do
        for ((c = 2; c < size; c++)); do
            v="${columns[c]}$r"
            if [[ "$occupied" != *" $v "* ]]; then
                echo "$v"
                return
            fi
        done
    done
    echo pass
}

while IFS= read -r line; do
    line=${line%$'\r'}
    read -r -a words <<< "$line"
    case "${words[0]}" in
    protocol_version) reply 2 ;;
    name) reply "fake-$mode" ;;
    version) reply 1 ;;
    known_command)
        if [[ "$mode" == kgs && "${words[1]}" == kgs-rules ]]; then reply true; else reply false; fi ;;
    kgs-rules)
        if [[ "${words[1]}" == *,* ]]; then printf '? unknown rules\n\n'; else kgs_rules=${words[1]}; reply ""; fi ;;
    boardsize) size=${words[1]}; reply "" ;;
    clear_board) occupied=" "; genmoves=0; reply "" ;;
    play)
        vertex=${words[2]^^}
        [[ "$vertex" != PASS ]] && occupied+="$vertex "
        reply "" ;;
    genmove)
        genmoves=$((genmoves + 1))
        if [[ $genmoves -ge 3 ]]; then
            case "$mode" in
            illegal) reply "$(echo $occupied | cut -d' ' -f1)"; continue ;;
            crash) exit 3 ;;
            hang) exec sleep 60 ;;
            garbage) printf 'I think I will play somewhere nice\n\n'; continue ;;
            slow) sleep "$delay" ;;
            kgs) if [[ -n "$kgs_rules" ]]; then reply resign; else reply "$(echo $occupied | cut -d' ' -f1)"; fi; continue ;;
            esac
        fi
        vertex=$(next_free_point)
        [[ "$vertex" != pass ]] && occupied+="$vertex "
        reply "$vertex" ;;
    quit) reply ""; exit 0 ;;
    *) reply "" ;;
    esac
done

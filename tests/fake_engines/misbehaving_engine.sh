#!/bin/bash
# A fake GTP engine for match tests: plays two ordinary moves, then misbehaves on its third
# genmove as $1 says:
#   illegal  - plays on an occupied point
#   crash    - exits in the middle of the game
#   hang     - never answers (replaces itself with sleep, so a kill ends it)
#   garbage  - answers a line that is not GTP
#   slow     - answers correctly, but only after $2 seconds (default 2)
#   good     - never misbehaves
# Bash only, so that the tests run on a fresh machine.
mode=${1:-good}
delay=${2:-2}
genmoves=0
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
    known_command) reply false ;;
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
            esac
        fi
        vertex=$(next_free_point)
        [[ "$vertex" != pass ]] && occupied+="$vertex "
        reply "$vertex" ;;
    quit) reply ""; exit 0 ;;
    *) reply "" ;;
    esac
done

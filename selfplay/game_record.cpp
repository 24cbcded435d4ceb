#include "selfplay/game_record.h"

#include <stdexcept>

#include <fmt/format.h>

#include "nets/evaluation.h"

namespace tengen::selfplay {

Game GameRecord::replay() const {
    const std::optional<Rules> parsed = Rules::fromSpec(rules);
    if (!parsed) throw std::invalid_argument(fmt::format("unknown rules '{}'", rules));
    Game game(boardSize, *parsed, komi);
    for (std::size_t i = 0; i < moves.size(); ++i) {
        const Move move{game.toMove(), nets::policyMove(moves[i], game.geometry())};
        if (game.play(move) != Legality::Legal)
            throw std::invalid_argument(fmt::format("move {} of the game is illegal", i + 1));
    }
    return game;
}

}  // namespace tengen::selfplay

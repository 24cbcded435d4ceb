#include "selfplay/game_record.h"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "nets/evaluation.h"
#include "play/game_outcome.h"

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

tengen::GameRecord GameRecord::asSgfRecord() const {
    tengen::GameRecord record;
    record.size = boardSize;
    record.komi = komi;
    record.rulesText = rules;
    record.rules = Rules::fromSpec(rules);
    if (!winner)
        record.result = "0";
    else if (endReason == play::end_reason::kResign)
        record.result = fmt::format("{}+R", *winner == Color::Black ? 'B' : 'W');
    else
        record.result = fmt::format("{}+{}", *winner == Color::Black ? 'B' : 'W', std::abs(blackMargin));
    record.blackName = blackModel.empty() ? "" : "model " + blackModel;
    record.whiteName = whiteModel.empty() ? "" : "model " + whiteModel;
    const Geometry geometry(boardSize);
    Color toMove = Color::Black;
    for (const std::uint16_t move : moves) {
        record.moves.push_back({toMove, nets::policyMove(move, geometry)});
        toMove = opponent(toMove);
    }
    return record;
}

std::string GameRecord::sgfText() const {
    SgfNode root = toSgf(asSgfRecord());
    root.set("C", {fmt::format("Tengen self-play, seed {}, ended by {}", seed, endReason)});
    if (sampledPosition > 0) {
        SgfNode* node = &root;
        for (int i = 0; i < sampledPosition && !node->children.empty(); ++i) node = node->children.front().get();
        node->set("C", {"Value sample: the position after this move (played uniformly at random), with the game's "
                        "outcome as its target"});
    }
    return writeSgf(root);
}

}  // namespace tengen::selfplay

#pragma once
// The networks a search (or the raw policy player) plays with on each board size. A network
// knows one board size, and a GTP controller may change the size at any time (Sabaki and
// GoGui start the engine, then send `boardsize 9`), so the engine keeps one set of networks
// per size: the preset's models for their own size, and the networks bundled for another
// size, loaded the first time a game of that size asks for them and then shared by every
// player holding this.

#include <memory>

#include "play/per_board_size.h"
#include "play/preset.h"
#include "play/setup.h"

namespace tengen::play {

class NetworksBySize {
public:
    // Loads the preset's models now, so that a bad file is reported at start (throws as
    // loadSharedNetworks does). `maxBatch` as for loadSharedNetworks.
    explicit NetworksBySize(EnginePreset preset, int maxBatch = 0);

    // The networks for games of this size. Networks bundled for it are loaded on the first
    // call (throwing nets::ModelFileError for a bad file); a size with none searches with
    // the preset's rollout policy and no network. Safe to call from several sessions.
    SharedNetworks forSize(int boardSize) { return bySize_.forSize(boardSize); }

private:
    SharedNetworks loadBundled(int boardSize) const;

    EnginePreset preset_;
    int maxBatch_;
    SharedNetworks presetNetworks_;
    PerBoardSize<SharedNetworks> bySize_;
};

// The same for a player that asks its networks directly (the raw policy player): the
// preset's policy and value networks for their own size, the ones bundled for another
// size; null for a size without a policy network.
class DirectNetworksBySize {
public:
    // Loads the preset's models now (throws as loadDirectNetworks does).
    explicit DirectNetworksBySize(const EnginePreset& preset);
    std::shared_ptr<DirectNetworks> forSize(int boardSize) { return bySize_.forSize(boardSize); }

private:
    std::string otherSizesModelsDir_;
    PerBoardSize<std::shared_ptr<DirectNetworks>> bySize_;
};

}  // namespace tengen::play

#pragma once
// The networks a search plays with on each board size. A network knows one board size, and
// a GTP controller may change the size at any time (Sabaki and GoGui start the engine, then
// send `boardsize 9`), so the engine keeps one set of networks per size: the preset's
// models for their own size, and the networks bundled for another size, loaded the first
// time a game of that size asks for them and then shared by every player holding this.

#include <map>
#include <memory>
#include <mutex>

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
    SharedNetworks forSize(int boardSize);

private:
    SharedNetworks loadBundled(int boardSize) const;

    EnginePreset preset_;
    int maxBatch_;
    SharedNetworks presetNetworks_;
    std::mutex mutex_;
    std::map<int, SharedNetworks> bySize_;
};

}  // namespace tengen::play

#pragma once
// The RL trainer's opponents: earlier versions of the learner (AlphaGo added the current
// policy to its pool every 500 iterations and played each mini-batch against one member drawn
// at random), seeded with the SL start and any other policy models. Members are model files;
// the list, not the folder, is the pool, so that a resumed run has exactly the pool its
// checkpoint had even when a killed run left a later snapshot in the folder.

#include <cstdint>
#include <filesystem>
#include <vector>

#include "nets/model_file.h"

namespace tengen::selfplay {

struct PoolSettings {
    std::filesystem::path directory;  // where snapshots are written, NNNNNN.model by iteration
    long addEvery = 500;              // the learner joins after every this many iterations
    int latest = 0;                   // draw among the latest k members only (0: all of them)
};

class OpponentPool {
public:
    OpponentPool(PoolSettings settings, std::vector<std::filesystem::path> members);

    // Throws std::invalid_argument, naming the file, for an empty pool or a member that is
    // not a policy network of `shape`'s board size and features.
    void check(const nets::NetworkShape& shape) const;
    // The member a mini-batch plays against: uniform over all members, or the latest k.
    const std::filesystem::path& draw(std::uint64_t seed) const;
    // Whether the learner joins after this iteration (counted from 1).
    bool joinsAfter(long iteration) const;
    // Writes the learner's snapshot for this iteration (atomically) and adds it.
    void add(long iteration, nets::Model& learner);

    const std::vector<std::filesystem::path>& members() const { return members_; }
    const PoolSettings& settings() const { return settings_; }

private:
    PoolSettings settings_;
    std::vector<std::filesystem::path> members_;
};

}  // namespace tengen::selfplay

#include "nets/features.h"

#include <algorithm>
#include <array>
#include <memory>
#include <stdexcept>

#include "go/chain_heads.h"
#include "go/zobrist.h"
#include "nets/ladder.h"

namespace tengen::nets {

namespace {

constexpr PlaneGroup kAlphaGoGroups[] = {
    {"stone colour", alphago::kPlayerStone, 3},
    {"ones", alphago::kOnes, 1},
    {"turns since", alphago::kTurnsSince, 8},
    {"liberties", alphago::kLiberties, 8},
    {"capture size", alphago::kCaptureSize, 8},
    {"self-atari size", alphago::kSelfAtariSize, 8},
    {"liberties after move", alphago::kLibertiesAfter, 8},
    {"ladder capture", alphago::kLadderCapture, 1},
    {"ladder escape", alphago::kLadderEscape, 1},
    {"sensibleness", alphago::kSensibleness, 1},
    {"zeros", alphago::kZeros, 1},
    {"player colour", alphago::kPlayerColour, 1},
};

// The AlphaGo groups with 8 planes all cap their count in the last one.
constexpr int kCap = 8;

// The liberties of a chain with at most kCap of them. That is all "liberties after move"
// needs: a chain with more keeps at least kCap after a move fills one.
struct LibertyList {
    int count;
    std::array<Point, kCap> points;
};

// Distinct points, counting up to kCap only, which is all the one-hot planes resolve.
struct CappedPointSet {
    std::array<Point, kCap> points;
    int count = 0;
    void insert(Point p) {
        if (count == kCap) return;
        for (int i = 0; i < count; ++i)
            if (points[i] == p) return;
        points[count++] = p;
    }
};

class AlphaGoExtractor {
public:
    AlphaGoExtractor(const Game& game, float* out)
        : game_(game), board_(game.board()), geometry_(board_.geometry()), size_(board_.size()),
          area_(size_ * size_), out_(out), me_(game.toMove()), them_(opponent(me_)) {}

    void run(bool withPlayerColour) {
        const int planes = withPlayerColour ? alphago::kValuePlanes : alphago::kPolicyPlanes;
        std::fill(out_, out_ + static_cast<std::ptrdiff_t>(planes) * area_, 0.0f);
        std::fill(plane(alphago::kOnes), plane(alphago::kOnes) + area_, 1.0f);
        if (withPlayerColour && me_ == Color::Black)
            std::fill(plane(alphago::kPlayerColour), plane(alphago::kPlayerColour) + area_, 1.0f);
        markRecentMoves();
        listShortLiberties();
        for (int row = 0; row < size_; ++row)
            for (int col = 0; col < size_; ++col) {
                const Point p = geometry_.point(col, row);
                const int index = row * size_ + col;
                if (board_.at(p) == Color::Empty) emptyPoint(p, index);
                else stone(p, index);
            }
        ladders();
    }

private:
    float* plane(int k) { return out_ + static_cast<std::ptrdiff_t>(k) * area_; }
    void set(int k, int index) { out_[static_cast<std::ptrdiff_t>(k) * area_ + index] = 1.0f; }
    int indexOf(Point p) const { return geometry_.row(p) * size_ + geometry_.col(p); }

    // Only the last seven moves can be younger than ">=8", so only they are looked at. The
    // newest move on a point wins; a move whose stone is gone (captured) marks nothing.
    void markRecentMoves() {
        recentAge_.fill(0);
        const auto& moves = game_.moves();
        const int n = static_cast<int>(moves.size());
        for (int age = 1; age < kCap && age <= n; ++age) {
            const Move& m = moves[n - age];
            if (m.point >= 0 && board_.at(m.point) == m.color && recentAge_[m.point] == 0)
                recentAge_[m.point] = static_cast<std::uint8_t>(age);
        }
    }

    void listShortLiberties() {
        for (int row = 0; row < size_; ++row)
            for (int col = 0; col < size_; ++col) {
                const Point p = geometry_.point(col, row);
                if (board_.at(p) == Color::Empty || board_.chainOf(p) != p) continue;
                const int libs = board_.chainLiberties(p);
                if (libs > kCap) continue;
                LibertyList& list = liberties_[p];
                list.count = 0;
                board_.forEachStone(p, [&](Point s) {
                    for (Point n : geometry_.neighbours(s))
                        if (board_.at(n) == Color::Empty &&
                            std::find(list.points.begin(), list.points.begin() + list.count, n) ==
                                list.points.begin() + list.count)
                            list.points[list.count++] = n;
                });
                if (libs <= 2) shortChains_[shortChainCount_++] = p;
            }
    }

    void stone(Point p, int index) {
        set(board_.at(p) == me_ ? alphago::kPlayerStone : alphago::kOpponentStone, index);
        const int age = recentAge_[p];
        set(alphago::kTurnsSince + (age == 0 ? kCap : age) - 1, index);
        set(alphago::kLiberties + std::min(board_.chainLiberties(p), kCap) - 1, index);
    }

    // The move features for the player to move at an empty point. Most points are settled
    // from their neighbours and the short-liberty lists; only captures and suicides, which
    // are rare, pay for a full Board::analyse.
    void emptyPoint(Point p, int index) {
        set(alphago::kEmpty, index);
        const bool suicideAllowed = game_.rules().suicideAllowed;
        ChainHeads friends, captured;
        int emptyNeighbours = 0, captureSize = 0, sizeAfter = 1;
        bool opponentNeighbour = false, roomyFriend = false;
        for (Point n : geometry_.neighbours(p)) {
            const Color c = board_.at(n);
            if (c == Color::Empty) {
                ++emptyNeighbours;
            } else if (c == me_) {
                const Point h = board_.chainOf(n);
                if (friends.insert(h)) {
                    sizeAfter += board_.chainSize(h);
                    roomyFriend |= board_.chainLiberties(h) > kCap;
                }
            } else if (c == them_) {
                opponentNeighbour = true;
                const Point h = board_.chainOf(n);
                if (board_.chainLiberties(h) == 1 && captured.insert(h)) captureSize += board_.chainSize(h);
            }
        }

        int libertiesAfter = 0;
        std::uint64_t hashAfter = board_.hash() ^ zobrist::kStone[colorIndex(me_)][p];
        bool legal = true;
        if (captured.count > 0) {
            // Captures free points the lists know nothing about: ask the board. Rare.
            const MoveEffect effect = board_.analyse({me_, p}, suicideAllowed);
            libertiesAfter = effect.libertiesAfter;
            sizeAfter = effect.chainSizeAfter;
            hashAfter = effect.hashAfter;
        } else {
            if (friends.count == 0) {
                libertiesAfter = emptyNeighbours;
            } else if (roomyFriend) {
                libertiesAfter = kCap;
            } else {
                CappedPointSet libs;
                for (Point n : geometry_.neighbours(p))
                    if (board_.at(n) == Color::Empty) libs.insert(n);
                for (Point h : friends) {
                    const LibertyList& list = liberties_[h];
                    for (int i = 0; i < list.count; ++i)
                        if (list.points[i] != p) libs.insert(list.points[i]);
                }
                libertiesAfter = libs.count;
            }
            if (libertiesAfter == 0) {
                // Suicide: a lone stone's never is legal, a chain's is under some rules, and
                // then the board after it (for superko) is the board's to tell.
                const MoveEffect effect = board_.analyse({me_, p}, suicideAllowed);
                legal = effect.legalIgnoringKo;
                hashAfter = effect.hashAfter;
            }
        }
        if (legal && board_.koPoint(me_) == p) legal = false;
        if (legal && game_.rules().ko != KoRule::Simple && game_.positionSeen(hashAfter, them_)) legal = false;
        legal_[p] = legal;
        if (!legal) return;

        set(alphago::kCaptureSize + std::min(captureSize, kCap - 1), index);
        if (libertiesAfter > 0) set(alphago::kLibertiesAfter + std::min(libertiesAfter, kCap) - 1, index);
        if (libertiesAfter == 1) set(alphago::kSelfAtariSize + std::min(sizeAfter, kCap) - 1, index);
        const bool mayBeOwnEye = friends.count > 0 && emptyNeighbours == 0 && !opponentNeighbour;
        if (!(mayBeOwnEye && board_.isTrueEye(p, me_))) set(alphago::kSensibleness, index);
    }

    // Ladders are read only around chains with one or two liberties, the only ones a
    // single move can put in a ladder or pull out of one.
    void ladders() {
        for (int i = 0; i < shortChainCount_; ++i) {
            const Point chain = shortChains_[i];
            const LibertyList& libs = liberties_[chain];
            if (board_.at(chain) == them_ && libs.count == 2) {
                for (int k = 0; k < 2; ++k) {
                    const Point move = libs.points[k];
                    if (legal_[move] && !isSet(alphago::kLadderCapture, move) && isLadderCapture(board_, move, chain))
                        set(alphago::kLadderCapture, indexOf(move));
                }
            } else if (board_.at(chain) == me_ && libs.count == 1) {
                // Distinct capture points number at most the adjacent chains, each with a
                // stone and a liberty of its own: half the board bounds them.
                Point moves[1 + kMaxPoints / 2];
                int count = 0;
                moves[count++] = libs.points[0];
                // Capturing an attacker chain in atari is the other way out.
                board_.forEachStone(chain, [&](Point s) {
                    for (Point n : geometry_.neighbours(s))
                        if (board_.at(n) == them_ && board_.chainLiberties(n) == 1) {
                            const Point move = liberties_[board_.chainOf(n)].points[0];
                            if (std::find(moves, moves + count, move) == moves + count) moves[count++] = move;
                        }
                });
                for (int k = 0; k < count; ++k)
                    if (legal_[moves[k]] && !isSet(alphago::kLadderEscape, moves[k]) &&
                        isLadderEscape(board_, moves[k], chain))
                        set(alphago::kLadderEscape, indexOf(moves[k]));
            }
        }
    }

    bool isSet(int k, Point p) const { return out_[static_cast<std::ptrdiff_t>(k) * area_ + indexOf(p)] != 0.0f; }

    const Game& game_;
    const Board& board_;
    const Geometry& geometry_;
    const int size_, area_;
    float* const out_;
    const Color me_, them_;
    // By point; recentAge_ is cleared, the rest is written before it is read: legal_ for
    // every empty point, liberties_ for the heads of chains with at most kCap liberties.
    std::array<std::uint8_t, kMaxPoints> recentAge_;
    std::array<bool, kMaxPoints> legal_;
    std::array<LibertyList, kMaxPoints> liberties_;
    std::array<Point, kMaxPoints> shortChains_;
    int shortChainCount_ = 0;
};

}  // namespace

int planeCount(FeatureSet set) {
    switch (set) {
        case FeatureSet::AlphaGoPolicy: return alphago::kPolicyPlanes;
        case FeatureSet::AlphaGoValue: return alphago::kValuePlanes;
    }
    throw std::invalid_argument("unknown feature set");
}

std::size_t featureSize(FeatureSet set, int boardSize) {
    return static_cast<std::size_t>(planeCount(set)) * boardSize * boardSize;
}

std::string_view featureSetName(FeatureSet set) {
    switch (set) {
        case FeatureSet::AlphaGoPolicy: return "alphago-policy";
        case FeatureSet::AlphaGoValue: return "alphago-value";
    }
    return "?";
}

std::optional<FeatureSet> parseFeatureSet(std::string_view name) {
    for (FeatureSet set : {FeatureSet::AlphaGoPolicy, FeatureSet::AlphaGoValue})
        if (featureSetName(set) == name) return set;
    return std::nullopt;
}

std::span<const PlaneGroup> planeGroups(FeatureSet set) {
    const std::span<const PlaneGroup> all(kAlphaGoGroups);
    return set == FeatureSet::AlphaGoValue ? all : all.first(all.size() - 1);
}

void extractFeatures(const Game& game, FeatureSet set, float* out) {
    switch (set) {
        case FeatureSet::AlphaGoPolicy:
        case FeatureSet::AlphaGoValue: {
            // About 20 KiB of scratch: on the heap rather than the stack so that worker
            // threads with small stacks can extract too.
            auto extractor = std::make_unique<AlphaGoExtractor>(game, out);
            extractor->run(set == FeatureSet::AlphaGoValue);
            return;
        }
    }
    throw std::invalid_argument("unknown feature set");
}

std::vector<float> extractFeatures(const Game& game, FeatureSet set) {
    std::vector<float> out(featureSize(set, game.size()));
    extractFeatures(game, set, out.data());
    return out;
}

}  // namespace tengen::nets

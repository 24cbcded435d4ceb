#pragma once
// The search tree shared by every worker: one node per move, with visit count, value sum and
// virtual loss as atomics, and children created once, by whichever worker wins the node's
// expansion. No lock is ever taken on the tree.

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "go/point.h"

namespace tengen::mcts {

struct ChildPrior {
    Point move = kPass;
    float prior = 0;
};

class Node {
public:
    Node() = default;
    Node(const Node&) = delete;
    Node& operator=(const Node&) = delete;

    Point move() const { return move_; }
    // Atomic because a node's children are published with cheap priors and get the policy
    // network's once it answers, while other workers read them.
    float prior() const { return prior_.load(std::memory_order_relaxed); }
    void setPrior(float prior) { prior_.store(prior, std::memory_order_relaxed); }

    // Completed simulations through this node, and their values summed from the point of
    // view of the player who played move() (so a parent maximises its children's Q).
    int visits() const { return visits_.load(std::memory_order_relaxed); }
    double valueSum() const { return valueSum_.load(std::memory_order_relaxed); }
    // Final score margins of the rollouts through this node, summed for the player who played
    // move(); every completed simulation has one when the search plays rollouts (lambda > 0).
    double marginSum() const { return marginSum_.load(std::memory_order_relaxed); }
    // Simulations under way through this node, times the virtual loss each one adds.
    int virtualLoss() const { return virtualLoss_.load(std::memory_order_relaxed); }

    // Mean value with each pending virtual loss counted as a lost visit, as AlphaGo does, so
    // that parallel workers spread over different moves; 0 before the first visit.
    double q() const {
        const int pending = virtualLoss();
        const int n = visits() + pending;
        return n == 0 ? 0.0 : (valueSum() - pending) / n;
    }
    // Visits as selection counts them: completed plus pending.
    int effectiveVisits() const { return visits() + virtualLoss(); }

    void addVirtualLoss(int amount) { virtualLoss_.fetch_add(amount, std::memory_order_relaxed); }
    // Ends one simulation: takes back its virtual loss and records its value.
    void backup(double value, int virtualLossToRemove) {
        valueSum_.fetch_add(value, std::memory_order_relaxed);
        visits_.fetch_add(1, std::memory_order_relaxed);
        virtualLoss_.fetch_sub(virtualLossToRemove, std::memory_order_relaxed);
    }

    void addMargin(float margin) { marginSum_.fetch_add(margin, std::memory_order_relaxed); }

    bool isExpanded() const { return state_.load(std::memory_order_acquire) == State::Expanded; }
    // True for exactly one caller, which must then call expand(); others go on treating the
    // node as a leaf until the children are published.
    bool tryClaimExpansion() {
        State expected = State::Leaf;
        return state_.compare_exchange_strong(expected, State::Expanding, std::memory_order_acq_rel);
    }
    // Creates and publishes the children. Only after tryClaimExpansion() returned true.
    void expand(std::span<const ChildPrior> children);

    // Valid once isExpanded().
    std::span<Node> children() { return {children_.get(), childCount_}; }
    std::span<const Node> children() const { return {children_.get(), childCount_}; }

    // A new node holding `from`'s statistics and children, so that a subtree outlives the
    // tree it grew in (tree reuse); `from` is left childless. Not while workers run.
    static std::unique_ptr<Node> detach(Node& from);

private:
    enum class State : std::uint8_t { Leaf, Expanding, Expanded };

    Point move_ = kPass;
    std::atomic<float> prior_{0};
    std::atomic<int> visits_{0};
    std::atomic<float> marginSum_{0};  // a float keeps the node at 48 bytes
    std::atomic<double> valueSum_{0};
    std::atomic<int> virtualLoss_{0};
    std::atomic<State> state_{State::Leaf};
    std::size_t childCount_ = 0;
    std::unique_ptr<Node[]> children_;
};

static_assert(sizeof(Node) <= 48, "a node's size bounds the tree a memory cap allows; keep it small");

// Nodes in the subtree, its root included.
std::size_t countNodes(const Node& root);

// What PUCT selection weighs besides the tree's statistics.
struct SelectionOptions {
    double cPuct = 5;
    // Q of a child no simulation has reached yet ("first play urgency"). Unset, it counts as
    // even (0), as in the paper. Set, it is the parent's value for the player choosing, less
    // this reduction times the square root of the prior already visited, as in Leela Zero:
    // the search then deepens the moves it believes in before it tries new ones.
    std::optional<double> fpuReduction;
    // Score utility, KataGo's dynamic one: a child's mean rollout margin, measured from the
    // score the root expects, adds scoreUtility * tanh(difference / scoreScale) to its Q. A
    // win rate that is nearly the same for every move (far ahead, far behind, or rollouts too
    // noisy to tell) should then no longer let the search give points away. 0: win rate alone.
    double scoreUtility = 0;
    double scoreScale = 20;  // points
};

// PUCT's score for one child: Q(s,a) + c_puct * P(s,a) * sqrt(sum_b N(s,b)) / (1 + N(s,a)),
// with virtual loss included in both Q and N, and unvisitedQ for a child never visited.
double puctScore(const Node& child, double cPuct, double sqrtParentVisits, double unvisitedQ = 0);

// The score utility of a visited child for the player choosing it, whose expected margin
// (points, komi included) is scoreCenter; 0 before its first visit.
double scoreUtility(const Node& child, const SelectionOptions& options, double scoreCenter);

// The child with the highest PUCT score plus score utility (ties to the higher prior, then the
// earlier child). The node must be expanded and have children.
Node& selectChild(Node& node, const SelectionOptions& options, double scoreCenter = 0);

}  // namespace tengen::mcts

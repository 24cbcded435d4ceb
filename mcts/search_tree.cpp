#include "mcts/search_tree.h"

#include <cmath>
#include <utility>

namespace tengen::mcts {

void Node::expand(std::span<const ChildPrior> children) {
    auto created = std::make_unique<Node[]>(children.size());
    for (std::size_t i = 0; i < children.size(); ++i) {
        created[i].move_ = children[i].move;
        created[i].setPrior(children[i].prior);
    }
    children_ = std::move(created);
    childCount_ = children.size();
    state_.store(State::Expanded, std::memory_order_release);
}

std::unique_ptr<Node> Node::detach(Node& from) {
    auto node = std::make_unique<Node>();
    node->move_ = from.move_;
    node->setPrior(from.prior());
    node->visits_.store(from.visits());
    node->valueSum_.store(from.valueSum());
    node->marginSum_.store(static_cast<float>(from.marginSum()));
    node->virtualLoss_.store(from.virtualLoss());
    node->state_.store(from.state_.load());
    node->childCount_ = std::exchange(from.childCount_, 0);
    node->children_ = std::move(from.children_);
    return node;
}

std::size_t countNodes(const Node& root) {
    std::size_t count = 1;
    if (root.isExpanded())
        for (const Node& child : root.children()) count += countNodes(child);
    return count;
}

double puctScore(const Node& child, double cPuct, double sqrtParentVisits, double unvisitedQ) {
    const double q = child.effectiveVisits() == 0 ? unvisitedQ : child.q();
    return q + cPuct * child.prior() * sqrtParentVisits / (1 + child.effectiveVisits());
}

double scoreUtility(const Node& child, const SelectionOptions& options, double scoreCenter) {
    const int visits = child.visits();
    if (options.scoreUtility == 0 || visits == 0) return 0;
    return options.scoreUtility * std::tanh((child.marginSum() / visits - scoreCenter) / options.scoreScale);
}

Node& selectChild(Node& node, const SelectionOptions& options, double scoreCenter) {
    const std::span<Node> children = node.children();
    int parentVisits = 0;
    double visitedPrior = 0;
    for (const Node& child : children) {
        parentVisits += child.effectiveVisits();
        if (child.visits() > 0) visitedPrior += child.prior();
    }
    double unvisitedQ = 0;
    if (options.fpuReduction) {
        // The node's own mean is for the player who moved into it; its children are chosen by
        // the other player.
        const double parentValue = node.visits() > 0 ? -node.valueSum() / node.visits() : 0;
        unvisitedQ = parentValue - *options.fpuReduction * std::sqrt(visitedPrior);
    }
    const double sqrtParentVisits = std::sqrt(static_cast<double>(parentVisits));
    const auto selectionScore = [&](const Node& child) {
        return puctScore(child, options.cPuct, sqrtParentVisits, unvisitedQ) + scoreUtility(child, options, scoreCenter);
    };
    Node* best = &children[0];
    double bestScore = selectionScore(*best);
    for (Node& child : children.subspan(1)) {
        const double score = selectionScore(child);
        if (score > bestScore || (score == bestScore && child.prior() > best->prior())) {
            best = &child;
            bestScore = score;
        }
    }
    return *best;
}

}  // namespace tengen::mcts

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

double puctScore(const Node& child, double cPuct, double sqrtParentVisits) {
    return child.q() + cPuct * child.prior() * sqrtParentVisits / (1 + child.effectiveVisits());
}

Node& selectChild(Node& node, double cPuct) {
    const std::span<Node> children = node.children();
    int parentVisits = 0;
    for (const Node& child : children) parentVisits += child.effectiveVisits();
    const double sqrtParentVisits = std::sqrt(static_cast<double>(parentVisits));
    Node* best = &children[0];
    double bestScore = puctScore(*best, cPuct, sqrtParentVisits);
    for (Node& child : children.subspan(1)) {
        const double score = puctScore(child, cPuct, sqrtParentVisits);
        if (score > bestScore || (score == bestScore && child.prior() > best->prior())) {
            best = &child;
            bestScore = score;
        }
    }
    return *best;
}

}  // namespace tengen::mcts

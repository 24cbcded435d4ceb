#include "mcts/search.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <thread>

#include "go/playout.h"
#include "go/random.h"
#include "go/scoring.h"
#include "nets/batched_evaluator.h"

namespace tengen::mcts {

namespace {

// +1 if the player to move wins the game on this board under Tromp-Taylor, -1 if they lose.
double outcomeForPlayerToMove(double blackMargin, Color toMove) {
    const double sign = blackMargin > 0 ? 1 : blackMargin < 0 ? -1 : 0;
    return toMove == Color::Black ? sign : -sign;
}

// Every legal move (superko included) and pass, with the network's priors or uniform ones.
std::vector<ChildPrior> childPriors(const Game& game, const nets::Evaluation* evaluation) {
    std::vector<ChildPrior> children;
    for (Point p : game.legalMoves(game.toMove())) children.push_back({p, 0});
    children.push_back({kPass, 0});
    double total = 0;
    if (evaluation && !evaluation->policy.empty()) {
        for (ChildPrior& child : children) {
            child.prior = evaluation->policy[nets::policyIndex(child.move, game.geometry())];
            total += child.prior;
        }
    }
    // No network, or (should it ever disagree with the legal moves) no mass on them: uniform.
    if (total <= 0) {
        for (ChildPrior& child : children) child.prior = 1.0f / static_cast<float>(children.size());
    } else {
        for (ChildPrior& child : children) child.prior = static_cast<float>(child.prior / total);
    }
    return children;
}

void addDirichletNoise(std::vector<ChildPrior>& children, double alpha, double epsilon, Random& rng) {
    std::gamma_distribution<double> gamma(alpha, 1.0);
    std::vector<double> noise(children.size());
    double total = 0;
    for (double& n : noise) total += n = gamma(rng);
    if (total <= 0) return;
    for (std::size_t i = 0; i < children.size(); ++i)
        children[i].prior = static_cast<float>((1 - epsilon) * children[i].prior + epsilon * noise[i] / total);
}

std::vector<Point> principalVariation(const Node& first) {
    std::vector<Point> line{first.move()};
    const Node* node = &first;
    while (node->isExpanded() && !node->children().empty()) {
        const auto children = node->children();
        const Node& next = *std::max_element(children.begin(), children.end(),
                                             [](const Node& a, const Node& b) { return a.visits() < b.visits(); });
        if (next.visits() == 0) break;
        line.push_back(next.move());
        node = &next;
    }
    return line;
}

// One search: the tree and what the workers share.
class SearchRun {
public:
    SearchRun(const SearchOptions& options, nets::BatchedEvaluator* evaluator, const Game& game,
              const SearchControl& control)
        : options_(options), evaluator_(evaluator), rootGame_(game), control_(control) {}

    SearchResult run() {
        const auto start = std::chrono::steady_clock::now();
        expandRoot();
        std::vector<std::thread> workers;
        for (int t = 1; t < options_.threads; ++t) workers.emplace_back([this, t] { work(t); });
        work(0);
        for (auto& w : workers) w.join();
        if (failure_) std::rethrow_exception(failure_);
        SearchResult result = summarise();
        result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return result;
    }

private:
    bool stopped() const {
        return (control_.stop && control_.stop->load(std::memory_order_relaxed)) ||
               (control_.deadline && std::chrono::steady_clock::now() >= *control_.deadline);
    }
    bool wantsValueNetwork() const { return evaluator_ && evaluator_->hasValue() && options_.lambda < 1; }
    bool wantsPolicyNetwork() const { return evaluator_ && evaluator_->hasPolicy(); }

    void expandRoot() {
        Random rng(options_.seed);
        root_.tryClaimExpansion();
        std::optional<nets::Evaluation> evaluation;
        if (wantsPolicyNetwork()) evaluation = evaluator_->evaluate(rootGame_, rng);
        std::vector<ChildPrior> children = childPriors(rootGame_, evaluation ? &*evaluation : nullptr);
        if (options_.dirichletEpsilon > 0)
            addDirichletNoise(children, options_.dirichletAlpha, options_.dirichletEpsilon, rng);
        root_.expand(children);
        nodes_ += children.size();
    }

    void work(int index) {
        // Each worker its own stream; worker 0's is fixed by the seed alone, so one thread
        // repeats exactly.
        Random rng(options_.seed + 0x9E3779B97F4A7C15ull * static_cast<std::uint64_t>(index + 1));
        std::vector<Node*> path;
        try {
            auto nextReport = std::chrono::steady_clock::now() + control_.reportEvery;
            while (!stopped() && started_.fetch_add(1, std::memory_order_relaxed) < options_.visits) {
                simulate(rng, path);
                // One worker reports, so that reports come in order.
                if (index == 0 && control_.report && std::chrono::steady_clock::now() >= nextReport) {
                    control_.report(summarise());
                    nextReport = std::chrono::steady_clock::now() + control_.reportEvery;
                }
            }
        } catch (...) {
            std::lock_guard lock(failureMutex_);
            if (!failure_) failure_ = std::current_exception();
            started_ = options_.visits;  // the others stop at their next simulation
        }
    }

    // `path` is the worker's own, kept between simulations to save allocations.
    void simulate(Random& rng, std::vector<Node*>& path) {
        Game game = rootGame_;
        path.clear();
        path.push_back(&root_);
        Node* node = &root_;
        // The root always takes a step, so that a search after two passes still visits moves.
        while (node->isExpanded() && (node == &root_ || !game.isOver())) {
            Node& child = selectChild(*node, options_.cPuct);
            child.addVirtualLoss(options_.virtualLoss);
            game.play({game.toMove(), child.move()});
            path.push_back(&child);
            node = &child;
        }
        const double value = game.isOver() ? outcomeForPlayerToMove(trompTaylorScore(game.board(), game.komi()).margin(),
                                                                    game.toMove())
                                           : evaluateLeaf(*node, game, rng);
        // Each node keeps values for the player who moved into it: the leaf's mover is the
        // opponent of the player to move there, and the sign flips at every ply up.
        double v = -value;
        for (std::size_t i = path.size(); i-- > 0; v = -v) path[i]->backup(v, i == 0 ? 0 : options_.virtualLoss);
    }

    // The leaf's value for the player to move there; expands the leaf when its turn has come.
    double evaluateLeaf(Node& leaf, const Game& game, Random& rng) {
        const bool expand = leaf.visits() >= options_.expansionThreshold && leaf.tryClaimExpansion();
        std::optional<nets::Evaluation> evaluation;
        if (wantsValueNetwork() || (expand && wantsPolicyNetwork())) evaluation = evaluator_->evaluate(game, rng);
        if (expand) {
            const std::vector<ChildPrior> children = childPriors(game, evaluation ? &*evaluation : nullptr);
            leaf.expand(children);
            nodes_ += children.size();
        }
        const bool haveValue = evaluation && evaluation->value && wantsValueNetwork();
        const double lambda = haveValue ? options_.lambda : 1.0;
        double value = 0;
        if (lambda > 0) {
            Board board = game.board();
            const PlayoutResult rollout = lightPlayout(board, game.toMove(), game.komi(), rng);
            value += lambda * outcomeForPlayerToMove(rollout.margin, game.toMove());
        }
        if (haveValue) value += (1 - lambda) * *evaluation->value;
        return value;
    }

    SearchResult summarise() const {
        SearchResult result;
        for (const Node& child : root_.children()) {
            MoveStatistics stats;
            stats.move = child.move();
            stats.visits = child.visits();
            stats.q = child.visits() ? child.valueSum() / child.visits() : 0;
            stats.prior = child.prior();
            stats.principalVariation = principalVariation(child);
            result.visits += stats.visits;
            result.moves.push_back(std::move(stats));
        }
        std::stable_sort(result.moves.begin(), result.moves.end(), [](const MoveStatistics& a, const MoveStatistics& b) {
            return a.visits != b.visits ? a.visits > b.visits : a.prior > b.prior;
        });
        result.nodes = nodes_.load();
        result.bestMove = chooseMove(result.moves);
        return result;
    }

    Point chooseMove(const std::vector<MoveStatistics>& moves) const {
        const MoveStatistics& mostVisited = moves.front();
        if (options_.resignThreshold > 0 && mostVisited.visits > 0 && (mostVisited.q + 1) / 2 < options_.resignThreshold)
            return kResign;
        Point chosen = mostVisited.move;
        // Pass only when it is the most visited move, even when sampling.
        if (options_.temperature > 0 && chosen != kPass) {
            Random rng(options_.seed ^ 0xC0FFEEull);
            std::vector<double> weights;
            for (const MoveStatistics& m : moves)
                weights.push_back(m.move == kPass ? 0.0 : std::pow(m.visits, 1 / options_.temperature));
            double total = 0;
            for (double w : weights) total += w;
            double pick = rng.uniform() * total;
            for (std::size_t i = 0; i < moves.size(); ++i) {
                if (weights[i] <= 0) continue;
                chosen = moves[i].move;
                if ((pick -= weights[i]) < 0) break;
            }
        }
        // Children come from Game::legalMoves, so this holds; the check keeps an illegal move
        // from ever leaving the search should that change.
        if (!rootGame_.isLegal({rootGame_.toMove(), chosen})) throw std::logic_error("search chose an illegal move");
        return chosen;
    }

    const SearchOptions& options_;
    nets::BatchedEvaluator* evaluator_;
    const Game& rootGame_;
    const SearchControl& control_;
    Node root_;
    std::atomic<int> started_{0};
    std::atomic<std::size_t> nodes_{1};
    std::mutex failureMutex_;
    std::exception_ptr failure_;
};

}  // namespace

Search::Search(const SearchOptions& options, nets::BatchedEvaluator* evaluator)
    : options_(options), evaluator_(evaluator) {
    if (options.visits < 1) throw std::invalid_argument("visits must be at least 1");
    if (options.threads < 1) throw std::invalid_argument("threads must be at least 1");
    if (options.lambda < 0 || options.lambda > 1) throw std::invalid_argument("lambda must be in [0, 1]");
    if (options.virtualLoss < 0) throw std::invalid_argument("virtual loss must not be negative");
    if (options.expansionThreshold < 0) throw std::invalid_argument("expansion threshold must not be negative");
    if (options.temperature < 0) throw std::invalid_argument("temperature must not be negative");
}

SearchResult Search::run(const Game& game, const SearchControl& control) {
    if (evaluator_ && evaluator_->boardSize() != game.size())
        throw std::invalid_argument("the networks are for another board size");
    return SearchRun(options_, evaluator_, game, control).run();
}

}  // namespace tengen::mcts

#include "mcts/search.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <future>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>

#include <tbb/global_control.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include "go/playout.h"
#include "go/random.h"
#include "go/scoring.h"
#include "mcts/move_choice.h"
#include "nets/batched_evaluator.h"
#include "nets/rollout/playout.h"

namespace tengen::mcts {

namespace {

// Every legal move (superko included) and pass, with the cheap prior a node has until the
// policy network answers: p_pi's move probabilities when there is a rollout policy (AlphaGo's
// tree policy), with a uniform floor for the moves it never plays (pass, own eyes); uniform
// without one.
std::vector<ChildPrior> cheapPriors(const Game& game, const nets::RolloutPolicy* rolloutPolicy,
                                    const nets::RolloutContext& context) {
    constexpr double kFloorShare = 0.05;
    std::vector<ChildPrior> children;
    for (Point p : game.legalMoves(game.toMove())) children.push_back({p, 0});
    children.push_back({kPass, 0});
    const float uniform = 1.0f / static_cast<float>(children.size());
    if (!rolloutPolicy) {
        for (ChildPrior& child : children) child.prior = uniform;
        return children;
    }
    std::vector<double> byPoint(static_cast<std::size_t>(game.geometry().paddedArea()), 0.0);
    for (const nets::RolloutMoveProbability& m :
         rolloutPolicy->moveProbabilities(game.board(), game.toMove(), context))
        byPoint[static_cast<std::size_t>(m.point)] = m.probability;
    double total = 0;
    for (ChildPrior& child : children)
        total += child.prior = static_cast<float>(kFloorShare * uniform +
                                                  (1 - kFloorShare) * (child.move == kPass ? 0.0 : byPoint[child.move]));
    for (ChildPrior& child : children) child.prior = static_cast<float>(child.prior / total);
    return children;
}

// The network's policy over `children`, renormalised over them (illegal points have none).
void applyPolicy(std::span<ChildPrior> children, const nets::Evaluation& evaluation, const Geometry& geometry) {
    double total = 0;
    for (const ChildPrior& child : children) total += evaluation.policy[nets::policyIndex(child.move, geometry)];
    if (total <= 0) return;  // no mass on the legal moves: keep the cheap priors
    for (ChildPrior& child : children)
        child.prior = static_cast<float>(evaluation.policy[nets::policyIndex(child.move, geometry)] / total);
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

// A simulation between selection and backup, while its leaf waits on the network.
struct Simulation {
    std::vector<Node*> path;  // root first
    Game game;                // the leaf's position
    nets::RolloutContext context;  // the leaf's last moves, for the rollout policy
    // The leaf was expanded with cheap priors; the network's replace them when they come.
    bool expanded = false;
    std::future<nets::Evaluation> evaluation;  // valid when the networks were asked
    double value = 0;                          // for the player to move at the leaf, once known
    bool valueKnown = false;                   // game over: the score is the value
    double margin = 0;                         // the rollout's (or final) score, for the same player
};

// One search over the tree: what the workers share while it runs.
class SearchRun {
public:
    SearchRun(const SearchOptions& options, nets::BatchedEvaluator* evaluator, const nets::RolloutPolicy* rolloutPolicy,
              Node& root, const Game& game, std::size_t nodes, const SearchControl& control)
        : options_(options), evaluator_(evaluator), rolloutPolicy_(rolloutPolicy), root_(root), rootGame_(game),
          rootContext_(rolloutPolicy ? nets::rolloutContextOf(game) : nets::RolloutContext{}), control_(control),
          nodes_(nodes), start_(std::chrono::steady_clock::now()) {}

    SearchResult run() {
        if (!root_.isExpanded()) expandRoot();
        // The workers are TBB tasks in an arena of their own, one slot each: they block on the
        // evaluator's futures, which must not hold up tasks of other arenas.
        // TBB's pool holds one thread fewer than the cores by default, counting on the calling
        // thread; the workers block on the network, so every one needs a thread of its own,
        // and searches may run side by side (a TCP server's sessions). The arena alone bounds
        // each search; the pool's limit is the same generous one for every search, since TBB
        // obeys the smallest among those alive.
        constexpr std::size_t kPoolThreads = 256;
        const tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, kPoolThreads);
        tbb::task_arena arena(options_.threads, 1);
        // The workers' start and end also go through an atomic of ours: TBB publishes tasks
        // the same way inside its library, which the thread sanitizer cannot see into.
        workersLaunched_.store(true, std::memory_order_release);
        arena.execute([&] {
            tbb::task_group group;
            for (int t = 1; t < options_.threads; ++t) group.run([this, t] { work(t); });
            work(0);
            group.wait();
        });
        if (workersDone_.load(std::memory_order_acquire) != options_.threads) throw std::logic_error("a worker went missing");
        if (failure_) std::rethrow_exception(failure_);
        SearchResult result = summarise();
        result.bestMove = chooseMove(result.moves, rootGame_, options_);
        result.reusedVisits = reusedVisitsAtStart_;
        result.seconds = secondsSoFar();
        return result;
    }

private:
    double secondsSoFar() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }
    bool stopped() const {
        return finished_.load(std::memory_order_relaxed) ||
               (control_.stop && control_.stop->load(std::memory_order_relaxed)) ||
               (control_.deadline && std::chrono::steady_clock::now() >= *control_.deadline) ||
               (control_.stopWhenFull && nodes_.load(std::memory_order_relaxed) >= options_.maxNodes);
    }
    bool wantsValueNetwork() const { return evaluator_ && evaluator_->hasValue() && usesValueNetwork(options_); }
    bool wantsPolicyNetwork() const { return evaluator_ && evaluator_->hasPolicy(); }
    int inFlightPerWorker() const { return options_.virtualLoss > 0 ? std::max(1, options_.simulationsInFlight) : 1; }

    void expandRoot() {
        Random rng(options_.seed);
        root_.tryClaimExpansion();
        std::vector<ChildPrior> children = cheapPriors(rootGame_, rolloutPolicy_, rootContext_);
        if (wantsPolicyNetwork()) applyPolicy(children, evaluator_->evaluate(rootGame_, rng), rootGame_.geometry());
        if (options_.dirichletEpsilon > 0) {
            // Other noise for every position: the same at every root would favour the same moves.
            Random noise(options_.seed ^ rootGame_.board().hash());
            addDirichletNoise(children, options_.dirichletAlpha, options_.dirichletEpsilon, noise);
        }
        root_.expand(children);
        nodes_ += children.size();
    }

    void work(int index) {
        if (!workersLaunched_.load(std::memory_order_acquire)) throw std::logic_error("worker started early");
        searchLoop(index);
        workersDone_.fetch_add(1, std::memory_order_release);
    }

    void searchLoop(int index) {
        // Each worker its own stream, fixed by the seed and the position, so that one thread
        // repeats exactly.
        Random rng(options_.seed ^ (0x9E3779B97F4A7C15ull * (rootGame_.moves().size() + 1)) ^
                   (0xD1B54A32D192ED03ull * static_cast<std::uint64_t>(index + 1)));
        std::vector<Simulation> batch(inFlightPerWorker());
        try {
            auto nextReport = std::chrono::steady_clock::now() + control_.reportEvery;
            while (!stopped()) {
                std::size_t started = 0;
                while (started < batch.size() && !stopped() &&
                       started_.fetch_add(1, std::memory_order_relaxed) < options_.visits) {
                    if (!select(batch[started], rng)) {
                        started_.fetch_sub(1, std::memory_order_relaxed);
                        break;
                    }
                    ++started;
                }
                if (started == 0) {
                    if (started_.load(std::memory_order_relaxed) >= options_.visits) break;
                    // Every leaf this worker could reach waits on another worker's network
                    // call: let it finish.
                    std::this_thread::yield();
                    continue;
                }
                // The rollouts run while the inference thread works on the batch.
                for (std::size_t i = 0; i < started; ++i) rollOut(batch[i], rng);
                for (std::size_t i = 0; i < started; ++i) finish(batch[i]);
                if (index != 0) continue;
                // One worker reports and judges, so that reports come in order.
                if (control_.stopWhenDecided && decided()) finished_ = true;
                if (control_.report && std::chrono::steady_clock::now() >= nextReport) {
                    control_.report(summarise());
                    nextReport = std::chrono::steady_clock::now() + control_.reportEvery;
                }
            }
        } catch (...) {
            std::lock_guard lock(failureMutex_);
            if (!failure_) failure_ = std::current_exception();
            finished_ = true;
        }
    }

    // Walks down by PUCT to a leaf, adding virtual loss, and expands it or asks the networks
    // as its turn has come. False (and nothing left behind) when the leaf is already waiting
    // on another simulation's network call: a second request would only repeat it.
    bool select(Simulation& s, Random& rng) {
        s.game = rootGame_;
        s.context = rootContext_;
        s.path.assign(1, &root_);
        s.expanded = false;
        s.value = 0;
        s.valueKnown = false;
        s.margin = 0;
        s.evaluation = {};
        Node* node = &root_;
        // The score the root expects, for the player choosing at each step down.
        double scoreCenter = root_.visits() > 0 ? -root_.marginSum() / root_.visits() : 0;
        // The root always takes a step, so that a search after two passes still visits moves.
        while (node->isExpanded() && (node == &root_ || !s.game.isOver())) {
            Node& child = selectChild(*node, options_.selection, scoreCenter);
            scoreCenter = -scoreCenter;
            child.addVirtualLoss(options_.virtualLoss);
            const Move move{s.game.toMove(), child.move()};
            if (rolloutPolicy_) s.context = nets::contextAfter(s.game.board(), move, s.context);
            s.game.play(move);
            s.path.push_back(&child);
            node = &child;
        }
        if (s.game.isOver()) {
            const double blackMargin = trompTaylorScore(s.game.board(), s.game.areaKomi()).margin();
            s.value = outcomeFor(s.game.toMove(), blackMargin);
            s.margin = marginFor(s.game.toMove(), blackMargin);
            s.valueKnown = true;
            return true;
        }
        if (options_.virtualLoss > 0 && node->virtualLoss() > options_.virtualLoss && !node->isExpanded()) {
            for (std::size_t i = 1; i < s.path.size(); ++i) s.path[i]->addVirtualLoss(-options_.virtualLoss);
            return false;
        }
        s.expanded = node->visits() >= options_.expansionThreshold &&
                     nodes_.load(std::memory_order_relaxed) < options_.maxNodes && node->tryClaimExpansion();
        if (s.expanded) {
            const std::vector<ChildPrior> children = cheapPriors(s.game, rolloutPolicy_, s.context);
            node->expand(children);
            nodes_ += children.size();
        }
        const bool wantsPolicy = s.expanded && wantsPolicyNetwork();
        if (wantsValueNetwork() || wantsPolicy)
            s.evaluation = evaluator_->submit(s.game, nets::randomSymmetry(rng),
                                              wantsPolicy ? nets::Outputs::PolicyAndValue : nets::Outputs::ValueOnly);
        return true;
    }

    // The rollout's share of a leaf's value: lambda, or all of it without a value network.
    double rolloutShare() const { return wantsValueNetwork() ? options_.lambda : 1.0; }

    void rollOut(Simulation& s, Random& rng) {
        if (s.valueKnown) return;
        const double lambda = rolloutShare();
        if (lambda == 0) return;
        Board board = s.game.board();
        const PlayoutResult rollout =
            rolloutPolicy_ ? nets::rolloutPlayout(*rolloutPolicy_, board, s.game.toMove(), s.game.areaKomi(), rng,
                                                  s.context, options_.rollout)
                           : lightPlayout(board, s.game.toMove(), s.game.areaKomi(), rng);
        s.value = lambda * outcomeFor(s.game.toMove(), rollout.margin);
        s.margin = marginFor(s.game.toMove(), rollout.margin);
    }

    void finish(Simulation& s) {
        if (s.evaluation.valid()) {
            const nets::Evaluation evaluation = s.evaluation.get();
            if (s.expanded && wantsPolicyNetwork()) setNetworkPriors(*s.path.back(), s.game, evaluation);
            if (wantsValueNetwork() && evaluation.value) s.value += (1 - options_.lambda) * *evaluation.value;
        }
        // Each node keeps values for the player who moved into it: the leaf's mover is the
        // opponent of the player to move there, and the sign flips at every ply up.
        double v = -s.value;
        auto margin = static_cast<float>(-s.margin);
        for (std::size_t i = s.path.size(); i-- > 0; v = -v, margin = -margin) {
            s.path[i]->addMargin(margin);
            s.path[i]->backup(v, i == 0 ? 0 : options_.virtualLoss);
        }
    }

    static void setNetworkPriors(Node& node, const Game& game, const nets::Evaluation& evaluation) {
        const std::span<Node> children = node.children();
        std::vector<ChildPrior> priors;
        priors.reserve(children.size());
        for (const Node& child : children) priors.push_back({child.move(), child.prior()});
        applyPolicy(priors, evaluation, game.geometry());
        for (std::size_t i = 0; i < children.size(); ++i) children[i].setPrior(priors[i].prior);
    }

    // True when the runner-up cannot catch the most visited move with the simulations left,
    // judging the time left by the rate so far. Simulations under way count as left: any of
    // them may still land on the runner-up.
    bool decided() const {
        int first = 0, second = 0;
        for (const Node& child : root_.children()) {
            const int n = child.visits();
            if (n > first) {
                second = first;
                first = n;
            } else if (n > second) {
                second = n;
            }
        }
        const int runVisits = root_.visits() - reusedVisitsAtStart_;
        double left = std::max(0, options_.visits - runVisits);
        if (control_.deadline) {
            const double elapsed = secondsSoFar();
            const double remaining =
                std::chrono::duration<double>(*control_.deadline - std::chrono::steady_clock::now()).count();
            // started_ also counts the claims refused past the visit limit, which start nothing.
            const int started = std::min(started_.load(std::memory_order_relaxed), options_.visits);
            const int inFlight = std::max(0, started - runVisits);
            if (elapsed > 0 && runVisits > 0)
                left = std::min(left, inFlight + runVisits / elapsed * std::max(0.0, remaining));
        }
        return first - second > left;
    }

    SearchResult summarise() const {
        SearchResult result;
        for (const Node& child : root_.children()) {
            MoveStatistics stats;
            stats.move = child.move();
            stats.visits = child.visits();
            stats.q = child.visits() ? child.valueSum() / child.visits() : 0;
            stats.prior = child.prior();
            if (rolloutShare() > 0 && child.visits()) stats.scoreLead = child.marginSum() / child.visits();
            stats.principalVariation = principalVariation(child);
            result.visits += stats.visits;
            result.moves.push_back(std::move(stats));
        }
        // The root's own count: children miss the visits it had as a leaf before expansion.
        result.visits = root_.visits() - reusedVisitsAtStart_;
        std::stable_sort(result.moves.begin(), result.moves.end(), [](const MoveStatistics& a, const MoveStatistics& b) {
            return a.visits != b.visits ? a.visits > b.visits : a.prior > b.prior;
        });
        result.nodes = nodes_.load();
        return result;
    }

    const SearchOptions& options_;
    nets::BatchedEvaluator* evaluator_;
    const nets::RolloutPolicy* rolloutPolicy_;
    Node& root_;
    const Game& rootGame_;
    const nets::RolloutContext rootContext_;
    const SearchControl& control_;
    std::atomic<int> started_{0};
    std::atomic<bool> finished_{false};
    std::atomic<bool> workersLaunched_{false};
    std::atomic<int> workersDone_{0};
    std::atomic<std::size_t> nodes_;
    const std::chrono::steady_clock::time_point start_;
    const int reusedVisitsAtStart_ = root_.visits();
    std::mutex failureMutex_;
    std::exception_ptr failure_;
};

// The moves that lead from `from` to `to` when `to` continues `from`'s game, else nullopt.
std::optional<std::vector<Move>> movesSince(const Game& from, const Game& to) {
    const std::vector<Move>& earlier = from.moves();
    const std::vector<Move>& later = to.moves();
    if (from.size() != to.size() || from.komi() != to.komi() || !(from.rules() == to.rules()) ||
        from.handicap() != to.handicap() || earlier.size() > later.size() ||
        !std::equal(earlier.begin(), earlier.end(), later.begin()))
        return std::nullopt;
    // Same moves from different setups (loadsgf, free handicap) reach different positions.
    Game replayed = from;
    std::vector<Move> since(later.begin() + static_cast<std::ptrdiff_t>(earlier.size()), later.end());
    for (const Move& m : since)
        if (replayed.play(m) != Legality::Legal) return std::nullopt;
    if (replayed.board().hash() != to.board().hash()) return std::nullopt;
    return since;
}

}  // namespace

Search::Search(const SearchOptions& options, nets::BatchedEvaluator* evaluator, const nets::RolloutPolicy* rolloutPolicy)
    : evaluator_(evaluator), rolloutPolicy_(rolloutPolicy) {
    setOptions(options);
}

Search::~Search() = default;

void Search::setOptions(const SearchOptions& options) {
    if (options.visits < 1) throw std::invalid_argument("visits must be at least 1");
    if (options.threads < 1) throw std::invalid_argument("threads must be at least 1");
    if (options.lambda < 0 || options.lambda > 1) throw std::invalid_argument("lambda must be in [0, 1]");
    if (options.virtualLoss < 0) throw std::invalid_argument("virtual loss must not be negative");
    if (options.simulationsInFlight < 1) throw std::invalid_argument("simulations in flight must be at least 1");
    if (options.expansionThreshold < 0) throw std::invalid_argument("expansion threshold must not be negative");
    if (options.selection.scoreUtility < 0) throw std::invalid_argument("the score utility must not be negative");
    if (options.selection.scoreScale <= 0) throw std::invalid_argument("the score scale must be positive");
    if (options.temperature < 0) throw std::invalid_argument("temperature must not be negative");
    if (options.maxNodes < 1) throw std::invalid_argument("the node limit must be at least 1");
    options_ = options;
}

void Search::clear() {
    root_.reset();
    rootGame_.reset();
}

void Search::moveRootTo(const Game& game) {
    // Noise belongs to one search's root; a reused root would carry the last one's.
    std::optional<std::vector<Move>> since;
    if (root_ && rootGame_ && options_.dirichletEpsilon == 0) since = movesSince(*rootGame_, game);
    bool reusable = since.has_value();
    // The tree alternates colours from its root's player; moves out of turn leave it.
    Color toMove = reusable ? rootGame_->toMove() : Color::Black;
    for (std::size_t i = 0; reusable && i < since->size(); ++i) {
        const Move& m = (*since)[i];
        Node* next = nullptr;
        if (m.color == toMove && root_->isExpanded())
            for (Node& child : root_->children())
                if (child.move() == m.point) next = &child;
        if (next) {
            root_ = Node::detach(*next);
            toMove = opponent(toMove);
        } else {
            reusable = false;
        }
    }
    if (!reusable || toMove != game.toMove()) root_ = std::make_unique<Node>();
    rootGame_ = game;
}

SearchResult Search::run(const Game& game, const SearchControl& control) {
    if (evaluator_ && evaluator_->boardSize() != game.size())
        throw std::invalid_argument("the networks are for another board size");
    moveRootTo(game);
    SearchRun searchRun(options_, evaluator_, rolloutPolicy_, *root_, *rootGame_, countNodes(*root_), control);
    try {
        return searchRun.run();
    } catch (...) {
        // Simulations cut short leave virtual loss and half-claimed expansions in the tree:
        // the next search must not reuse it.
        clear();
        throw;
    }
}

}  // namespace tengen::mcts

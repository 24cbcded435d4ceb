#pragma once
// Network evaluation shared by many threads: MCTS workers and concurrent self-play games
// submit positions, one inference thread runs them through the networks in batches, and
// each caller gets its position's policy and value back.
//
// Batching is what makes a CPU (or GPU) network fast: a batch of 16 costs far less than 16
// single evaluations. The price is latency: the inference thread waits up to maxWait for a
// batch to fill. Callers extract features on their own threads (a few microseconds each), so
// the inference thread does little but copy inputs in and results out.
//
//   BatchedEvaluator evaluator(loadModel(policyFile), loadModel(valueFile), options);
//   Evaluation e = evaluator.evaluate(game, randomSymmetry(rng));   // blocks
//   std::future<Evaluation> later = evaluator.submit(game);          // does not

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "go/game.h"
#include "go/random.h"
#include "nets/evaluation.h"
#include "nets/evaluation_cache.h"
#include "nets/model_file.h"
#include "nets/precision.h"
#include "nets/symmetry.h"

namespace tengen::nets {

struct EvaluatorOptions {
    // Most positions in one forward pass.
    int maxBatch = 16;
    // Longest the oldest queued request waits for a batch to fill before it runs anyway.
    std::chrono::microseconds maxWait{1000};
    // Evaluations remembered (each about 1.5 KB on 19x19); 0 turns the cache off.
    std::size_t cacheEntries = 1 << 15;
    std::string device = "cpu";  // "cpu", "cuda" or "cuda:N"
    // Torch intra-op threads used by the inference thread's forward passes.
    int threads = 1;
    // Nothing: time both on this machine at start-up and keep the faster (--precision auto).
    std::optional<Precision> precision = Precision::Float32;
    // Every forward pass over maxBatch rows, however few positions are waiting. A position's
    // outputs differ in their last bits with the shape of the batch it shares (the BLAS
    // kernels differ by size), so results that must not depend on which positions were
    // batched together (self-play shards that replay byte for byte) pay for the padding.
    bool fixedBatchShape = false;
};

// A snapshot of the counters; the difference of two snapshots covers the time between them.
struct EvaluatorStatistics {
    std::uint64_t requests = 0;    // evaluations asked for
    std::uint64_t cacheHits = 0;   // answered from the cache
    std::uint64_t evaluated = 0;   // positions that went through the networks
    std::uint64_t batches = 0;     // forward passes
    double waitingSeconds = 0;     // inference thread idle or waiting for a batch to fill
    double networkSeconds = 0;     // in the networks' forward passes, transfers included
    double preparingSeconds = 0;   // copying queued features into the input tensor
    double deliveringSeconds = 0;  // softmax, symmetry, cache and waking each caller
    int maxBatch = 0;
    std::size_t cacheSize = 0;     // entries held now

    double meanBatchSize() const { return batches ? static_cast<double>(evaluated) / batches : 0; }
    // Mean batch size as a fraction of maxBatch.
    double meanBatchFill() const { return maxBatch ? meanBatchSize() / maxBatch : 0; }
    double cacheHitRate() const { return requests ? static_cast<double>(cacheHits) / requests : 0; }
};
EvaluatorStatistics operator-(const EvaluatorStatistics& later, const EvaluatorStatistics& earlier);

// What a caller needs back. A search leaf that is not being expanded needs only its value:
// leaving the policy network out for it saves a forward pass per new leaf when the search
// mixes in the value network.
enum class Outputs { PolicyAndValue, ValueOnly };

class BatchedEvaluator {
public:
    // Either model may be absent (but not both); a policy model must hold a policy network and a
    // value model a value network, for the same board size. The evaluator runs its own copy of
    // the weights, so converting them to bf16 or moving them to a GPU leaves the caller's models
    // alone. Throws std::invalid_argument for mismatched models or bad options.
    BatchedEvaluator(const std::optional<Model>& policy, const std::optional<Model>& value,
                     const EvaluatorOptions& options = {});
    // Finishes the requests already queued, then stops the inference thread.
    ~BatchedEvaluator();
    BatchedEvaluator(const BatchedEvaluator&) = delete;
    BatchedEvaluator& operator=(const BatchedEvaluator&) = delete;

    // Queues the position as the networks see it through `symmetry`; the policy comes back
    // mapped to the position's own orientation. Features are extracted on the calling thread.
    // A cache hit returns a future that is already ready. The game must have the networks'
    // board size (std::invalid_argument otherwise). If the networks fail (say, out of GPU
    // memory), the future rethrows the error. ValueOnly leaves the policy empty, unless there
    // is no value network (then the policy is all there is to ask for).
    std::future<Evaluation> submit(const Game& game, Symmetry symmetry = Symmetry::Identity,
                                   Outputs outputs = Outputs::PolicyAndValue);
    // submit(game, symmetry).get(): blocks until the batch holding the position has run.
    Evaluation evaluate(const Game& game, Symmetry symmetry = Symmetry::Identity);
    // Through a symmetry drawn from rng, as play-time evaluation does to average out the
    // networks' orientation biases.
    Evaluation evaluate(const Game& game, Random& rng);

    EvaluatorStatistics statistics() const;
    int boardSize() const { return boardSize_; }
    bool hasPolicy() const { return static_cast<bool>(policy_.policy); }
    bool hasValue() const { return static_cast<bool>(value_.value); }
    const EvaluatorOptions& options() const { return options_; }
    Precision precision() const { return precision_; }  // as chosen when the options left it open

private:
    struct Request {
        EvaluationKey key;
        Symmetry symmetry = Symmetry::Identity;
        bool wantsPolicy = true;
        std::vector<float> features;     // seen through the symmetry, as the networks take them
        std::vector<std::uint8_t> legal;  // legalMoveMask, in the position's own orientation
        std::promise<Evaluation> result;
        std::chrono::steady_clock::time_point queued;
    };

    void serve();
    // Blocks until there is work; returns an empty batch when stopping with nothing left.
    std::vector<Request> nextBatch();
    void run(std::vector<Request>& batch);
    void deliver(std::vector<Request>& batch, const torch::Tensor& logits, const torch::Tensor& values);

    EvaluatorOptions options_;
    torch::Device device_;
    Precision precision_ = Precision::Float32;
    Model policy_, value_;  // holders empty when absent
    int boardSize_ = 0;
    // Features are extracted once per position, in `extracted`; each network reads its planes
    // from it (the value network's set extends the policy network's by one plane, so one
    // extraction usually serves both).
    std::vector<FeatureSet> extracted_;
    int inputPlanes_ = 0;
    int valueFirstPlane_ = 0;  // the policy network's planes always come first

    EvaluationCache cache_;
    // Inputs are gathered here, allocated once: a fresh tensor per batch costs page faults.
    torch::Tensor staging_;

    // The queue is a deque under a mutex with a condition variable rather than a lock-free
    // queue: gathering a batch needs a wait with a deadline ("up to maxWait"), which a
    // condition variable gives directly; the lock is held for a push or a few pops, tens of
    // nanoseconds against the microseconds each caller spends extracting features, so it
    // does not contend.
    std::mutex queueMutex_;
    std::condition_variable queueChanged_;
    std::deque<Request> queue_;
    bool stopping_ = false;

    std::atomic<std::uint64_t> requests_{0}, evaluated_{0}, batches_{0};
    std::atomic<std::int64_t> waitingNanos_{0}, networkNanos_{0}, preparingNanos_{0}, deliveringNanos_{0};

    std::thread inference_;  // last: starts after everything it uses is constructed
};

// One of the eight symmetries, uniformly.
Symmetry randomSymmetry(Random& rng);

}  // namespace tengen::nets

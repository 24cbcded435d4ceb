#include "nets/batched_evaluator.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "nets/device.h"
#include "nets/precision_choice.h"

namespace tengen::nets {

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t nanosSince(Clock::time_point start, Clock::time_point end = Clock::now()) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count();
}

// Whether features of `wider` begin with all the planes of `narrower`, so that one
// extraction serves networks of both sets.
bool extendsPlanes(FeatureSet wider, FeatureSet narrower) {
    return wider == narrower || (wider == FeatureSet::AlphaGoValue && narrower == FeatureSet::AlphaGoPolicy);
}

}  // namespace

EvaluatorStatistics operator-(const EvaluatorStatistics& later, const EvaluatorStatistics& earlier) {
    EvaluatorStatistics d = later;
    d.requests -= earlier.requests;
    d.cacheHits -= earlier.cacheHits;
    d.evaluated -= earlier.evaluated;
    d.batches -= earlier.batches;
    d.waitingSeconds -= earlier.waitingSeconds;
    d.networkSeconds -= earlier.networkSeconds;
    d.preparingSeconds -= earlier.preparingSeconds;
    d.deliveringSeconds -= earlier.deliveringSeconds;
    return d;
}

BatchedEvaluator::BatchedEvaluator(const std::optional<Model>& policy, const std::optional<Model>& value,
                                   const EvaluatorOptions& options)
    : options_(options), device_(parseDevice(options.device)), cache_(options.cacheEntries) {
    if (!policy && !value) throw std::invalid_argument("the evaluator needs a policy model, a value model or both");
    if (options.maxBatch < 1) throw std::invalid_argument("maxBatch must be at least 1");
    if (options.threads < 1) throw std::invalid_argument("threads must be at least 1");
    if (options.maxWait.count() < 0) throw std::invalid_argument("maxWait must not be negative");
    if (policy && !policy->policy) throw std::invalid_argument("the policy model holds a value network");
    if (value && !value->value) throw std::invalid_argument("the value model holds a policy network");
    if (policy && value && policy->metadata.shape.boardSize != value->metadata.shape.boardSize)
        throw std::invalid_argument(fmt::format("the policy network is for {0}x{0} and the value network for {1}x{1}",
                                                policy->metadata.shape.boardSize, value->metadata.shape.boardSize));

    if (options.precision) {
        precision_ = *options.precision;
    } else {
        const PrecisionTiming timing = timePrecisions(policy ? *policy : *value, device_, options.maxBatch, options.threads);
        precision_ = timing.faster;
        spdlog::info("precision auto: {} (a batch of {} took {:.2f} ms in fp32, {:.2f} ms in bf16)",
                     precisionName(precision_), options.maxBatch, timing.float32Seconds * 1e3,
                     timing.bfloat16Seconds * 1e3);
    }
    const torch::Dtype dtype = dtypeOf(precision_);
    auto adopt = [&](const std::optional<Model>& source, Model& target) {
        if (!source) return;
        target = copyModel(*source);
        target.module().to(device_, dtype);
        target.module().eval();
        boardSize_ = target.metadata.shape.boardSize;
    };
    adopt(policy, policy_);
    adopt(value, value_);

    const FeatureSet policySet = policy_.metadata.shape.features, valueSet = value_.metadata.shape.features;
    if (!hasValue()) {
        extracted_ = {policySet};
    } else if (!hasPolicy()) {
        extracted_ = {valueSet};
    } else if (extendsPlanes(valueSet, policySet)) {
        extracted_ = {valueSet};
    } else if (extendsPlanes(policySet, valueSet)) {
        extracted_ = {policySet};
    } else {
        extracted_ = {policySet, valueSet};
        valueFirstPlane_ = planeCount(policySet);
    }
    for (FeatureSet set : extracted_) inputPlanes_ += planeCount(set);
    // Zeros, not garbage: with a fixed batch shape the rows past a batch's end are run too.
    staging_ = torch::zeros({options.maxBatch, inputPlanes_, boardSize_, boardSize_}, torch::kFloat);

    inference_ = std::thread([this] { serve(); });
}

BatchedEvaluator::~BatchedEvaluator() {
    {
        std::lock_guard lock(queueMutex_);
        stopping_ = true;
    }
    queueChanged_.notify_all();
    inference_.join();
}

std::future<Evaluation> BatchedEvaluator::submit(const Game& game, Symmetry symmetry, Outputs outputs) {
    if (game.size() != boardSize_)
        throw std::invalid_argument(
            fmt::format("a {0}x{0} position for networks of {1}x{1}", game.size(), boardSize_));
    requests_.fetch_add(1, std::memory_order_relaxed);
    const std::size_t area = static_cast<std::size_t>(boardSize_) * boardSize_;
    std::vector<float> features(inputPlanes_ * area);
    std::size_t offset = 0;
    for (FeatureSet set : extracted_) {
        extractFeatures(game, set, features.data() + offset);
        offset += featureSize(set, boardSize_);
    }
    Request request;
    request.symmetry = symmetry;
    request.wantsPolicy = hasPolicy() && (outputs == Outputs::PolicyAndValue || !hasValue());
    // Both feature sets are AlphaGo's, whose planes already know the legal moves.
    request.legal = legalMoveMaskFromFeatures(features, boardSize_);
    request.key = evaluationKey(game, request.legal, symmetry, request.wantsPolicy);
    // A hit has paid for the features for nothing, but a hit is rarer than a miss, and the
    // key must see legality (ko, superko), which costs about as much as the features.
    if (std::optional<Evaluation> cached = cache_.find(request.key)) {
        std::promise<Evaluation> ready;
        ready.set_value(std::move(*cached));
        return ready.get_future();
    }
    if (symmetry == Symmetry::Identity) {
        request.features = std::move(features);
    } else {
        request.features.resize(features.size());
        transformPlanes(symmetry, features.data(), request.features.data(), inputPlanes_, boardSize_);
    }

    std::future<Evaluation> result = request.result.get_future();
    bool wake = false;
    {
        std::lock_guard lock(queueMutex_);
        if (stopping_) throw std::logic_error("the evaluator is shutting down");
        request.queued = Clock::now();
        queue_.push_back(std::move(request));
        // The inference thread waits for a first request, then for a full batch: only those
        // two moments can end its wait.
        wake = queue_.size() == 1 || queue_.size() >= static_cast<std::size_t>(options_.maxBatch);
    }
    if (wake) queueChanged_.notify_one();
    return result;
}

Evaluation BatchedEvaluator::evaluate(const Game& game, Symmetry symmetry) { return submit(game, symmetry).get(); }

Evaluation BatchedEvaluator::evaluate(const Game& game, Random& rng) { return evaluate(game, randomSymmetry(rng)); }

EvaluatorStatistics BatchedEvaluator::statistics() const {
    EvaluatorStatistics s;
    s.requests = requests_.load(std::memory_order_relaxed);
    s.cacheHits = cache_.hits();
    s.evaluated = evaluated_.load(std::memory_order_relaxed);
    s.batches = batches_.load(std::memory_order_relaxed);
    s.waitingSeconds = static_cast<double>(waitingNanos_.load(std::memory_order_relaxed)) * 1e-9;
    s.networkSeconds = static_cast<double>(networkNanos_.load(std::memory_order_relaxed)) * 1e-9;
    s.preparingSeconds = static_cast<double>(preparingNanos_.load(std::memory_order_relaxed)) * 1e-9;
    s.deliveringSeconds = static_cast<double>(deliveringNanos_.load(std::memory_order_relaxed)) * 1e-9;
    s.maxBatch = options_.maxBatch;
    s.cacheSize = cache_.size();
    return s;
}

void BatchedEvaluator::serve() {
    // Torch's intra-op thread count is per calling thread (OpenMP), so it is set here.
    setTorchThreads(options_.threads);
    c10::InferenceMode inference;
    while (true) {
        const Clock::time_point idle = Clock::now();
        std::vector<Request> batch = nextBatch();
        waitingNanos_.fetch_add(nanosSince(idle), std::memory_order_relaxed);
        if (batch.empty()) return;
        run(batch);
    }
}

std::vector<BatchedEvaluator::Request> BatchedEvaluator::nextBatch() {
    const std::size_t maxBatch = static_cast<std::size_t>(options_.maxBatch);
    std::vector<Request> batch;
    std::unique_lock lock(queueMutex_);
    queueChanged_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return batch;  // stopping, and nothing left to do
    // The deadline counts from the oldest request's arrival: requests that queued up while the
    // networks were busy have waited already and go at once.
    const Clock::time_point deadline = queue_.front().queued + options_.maxWait;
    queueChanged_.wait_until(lock, deadline, [&] { return stopping_ || queue_.size() >= maxBatch; });
    const std::size_t count = std::min(queue_.size(), maxBatch);
    batch.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
    }
    return batch;
}

void BatchedEvaluator::run(std::vector<Request>& batch) {
    const Clock::time_point start = Clock::now();
    const std::int64_t n = static_cast<std::int64_t>(batch.size());
    // Padding rows hold whatever an earlier batch left: their outputs are never read.
    const torch::Tensor input = options_.fixedBatchShape ? staging_ : staging_.narrow(0, 0, n);
    float* data = input.data_ptr<float>();
    const std::size_t perPosition = static_cast<std::size_t>(inputPlanes_) * boardSize_ * boardSize_;
    for (std::int64_t i = 0; i < n; ++i)
        std::copy(batch[i].features.begin(), batch[i].features.end(), data + i * perPosition);
    const Clock::time_point prepared = Clock::now();

    torch::Tensor logits, values;
    try {
        const torch::Tensor x = input.to(device_, dtypeOf(precision_));
        auto planes = [&](const Model& model, int first) {
            const int count = model.metadata.shape.inputPlanes();
            return count == inputPlanes_ ? x : x.narrow(1, first, count).contiguous();
        };
        std::vector<std::int64_t> policyRows;
        for (std::int64_t i = 0; i < n; ++i)
            if (batch[i].wantsPolicy) policyRows.push_back(i);
        if (!policyRows.empty()) {
            torch::Tensor policyInput = planes(policy_, 0);
            // A fixed shape runs the policy on every row; deliver reads the rows it needs.
            if (!options_.fixedBatchShape && static_cast<std::int64_t>(policyRows.size()) < n)
                policyInput = policyInput.index_select(0, torch::tensor(policyRows).to(device_));
            logits = policy_.policy->forward(policyInput).to(torch::kCPU, torch::kFloat).contiguous();
        }
        if (value_.value)
            values = value_.value->forward(planes(value_, valueFirstPlane_)).to(torch::kCPU, torch::kFloat).contiguous();
    } catch (...) {
        for (Request& r : batch) r.result.set_exception(std::current_exception());
        return;
    }
    const Clock::time_point computed = Clock::now();
    preparingNanos_.fetch_add(nanosSince(start, prepared), std::memory_order_relaxed);
    networkNanos_.fetch_add(nanosSince(prepared, computed), std::memory_order_relaxed);
    evaluated_.fetch_add(batch.size(), std::memory_order_relaxed);
    batches_.fetch_add(1, std::memory_order_relaxed);
    deliver(batch, logits, values);
    deliveringNanos_.fetch_add(nanosSince(computed), std::memory_order_relaxed);
}

void BatchedEvaluator::deliver(std::vector<Request>& batch, const torch::Tensor& logits, const torch::Tensor& values) {
    const int outputs = boardSize_ * boardSize_ + 1;
    // Logits hold rows only for the requests that want the policy, or, with a fixed batch
    // shape, a row for every request.
    std::size_t policyRow = 0;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        Request& r = batch[i];
        Evaluation e;
        if (options_.fixedBatchShape) policyRow = i;
        if (r.wantsPolicy) {
            e.policy.resize(outputs);
            // Back to the position's own orientation first, where the legal moves are known.
            transformPolicy(inverse(r.symmetry), logits.data_ptr<float>() + policyRow++ * outputs, e.policy.data(),
                            boardSize_, true);
            softmaxOverLegal(e.policy.data(), r.legal, e.policy.data());
        }
        if (values.defined()) e.value = values.data_ptr<float>()[i];
        cache_.insert(r.key, e);
        r.result.set_value(std::move(e));
    }
}

Symmetry randomSymmetry(Random& rng) { return kAllSymmetries[rng.below(kSymmetryCount)]; }

}  // namespace tengen::nets

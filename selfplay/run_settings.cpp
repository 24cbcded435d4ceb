#include "selfplay/run_settings.h"

#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "go/rules.h"

namespace tengen::selfplay {

namespace {

// Reads one section's keys into settings, remembering which it knew, so that what is left
// over can be named as an error.
class Section {
public:
    Section(const toml::table& root, std::string name, const std::filesystem::path& file)
        : name_(std::move(name)), file_(file) {
        if (const toml::node* node = root.get(name_)) {
            table_ = node->as_table();
            if (!table_) fail(name_, "is not a section");
        }
    }

    template <typename T>
    void read(const std::string& key, T& into) {
        known_.insert(key);
        if (!table_) return;
        const toml::node* node = table_->get(key);
        if (!node) return;
        if constexpr (std::is_same_v<T, std::vector<std::string>>) {
            const toml::array* array = node->as_array();
            if (!array) fail(key, "must be an array of strings");
            into.clear();
            for (const toml::node& item : *array) {
                const std::optional<std::string> text = item.value<std::string>();
                if (!text) fail(key, "must be an array of strings");
                into.push_back(*text);
            }
        } else {
            const std::optional<T> value = node->value<T>();
            if (!value) fail(key, "has the wrong type");
            into = *value;
        }
    }

    void finish() const {
        if (!table_) return;
        for (const auto& [key, value] : *table_)
            if (!known_.count(std::string(key.str()))) fail(std::string(key.str()), "is not a setting");
    }

    [[noreturn]] void fail(const std::string& key, const std::string& why) const {
        throw std::invalid_argument(fmt::format("{}: [{}] {} {}", file_.string(), name_, key, why));
    }

private:
    std::string name_;
    const std::filesystem::path& file_;
    const toml::table* table_ = nullptr;
    std::set<std::string> known_;
};

std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string quotedList(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + quoted(items[i]);
    return out + "]";
}

}  // namespace

int RunSettings::gamesForWorker(int worker) const {
    if (worker < 0 || worker >= workers) return 0;
    return gamesPerGeneration / workers + (worker < gamesPerGeneration % workers ? 1 : 0);
}

RunSettings readRunSettings(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw std::invalid_argument(fmt::format("cannot read {}", file.string()));
    std::stringstream text;
    text << in.rdbuf();
    return parseRunSettings(text.str(), file);
}

RunSettings parseRunSettings(const std::string& text, const std::filesystem::path& file) {
    toml::table root;
    try {
        root = toml::parse(text, file.string());
    } catch (const toml::parse_error& e) {
        throw std::invalid_argument(fmt::format("{}: line {}: {}", file.string(), e.source().begin.line, e.description()));
    }
    for (const auto& [key, value] : root)
        if (key != "run" && key != "learning" && key != "evaluation" && key != "slurm" && key != "kubernetes")
            throw std::invalid_argument(fmt::format("{}: [{}] is not a section (run, learning, evaluation, slurm, "
                                                    "kubernetes)",
                                                    file.string(), key.str()));
    RunSettings s;
    Section run(root, "run", file);
    run.read("board_size", s.boardSize);
    run.read("komi", s.komi);
    run.read("rules", s.rules);
    run.read("workers", s.workers);
    run.read("games_per_generation", s.gamesPerGeneration);
    run.read("games_per_shard", s.gamesPerShard);
    run.read("temperature", s.temperature);
    run.read("pool_latest", s.poolLatest);
    std::int64_t seed = static_cast<std::int64_t>(s.seed);
    run.read("seed", seed);
    s.seed = static_cast<std::uint64_t>(seed);
    run.read("tengen", s.tengen);
    run.read("threads", s.threads);
    run.finish();

    Section learning(root, "learning", file);
    std::string baseline = nets::baselineName(s.learner.baseline);
    learning.read("baseline", baseline);
    learning.read("games_per_step", s.gamesPerStep);
    learning.read("entropy", s.learner.entropyWeight);
    learning.read("moves_per_game", s.learner.movesPerGame);
    learning.read("optimizer", s.learner.optimizer.kind);
    learning.read("lr", s.learner.optimizer.learningRate);
    learning.read("momentum", s.learner.optimizer.momentum);
    learning.read("critic_lr", s.learner.criticOptimizer.learningRate);
    learning.read("clip", s.learner.clipNorm);
    learning.read("max_lag", s.maxLag);
    learning.read("importance_clip", s.learner.importanceClip);
    learning.finish();
    const std::optional<nets::Baseline> parsed = nets::parseBaseline(baseline);
    if (!parsed || *parsed == nets::Baseline::Greedy)
        learning.fail("baseline", "must be none, mean or value (greedy needs paired games, which workers do not play)");
    s.learner.baseline = *parsed;

    Section evaluation(root, "evaluation", file);
    evaluation.read("games", s.evaluation.games);
    evaluation.read("opponent", s.evaluation.opponent);
    evaluation.read("greedy", s.evaluation.greedy);
    evaluation.finish();

    Section slurm(root, "slurm", file);
    slurm.read("partition", s.slurm.partition);
    slurm.read("account", s.slurm.account);
    slurm.read("time", s.slurm.time);
    slurm.read("cpus_per_task", s.slurm.cpusPerTask);
    slurm.read("memory", s.slurm.memory);
    slurm.read("extra", s.slurm.extra);
    slurm.finish();

    Section kubernetes(root, "kubernetes", file);
    kubernetes.read("image", s.kubernetes.image);
    kubernetes.read("claim", s.kubernetes.claim);
    kubernetes.read("mount_path", s.kubernetes.mountPath);
    kubernetes.read("cpu", s.kubernetes.cpu);
    kubernetes.read("memory", s.kubernetes.memory);
    kubernetes.read("namespace", s.kubernetes.nameSpace);
    kubernetes.finish();

    if (s.workers < 1) run.fail("workers", "must be at least 1");
    if (s.gamesPerGeneration < s.workers) run.fail("games_per_generation", "must be at least one per worker");
    // Workers play a shard's games in one call, the learner taking Black in every other one.
    if (s.gamesPerShard < 2 || s.gamesPerShard % 2 != 0)
        run.fail("games_per_shard", "must be even, so that the learner takes each colour in half of a shard's games");
    if (s.temperature != 1)
        run.fail("temperature", "must be 1: REINFORCE needs the learner to draw its moves from its policy as it is");
    if (!Rules::fromSpec(s.rules)) run.fail("rules", fmt::format("'{}' are not rules Tengen knows", s.rules));
    if (s.threads < 1) run.fail("threads", "must be at least 1");
    if (s.boardSize < 2 || s.boardSize > 25) run.fail("board_size", "must be 2 to 25");
    if (s.gamesPerStep < 1) learning.fail("games_per_step", "must be at least 1");
    if (s.maxLag < 0) learning.fail("max_lag", "must not be negative");
    if (s.maxLag > 0 && !(s.learner.importanceClip > 0))
        learning.fail("importance_clip", "must be positive when max_lag is: older models' games need importance weights");
    if (s.evaluation.games < 0 || s.evaluation.games % 2 != 0)
        evaluation.fail("games", "must be even (each model takes Black in half), or 0 for none");
    if (s.evaluation.opponent != "previous" && s.evaluation.opponent != "start")
        evaluation.fail("opponent", "must be \"previous\" or \"start\"");
    if (s.slurm.cpusPerTask < 1) slurm.fail("cpus_per_task", "must be at least 1");
    try {
        checkLearnerSettings(s.learner);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(fmt::format("{}: [learning] {}", file.string(), e.what()));
    }
    return s;
}

std::string toToml(const RunSettings& s) {
    const LearnerSettings& l = s.learner;
    return fmt::format(
        "# A Tengen cluster run (tengen run). Edit, then run `tengen run status` to check it reads.\n"
        "[run]\n"
        "board_size = {}\nkomi = {}\nrules = {}\nworkers = {}\ngames_per_generation = {}\ngames_per_shard = {}\n"
        "temperature = {}\npool_latest = {}\nseed = {}\ntengen = {}\nthreads = {}\n\n"
        "[learning]\n"
        "baseline = {}\ngames_per_step = {}\nentropy = {}\nmoves_per_game = {}\noptimizer = {}\nlr = {}\n"
        "momentum = {}\ncritic_lr = {}\nclip = {}\nmax_lag = {}\nimportance_clip = {}\n\n"
        "[evaluation]\n"
        "games = {}\nopponent = {}\ngreedy = {}\n\n"
        "[slurm]\n"
        "partition = {}\naccount = {}\ntime = {}\ncpus_per_task = {}\nmemory = {}\nextra = {}\n\n"
        "[kubernetes]\n"
        "image = {}\nclaim = {}\nmount_path = {}\ncpu = {}\nmemory = {}\nnamespace = {}\n",
        s.boardSize, s.komi, quoted(s.rules), s.workers, s.gamesPerGeneration, s.gamesPerShard, s.temperature,
        s.poolLatest, static_cast<std::int64_t>(s.seed), quoted(s.tengen), s.threads, quoted(nets::baselineName(l.baseline)),
        s.gamesPerStep, l.entropyWeight, l.movesPerGame, quoted(l.optimizer.kind), l.optimizer.learningRate,
        l.optimizer.momentum, l.criticOptimizer.learningRate, l.clipNorm, s.maxLag, l.importanceClip,
        s.evaluation.games, quoted(s.evaluation.opponent), s.evaluation.greedy, quoted(s.slurm.partition),
        quoted(s.slurm.account), quoted(s.slurm.time), s.slurm.cpusPerTask, quoted(s.slurm.memory),
        quotedList(s.slurm.extra), quoted(s.kubernetes.image), quoted(s.kubernetes.claim),
        quoted(s.kubernetes.mountPath), quoted(s.kubernetes.cpu), quoted(s.kubernetes.memory),
        quoted(s.kubernetes.nameSpace));
}

}  // namespace tengen::selfplay

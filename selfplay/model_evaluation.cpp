#include "selfplay/model_evaluation.h"

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "go/atomic_file.h"
#include "nets/device.h"
#include "selfplay/file_lock.h"
#include "selfplay/policy_match.h"

namespace tengen::selfplay {

namespace {

constexpr const char* kHeader = "model,opponent,games,wins,losses,draws,seconds";

std::filesystem::path evaluationFile(const RunDirectory& run) { return run.trainDirectory() / "evaluation.csv"; }

void writeEvaluations(const RunDirectory& run, const std::map<int, ModelEvaluation>& rows) {
    std::string text = std::string(kHeader) + "\n";
    for (const auto& [model, e] : rows)
        text += fmt::format("{},{},{},{},{},{},{:.1f}\n", e.model, e.opponent, e.wins + e.losses + e.draws, e.wins,
                            e.losses, e.draws, e.seconds);
    writeFileAtomically(evaluationFile(run), text);
}

}  // namespace

std::map<int, ModelEvaluation> readEvaluations(const RunDirectory& run) {
    std::map<int, ModelEvaluation> rows;
    std::ifstream in(evaluationFile(run));
    if (!in) return rows;
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        if (++number == 1) continue;  // the header
        ModelEvaluation e;
        int games = 0;
        char c[6];
        std::istringstream fields(line);
        fields >> e.model >> c[0] >> e.opponent >> c[1] >> games >> c[2] >> e.wins >> c[3] >> e.losses >> c[4] >>
            e.draws >> c[5] >> e.seconds;
        if (!fields || std::string(c, 6) != ",,,,,," || games != e.wins + e.losses + e.draws || e.model < 1)
            throw std::runtime_error(fmt::format("{}: line {} is not a row of {}", evaluationFile(run).string(),
                                                 number, kHeader));
        rows[e.model] = e;
    }
    return rows;
}

std::vector<ModelEvaluation> evaluateModels(const RunDirectory& run,
                                            const std::function<void(const ModelEvaluation&)>& onEvaluated) {
    const RunSettings& s = run.settings();
    std::vector<ModelEvaluation> played;
    if (s.evaluation.games == 0) return played;
    std::filesystem::create_directories(run.trainDirectory());
    const FileLock lock(run.trainDirectory() / ".evaluation.lock", FileLock::IfHeld::Wait);
    std::map<int, ModelEvaluation> rows = readEvaluations(run);
    nets::setTorchThreads(1);
    PolicyMatchOptions match;
    match.games = s.evaluation.games;
    match.greedy = s.evaluation.greedy;
    match.komi = s.komi;
    match.rules = s.rules;
    match.parallelGames = std::min(128, s.evaluation.games / 2);
    match.inferenceThreads = std::max(1, s.threads / 2);  // one per network
    // Read after the lock: a model promoted while another job held it is evaluated here.
    for (int n = 1; n <= run.currentModel(); ++n) {
        if (rows.count(n)) continue;
        const auto started = std::chrono::steady_clock::now();
        ModelEvaluation e;
        e.model = n;
        e.opponent = s.evaluation.opponent == "start" ? 0 : n - 1;
        match.seed = s.seed * 1000003 + static_cast<std::uint64_t>(n);
        spdlog::info("evaluating model {} against model {}: {} games", n, e.opponent, match.games);
        const PolicyMatchResult result = playPolicyMatch(run.modelFile(n), run.modelFile(e.opponent), match);
        e.wins = result.wins;
        e.losses = result.losses;
        e.draws = result.draws;
        e.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        rows[n] = e;
        writeEvaluations(run, rows);
        played.push_back(e);
        if (onEvaluated) onEvaluated(e);
    }
    return played;
}

}  // namespace tengen::selfplay

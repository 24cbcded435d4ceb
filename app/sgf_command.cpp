// tengen sgf stats: what a dataset of SGF files holds, and which games do not replay.
#include <map>

#include <fmt/format.h>

#include "app/commands.h"
#include "go/dataset.h"
#include "go/rank.h"
#include "go/sgf_game.h"

namespace tengen::app {

namespace {

// "B+R", "W+T", "B+score", "Void", "none"...: the kind of result, not the margin.
std::string resultKind(const std::string& result) {
    if (result.empty()) return "none";
    if (result.size() >= 2 && result[1] == '+') {
        const std::string how = result.substr(2);
        if (how.empty()) return result.substr(0, 2);
        if (how[0] == 'R' || how[0] == 'T' || how[0] == 'F') return result.substr(0, 3);
        return result.substr(0, 2) + "score";
    }
    return result;
}

// A rank as the filters read it, so that "9段", "9단" and "9d" are counted together, ordered
// from the weakest kyu to the strongest professional, then no rank.
struct RankKey {
    int strength;
    std::string label;
    friend auto operator<=>(const RankKey&, const RankKey&) = default;
};

RankKey rankKey(const std::string& written) {
    if (written.empty()) return {1000, "(none)"};
    const std::optional<Rank> rank = readRank(written).rank;
    if (!rank) return {1001, "(not a rank)"};
    switch (rank->kind) {
        case Rank::Kind::Kyu: return {-rank->level, rank->text()};
        case Rank::Kind::Dan: return {100 + rank->level, rank->text()};
        case Rank::Kind::Pro: break;
    }
    return {200 + rank->level, rank->text()};
}

struct DatasetStats {
    std::size_t files = 0, games = 0, replayed = 0;
    std::map<std::string, std::size_t> sizes, rules, komi, handicap, results;
    std::map<RankKey, std::size_t> ranks;  // both players' ranks
    std::map<std::string, std::size_t> fixes;  // games each reinterpretation was needed in
    std::vector<std::pair<std::string, std::string>> failures;  // name, reason

    void add(const SgfFile& file) {
        ++files;
        std::vector<GameRecord> records;
        try {
            records = readGameRecords(file.text, file.name);
        } catch (const std::exception& e) {
            failures.emplace_back(file.name, e.what());
            return;
        }
        for (const GameRecord& r : records) {
            ++games;
            ++sizes[fmt::format("{}x{}", r.size, r.size)];
            ++rules[r.rulesText.empty() ? "(none)" : r.rulesText];
            ++komi[fmt::format("{}", r.komi)];
            ++handicap[std::to_string(r.handicap)];
            ++results[resultKind(r.result)];
            for (const std::string* rank : {&r.blackRank, &r.whiteRank}) ++ranks[rankKey(*rank)];
            for (const std::string& fix : r.fixes) ++fixes[fix];
            const ReplayResult replayed = replay(r);
            if (replayed.error) failures.emplace_back(file.name, *replayed.error);
            else ++this->replayed;
        }
    }

    void print() const {
        fmt::print("files: {}\ngames: {}\nreplay legally: {}\nfailures: {}\n", files, games, replayed,
                   failures.size());
        auto table = [](const char* title, const std::map<std::string, std::size_t>& counts) {
            fmt::print("\n{}:\n", title);
            for (const auto& [key, count] : counts) fmt::print("  {:<16} {}\n", key, count);
        };
        table("board sizes", sizes);
        table("rules (RU)", rules);
        table("komi", komi);
        table("handicap", handicap);
        table("results", results);
        fmt::print("\nranks (both players):\n");
        for (const auto& [rank, count] : ranks) fmt::print("  {:<16} {}\n", rank.label, count);
        if (!fixes.empty()) table("reinterpreted (games)", fixes);
        if (!failures.empty()) fmt::print("\ngames that do not replay:\n");
        for (const auto& [name, reason] : failures) fmt::print("  {}: {}\n", name, reason);
    }
};

}  // namespace

void addSgfCommand(CLI::App& app) {
    CLI::App* sgf = app.add_subcommand("sgf", "Inspect SGF files and datasets");
    sgf->require_subcommand(1);
    CLI::App* stats = sgf->add_subcommand("stats", "Count games, sizes, rules, komi, handicap and results, "
                                                  "and replay every game under its own rules");
    auto paths = std::make_shared<std::vector<std::string>>();
    stats->add_option("paths", *paths, "SGF files, directories or archives (.tar.gz, .zip, ...)")->required();
    stats->callback([paths] {
        DatasetStats result;
        const SgfScanSummary summary = forEachSgf(
            *paths,
            [&](const SgfFile& file) {
                result.add(file);
                return true;
            },
            [&](const SkippedSgf& skipped) { result.failures.emplace_back(skipped.name, skipped.reason); });
        (void)summary;
        result.print();
    });
}

}  // namespace tengen::app

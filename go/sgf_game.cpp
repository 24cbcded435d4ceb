#include "go/sgf_game.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "go/rank.h"

namespace tengen {

namespace {

std::string trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

std::optional<double> parseNumber(std::string_view text) {
    const std::string clean = trim(text);
    if (clean.empty()) return std::nullopt;
    char* end = nullptr;
    const double value = std::strtod(clean.c_str(), &end);
    if (end != clean.c_str() + clean.size() || !std::isfinite(value)) return std::nullopt;
    return value;
}

int parseSize(const SgfNode& root, std::string_view source) {
    if (!root.has("SZ")) return 19;
    const std::string text = trim(root.value("SZ"));
    int size = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), size);
    if (error != std::errc{} || end != text.data() + text.size())
        throw SgfGameError(fmt::format("{}: board size SZ[{}] is not a single number (only square boards are supported)",
                                       source, text));
    if (size < kMinBoardSize || size > kMaxBoardSize)
        throw SgfGameError(fmt::format("{}: board size {} is outside the supported {}..{}", source, size,
                                       kMinBoardSize, kMaxBoardSize));
    return size;
}

std::vector<Point> pointsOf(const SgfNode& node, std::string_view id, const Geometry& g, std::string_view source,
                            int nodeIndex) {
    const auto* values = node.find(id);
    if (!values) return {};
    try {
        return expandSgfPointList(*values, g);
    } catch (const std::invalid_argument& e) {
        throw SgfGameError(fmt::format("{}: node {}: {}[]: {}", source, nodeIndex, id, e.what()));
    }
}

// Fox writes komi times a hundred: KM[650] for 6.5 points, and under Chinese rules KM[375]
// for 3¾ stones, 7.5 points. KGS allows komi up to 100 points and its archives hold games
// at ±100, so only a komi beyond 100 is read as hundredths. A komi in points is always a
// multiple of a half, so a quarter can only be in stones.
double readKomi(double written, std::vector<std::string>& fixes) {
    if (std::abs(written) <= 100 || written != std::floor(written) || std::fmod(written, 25) != 0) return written;
    const double hundredths = written / 100;
    if (hundredths * 2 == std::floor(hundredths * 2)) {
        fixes.emplace_back("komi \u00d7100");
        return hundredths;
    }
    fixes.emplace_back("komi \u00d7100 in stones");
    return hundredths * 2;
}

void noteRankForms(const std::string& black, const std::string& white, std::vector<std::string>& fixes) {
    const RankReading b = readRank(black), w = readRank(white);
    if ((b.rank && b.proPrefix) || (w.rank && w.proPrefix)) fixes.emplace_back("rank with a pro prefix");
    if ((b.rank && b.eastAsianScript) || (w.rank && w.eastAsianScript)) fixes.emplace_back("rank in East Asian script");
}

}  // namespace

std::optional<Color> GameRecord::winner() const {
    const std::string r = trim(result);
    if (r.size() >= 2 && r[1] == '+') {
        if (r[0] == 'B' || r[0] == 'b') return Color::Black;
        if (r[0] == 'W' || r[0] == 'w') return Color::White;
    }
    return std::nullopt;
}

bool GameRecord::decidedOnBoard() const {
    const std::string r = trim(result);
    if (r == "0" || r == "Draw" || r == "Jigo") return true;
    if (!winner() || r.size() < 3) return false;
    const char how = r[2];
    return std::isdigit(static_cast<unsigned char>(how)) || how == 'R' || how == 'r';
}

GameRecord readGameRecord(const SgfNode& root, std::string_view source, std::vector<std::string> treeFixes) {
    GameRecord record;
    record.fixes = std::move(treeFixes);
    if (root.has("GM") && trim(root.value("GM")) != "1")
        throw SgfGameError(fmt::format("{}: GM[{}] is not a game of Go", source, root.value("GM")));
    record.size = parseSize(root, source);
    const Geometry g(record.size);
    if (root.has("KM")) {
        const auto komi = parseNumber(root.value("KM"));
        if (!komi || std::abs(*komi) > 1000)
            throw SgfGameError(fmt::format("{}: komi KM[{}] is not a number", source, root.value("KM")));
        record.komi = readKomi(*komi, record.fixes);
    }
    if (root.has("HA")) {
        // A blank or wordy HA has always been read as none; a number must be a count of stones.
        const double stones = parseNumber(root.value("HA")).value_or(0);
        if (stones < 0 || stones > kMaxBoardSize * kMaxBoardSize || stones != std::floor(stones))
            throw SgfGameError(fmt::format("{}: handicap HA[{}] is not a number of stones", source, root.value("HA")));
        record.handicap = static_cast<int>(stones);
    }
    record.rulesText = root.value("RU");
    record.rules = Rules::fromSpec(record.rulesText);
    record.result = root.value("RE");
    record.blackName = root.value("PB");
    record.whiteName = root.value("PW");
    record.blackRank = root.value("BR");
    record.whiteRank = root.value("WR");
    noteRankForms(record.blackRank, record.whiteRank, record.fixes);
    record.date = root.value("DT");
    record.event = root.value("EV");
    if (root.has("PL")) record.firstToMove = parseColor(trim(root.value("PL")));

    int nodeIndex = 0;
    for (const SgfNode* node = &root; node; node = node->children.empty() ? nullptr : node->children[0].get()) {
        const bool hasSetup = node->has("AB") || node->has("AW") || node->has("AE");
        if (hasSetup) {
            if (!record.moves.empty())
                throw SgfGameError(fmt::format("{}: node {}: setup stones after the first move are not supported",
                                               source, nodeIndex));
            for (Point p : pointsOf(*node, "AB", g, source, nodeIndex)) record.setupBlack.push_back(p);
            for (Point p : pointsOf(*node, "AW", g, source, nodeIndex)) record.setupWhite.push_back(p);
        }
        for (const auto& [id, color] : {std::pair{"B", Color::Black}, std::pair{"W", Color::White}}) {
            const auto* values = node->find(id);
            if (!values) continue;
            const auto point = g.parseSgfPoint(trim(values->front()));
            if (!point)
                throw SgfGameError(fmt::format("{}: node {}: {}[{}] is not a point on a {}x{} board", source,
                                               nodeIndex, id, values->front(), record.size, record.size));
            record.moves.push_back({color, *point});
        }
        ++nodeIndex;
    }
    // Some Fox records say HA[n] but place no stones and let White move first: what was
    // played is an even game with White to move.
    const bool noSetup = record.setupBlack.empty() && record.setupWhite.empty();
    if (record.handicap >= 2 && noSetup && !record.moves.empty() && record.moves.front().color == Color::White) {
        record.handicap = 0;
        record.firstToMove = Color::White;
        record.fixes.emplace_back("HA without stones, White first: even game");
    }
    return record;
}

std::vector<GameRecord> readGameRecords(std::string_view text, std::string_view source) {
    std::vector<GameRecord> records;
    for (SgfTree& tree : parseSgfTrees(text, source))
        records.push_back(readGameRecord(*tree.root, source, std::move(tree.fixes)));
    return records;
}

ReplayResult replay(const GameRecord& record, std::optional<Rules> rules) {
    ReplayResult out{Game(record.size, rules.value_or(record.rules.value_or(Rules::chinese())), record.komi), {}};
    Game& game = out.game;
    if (!record.setupBlack.empty() || !record.setupWhite.empty()) {
        const bool handicapStones = record.setupWhite.empty() && record.handicap >= 2 &&
                                    static_cast<int>(record.setupBlack.size()) == record.handicap;
        const bool placed = handicapStones ? game.placeHandicap(record.setupBlack)
                                           : game.setup(record.setupBlack, record.setupWhite);
        if (!placed) {
            out.error = "setup stones leave a chain without liberties";
            return out;
        }
        if (!handicapStones) game.setToMove(record.setupBlack.empty() ? Color::Black : Color::White);
    }
    if (record.firstToMove) game.setToMove(*record.firstToMove);
    for (std::size_t i = 0; i < record.moves.size(); ++i) {
        const Move m = record.moves[i];
        const Legality l = game.play(m);
        if (l != Legality::Legal) {
            out.error = fmt::format("move {} ({} {}): {}", i + 1, m.color == Color::Black ? 'B' : 'W',
                                    game.geometry().vertexName(m.point), legalityReason(l));
            return out;
        }
    }
    return out;
}

GameRecord recordOf(const Game& game) {
    GameRecord record;
    record.size = game.size();
    record.komi = game.komi();
    record.rules = game.rules();
    record.rulesText = game.rules().describe();
    record.handicap = game.handicap();
    // Whatever stands on the board before the first move is setup.
    Game start = game;
    while (!start.moves().empty()) start.undo();
    const Geometry& g = game.geometry();
    for (int row = 0; row < g.size(); ++row)
        for (int col = 0; col < g.size(); ++col) {
            const Point p = g.point(col, row);
            if (start.board().at(p) == Color::Black) record.setupBlack.push_back(p);
            if (start.board().at(p) == Color::White) record.setupWhite.push_back(p);
        }
    if (!record.setupBlack.empty() || !record.setupWhite.empty()) record.firstToMove = start.toMove();
    record.moves = game.moves();
    return record;
}

SgfNode toSgf(const GameRecord& record) {
    SgfNode root;
    const Geometry g(record.size);
    root.set("GM", {"1"});
    root.set("FF", {"4"});
    root.set("CA", {"UTF-8"});
    root.set("AP", {"Tengen"});
    root.set("SZ", {std::to_string(record.size)});
    root.set("KM", {fmt::format("{}", record.komi)});
    if (!record.rulesText.empty()) root.set("RU", {record.rulesText});
    if (record.handicap > 0) root.set("HA", {std::to_string(record.handicap)});
    const std::pair<const char*, const std::string*> info[] = {
        {"PB", &record.blackName}, {"PW", &record.whiteName}, {"BR", &record.blackRank},
        {"WR", &record.whiteRank}, {"DT", &record.date},      {"EV", &record.event},
        {"RE", &record.result}};
    for (const auto& [id, value] : info)
        if (!value->empty()) root.set(id, {*value});
    auto pointNames = [&](const std::vector<Point>& points) {
        std::vector<std::string> names;
        for (Point p : points) names.push_back(g.sgfPointName(p));
        return names;
    };
    if (!record.setupBlack.empty()) root.set("AB", pointNames(record.setupBlack));
    if (!record.setupWhite.empty()) root.set("AW", pointNames(record.setupWhite));
    if (record.firstToMove) root.set("PL", {*record.firstToMove == Color::Black ? "B" : "W"});
    SgfNode* node = &root;
    for (const Move& m : record.moves) {
        node = &node->addChild();
        node->set(m.color == Color::Black ? "B" : "W", {g.sgfPointName(m.point)});
    }
    return root;
}

std::string writeGameRecord(const GameRecord& record) { return writeSgf(toSgf(record)); }

}  // namespace tengen

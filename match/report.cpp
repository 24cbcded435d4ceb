#include "match/report.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace tengen::match {

using nlohmann::json;

namespace {

std::string signedElo(double elo) {
    if (std::isinf(elo)) return elo > 0 ? "+inf" : "-inf";
    return fmt::format("{:+.0f}", std::round(elo) + 0.0);  // + 0.0: no "-0"
}

json finiteOrNull(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string quoted = "\"";
    for (char c : s) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

}  // namespace

MatchReport makeReport(const std::vector<std::string>& engines, const std::vector<Pairing>& pairings,
                       const std::map<int, GameResult>& results, int scheduled,
                       const std::optional<SprtOptions>& sprtOptions) {
    MatchReport report;
    report.engines = engines;
    report.scheduled = scheduled;
    std::vector<WinLossDraw> records(pairings.size());
    report.pairings.resize(pairings.size());
    std::vector<GameResultEntry> entries;
    for (const auto& [id, r] : results) {
        if (r.pairing < 0 || r.pairing >= static_cast<int>(pairings.size())) continue;
        const Pairing& p = pairings[r.pairing];
        PairingReport& pr = report.pairings[r.pairing];
        const double s = r.scoreOf(engines[p.first]);
        WinLossDraw& w = records[r.pairing];
        if (s == 1) ++w.wins;
        else if (s == 0) ++w.losses;
        else ++w.draws;
        if (r.winner) ++(*r.winner == "black" ? pr.blackWins : pr.whiteWins);
        entries.push_back({p.first, p.second, s});
        ++report.reasons[r.reason];
        ++report.games;
    }
    for (std::size_t i = 0; i < pairings.size(); ++i) {
        report.pairings[i].first = engines[pairings[i].first];
        report.pairings[i].second = engines[pairings[i].second];
        report.pairings[i].stats = pairingStats(records[i]);
    }
    report.ratings = maximumLikelihoodRatings(static_cast<int>(engines.size()), entries);
    if (sprtOptions && pairings.size() == 1) report.sprt = sprt(records[0], *sprtOptions);
    return report;
}

std::string formatReport(const MatchReport& report, const std::string& heading) {
    std::string out = heading + "\n\n";
    std::size_t width = 7;
    for (const PairingReport& p : report.pairings) width = std::max(width, p.first.size() + p.second.size() + 4);
    out += fmt::format("{:<{}}  {:>5}  {:>9}  {:>6}  {:>15}  {:>6}  {:>13}  {:>9}\n", "pairing", width, "games",
                       "W-L-D", "score", "95% CI", "Elo", "95% CI", "B/W wins");
    for (const PairingReport& p : report.pairings) {
        const PairingStats& s = p.stats;
        out += fmt::format("{:<{}}  {:>5}  {:>9}  {:>5.1f}%  {:>15}  {:>6}  {:>13}  {:>9}\n", p.first + " vs " + p.second,
                           width, s.record.games(),
                           fmt::format("{}-{}-{}", s.record.wins, s.record.losses, s.record.draws), 100 * s.score,
                           fmt::format("[{:.1f}, {:.1f}]", 100 * s.scoreInterval.low, 100 * s.scoreInterval.high),
                           signedElo(s.elo),
                           fmt::format("[{}, {}]", signedElo(s.eloInterval.low), signedElo(s.eloInterval.high)),
                           fmt::format("{}/{}", p.blackWins, p.whiteWins));
    }
    if (report.engines.size() > 2) {
        std::vector<int> order(report.engines.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(),
                         [&](int a, int b) { return report.ratings[a].elo > report.ratings[b].elo; });
        std::size_t nameWidth = 6;
        for (const std::string& e : report.engines) nameWidth = std::max(nameWidth, e.size());
        out += fmt::format("\nratings (maximum likelihood, Elo relative to the pool average)\n");
        out += fmt::format("{:>4}  {:<{}}  {:>6}  {:>5}  {:>5}  {:>6}\n", "rank", "engine", nameWidth, "Elo", "+-",
                           "games", "score");
        int rank = 0;
        for (int i : order) {
            const Rating& r = report.ratings[i];
            out += fmt::format("{:>4}  {:<{}}  {:>6}  {:>5.0f}  {:>5}  {:>5.1f}%\n", ++rank, report.engines[i],
                               nameWidth, signedElo(r.elo), r.error, r.games, 100 * r.score);
        }
    }
    out += fmt::format("\n{} of {} games;", report.games, report.scheduled);
    for (const auto& [reason, count] : report.reasons) out += fmt::format(" {} {}", reason, count);
    out += "\n";
    if (report.sprt)
        out += fmt::format("SPRT: LLR {:.2f} in [{:.2f}, {:.2f}]: {}\n", report.sprt->llr, report.sprt->lowerBound,
                           report.sprt->upperBound, sprtDecisionName(report.sprt->decision));
    return out;
}

json reportJson(const MatchReport& report) {
    json j;
    j["engines"] = report.engines;
    j["games"] = report.games;
    j["scheduled"] = report.scheduled;
    j["reasons"] = report.reasons;
    for (const PairingReport& p : report.pairings) {
        const PairingStats& s = p.stats;
        j["pairings"].push_back({{"first", p.first},
                                 {"second", p.second},
                                 {"games", s.record.games()},
                                 {"wins", s.record.wins},
                                 {"losses", s.record.losses},
                                 {"draws", s.record.draws},
                                 {"score", s.score},
                                 {"score_ci95", {s.scoreInterval.low, s.scoreInterval.high}},
                                 {"elo", finiteOrNull(s.elo)},
                                 {"elo_ci95", {finiteOrNull(s.eloInterval.low), finiteOrNull(s.eloInterval.high)}},
                                 {"black_wins", p.blackWins},
                                 {"white_wins", p.whiteWins}});
    }
    for (std::size_t i = 0; i < report.engines.size(); ++i) {
        const Rating& r = report.ratings[i];
        j["ratings"].push_back(
            {{"engine", report.engines[i]}, {"elo", r.elo}, {"error95", r.error}, {"games", r.games}, {"score", r.score}});
    }
    if (report.sprt)
        j["sprt"] = {{"llr", report.sprt->llr},
                     {"lower", report.sprt->lowerBound},
                     {"upper", report.sprt->upperBound},
                     {"decision", sprtDecisionName(report.sprt->decision)}};
    return j;
}

std::string pairingsCsv(const MatchReport& report) {
    std::string out = "first,second,games,wins,losses,draws,score,score_low,score_high,elo,elo_low,elo_high\n";
    for (const PairingReport& p : report.pairings) {
        const PairingStats& s = p.stats;
        out += fmt::format("{},{},{},{},{},{},{:.4f},{:.4f},{:.4f},{:.1f},{:.1f},{:.1f}\n", csvField(p.first),
                           csvField(p.second), s.record.games(), s.record.wins, s.record.losses, s.record.draws,
                           s.score, s.scoreInterval.low, s.scoreInterval.high, s.elo, s.eloInterval.low,
                           s.eloInterval.high);
    }
    return out;
}

std::string ratingsCsv(const MatchReport& report) {
    std::string out = "engine,elo,error95,games,score\n";
    for (std::size_t i = 0; i < report.engines.size(); ++i) {
        const Rating& r = report.ratings[i];
        out += fmt::format("{},{:.1f},{:.1f},{},{:.4f}\n", csvField(report.engines[i]), r.elo, r.error, r.games, r.score);
    }
    return out;
}

std::string gamesCsv(const std::map<int, GameResult>& results) {
    std::string out = "id,round,black,white,winner,result,reason,moves,black_seconds,white_seconds,sgf,detail\n";
    for (const auto& [id, r] : results)
        out += fmt::format("{},{},{},{},{},{},{},{},{:.2f},{:.2f},{},{}\n", r.id, r.round, csvField(r.black),
                           csvField(r.white), r.winner.value_or("draw"), csvField(r.result), r.reason, r.moves,
                           r.blackSeconds, r.whiteSeconds, csvField(r.sgf), csvField(r.detail));
    return out;
}

std::string eloChartSvg(const std::vector<Pairing>& pairings, const std::vector<std::string>& engines,
                        const std::map<int, GameResult>& results) {
    constexpr double kWidth = 720, kHeight = 420, kLeft = 60, kRight = 180, kTop = 30, kBottom = 40;
    constexpr double kClamp = 600;  // Elo beyond this says "one-sided", not a number
    const char* colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};
    struct Series {
        std::vector<double> elo, low, high;
    };
    std::vector<Series> series(pairings.size());
    std::vector<WinLossDraw> running(pairings.size());
    std::size_t longest = 1;
    for (const auto& [id, r] : results) {
        if (r.pairing < 0 || r.pairing >= static_cast<int>(pairings.size())) continue;
        const double s = r.scoreOf(engines[pairings[r.pairing].first]);
        WinLossDraw& w = running[r.pairing];
        s == 1 ? ++w.wins : s == 0 ? ++w.losses : ++w.draws;
        const PairingStats st = pairingStats(w);
        auto clamp = [&](double e) { return std::clamp(e, -kClamp, kClamp); };
        Series& se = series[r.pairing];
        se.elo.push_back(clamp(st.elo));
        se.low.push_back(clamp(st.eloInterval.low));
        se.high.push_back(clamp(st.eloInterval.high));
        longest = std::max(longest, se.elo.size());
    }
    const double plotW = kWidth - kLeft - kRight, plotH = kHeight - kTop - kBottom;
    auto x = [&](std::size_t i) { return kLeft + plotW * (longest == 1 ? 0.5 : double(i) / double(longest - 1)); };
    auto y = [&](double elo) { return kTop + plotH * (kClamp - elo) / (2 * kClamp); };
    std::string svg = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
        "font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        "<text x=\"{2}\" y=\"18\" font-size=\"14\">Running Elo of the first engine of each pairing (95% band)</text>\n",
        kWidth, kHeight, kLeft);
    for (double e = -kClamp; e <= kClamp; e += 200)
        svg += fmt::format("<line x1=\"{0}\" x2=\"{1}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" stroke=\"{3}\"/>"
                           "<text x=\"{4}\" y=\"{5:.1f}\" text-anchor=\"end\">{6:+.0f}</text>\n",
                           kLeft, kLeft + plotW, y(e), e == 0 ? "#888" : "#eee", kLeft - 6, y(e) + 4, e);
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">games played in the pairing (1..{})</text>\n",
                       kLeft + plotW / 2, kHeight - 10, longest);
    for (std::size_t p = 0; p < series.size(); ++p) {
        const Series& se = series[p];
        const char* colour = colours[p % std::size(colours)];
        if (!se.elo.empty()) {
            std::string band, line;
            for (std::size_t i = 0; i < se.high.size(); ++i) band += fmt::format("{:.1f},{:.1f} ", x(i), y(se.high[i]));
            for (std::size_t i = se.low.size(); i-- > 0;) band += fmt::format("{:.1f},{:.1f} ", x(i), y(se.low[i]));
            for (std::size_t i = 0; i < se.elo.size(); ++i) line += fmt::format("{:.1f},{:.1f} ", x(i), y(se.elo[i]));
            svg += fmt::format("<polygon points=\"{}\" fill=\"{}\" fill-opacity=\"0.15\" stroke=\"none\"/>\n", band, colour);
            svg += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n", line, colour);
        }
        svg += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"{}\">{} vs {}</text>\n", kLeft + plotW + 10,
                           kTop + 16 + 18 * p, colour, engines[pairings[p].first], engines[pairings[p].second]);
    }
    return svg + "</svg>\n";
}

}  // namespace tengen::match

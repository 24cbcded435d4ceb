// Match statistics against values worked out by hand (and checked with a calculator):
// Elo from a score, confidence intervals, SPRT decisions and maximum-likelihood ratings.
#include <catch2/catch.hpp>

#include <cmath>

#include "match/schedule.h"
#include "match/stats.h"

using namespace tengen::match;

TEST_CASE("Elo from a score and back", "[match][stats]") {
    CHECK(eloFromScore(0.5) == Approx(0).margin(1e-9));
    CHECK(eloFromScore(0.75) == Approx(190.8485).epsilon(1e-6));
    CHECK(eloFromScore(0.25) == Approx(-190.8485).epsilon(1e-6));
    CHECK(scoreFromElo(100) == Approx(0.640065).epsilon(1e-5));
    CHECK(std::isinf(eloFromScore(1.0)));
    CHECK(eloFromScore(scoreFromElo(-250)) == Approx(-250).epsilon(1e-9));
    CHECK(normalQuantile(0.975) == Approx(1.959964).epsilon(1e-6));
    CHECK(normalQuantile(0.5) == Approx(0).margin(1e-9));
}

TEST_CASE("score and Elo intervals of a pairing", "[match][stats]") {
    const PairingStats s = pairingStats({60, 40, 0});
    CHECK(s.score == Approx(0.6));
    CHECK(s.scoreInterval.low == Approx(0.502003).epsilon(1e-5));  // Wilson
    CHECK(s.scoreInterval.high == Approx(0.690599).epsilon(1e-5));
    CHECK(s.elo == Approx(70.4365).epsilon(1e-5));
    CHECK(s.eloInterval.low == Approx(1.39155).epsilon(1e-3));
    CHECK(s.eloInterval.high == Approx(139.481).epsilon(1e-4));

    // Draws shrink the variance: 40-30-30 scores 0.55 with variance 0.1725 per game.
    const PairingStats d = pairingStats({40, 30, 30});
    CHECK(d.score == Approx(0.55));
    CHECK(d.scoreInterval.low == Approx(0.467606).epsilon(1e-5));
    CHECK(d.scoreInterval.high == Approx(0.628695).epsilon(1e-5));
    CHECK(d.elo == Approx(34.8601).epsilon(1e-5));
    CHECK(d.eloInterval.low == Approx(-22.5414).epsilon(1e-4));

    const PairingStats perfect = pairingStats({10, 0, 0});
    CHECK(perfect.score == 1.0);
    CHECK(std::isinf(perfect.elo));
    // A perfect score still has an honest lower bound: 10-0 proves about +200 Elo, not infinity.
    CHECK(perfect.scoreInterval.low == Approx(0.722467).epsilon(1e-5));
    CHECK(perfect.scoreInterval.high == 1.0);
}

TEST_CASE("SPRT log-likelihood ratio and decisions", "[match][stats][sprt]") {
    const SprtOptions options{0, 35, 0.05, 0.05};
    const SprtState s = sprt({60, 40, 0}, options);
    CHECK(s.lowerBound == Approx(-2.944439).epsilon(1e-6));
    CHECK(s.upperBound == Approx(2.944439).epsilon(1e-6));
    CHECK(s.llr == Approx(1.566645).epsilon(1e-5));
    CHECK(s.decision == SprtDecision::Continue);

    // Synthetic sequences, game by game: a +100 Elo engine is accepted as H1, an even
    // one as H0, and neither happens after a handful of games.
    auto firstDecision = [&](double score, int maxGames) -> std::pair<SprtDecision, int> {
        WinLossDraw record;
        double owed = 0;  // deterministic stream with exactly the given mean score
        for (int game = 1; game <= maxGames; ++game) {
            owed += score;
            if (owed >= 1) {
                ++record.wins;
                owed -= 1;
            } else {
                ++record.losses;
            }
            const SprtState state = sprt(record, options);
            if (state.decision != SprtDecision::Continue) return {state.decision, game};
        }
        return {SprtDecision::Continue, maxGames};
    };
    const auto strong = firstDecision(scoreFromElo(100), 2000);
    CHECK(strong.first == SprtDecision::AcceptH1);
    CHECK(strong.second < 300);
    const auto even = firstDecision(0.5, 4000);
    CHECK(even.first == SprtDecision::AcceptH0);
    const auto weak = firstDecision(scoreFromElo(-50), 2000);
    CHECK(weak.first == SprtDecision::AcceptH0);
    CHECK(weak.second < even.second);
    // Five straight wins are not proof: the regularised variance keeps the test going.
    CHECK(sprt({5, 0, 0}, options).decision == SprtDecision::Continue);
}

TEST_CASE("maximum-likelihood ratings of a small table", "[match][stats][ratings]") {
    // A beats B 3:1, B beats C 3:1, A beats C 9:1: exactly consistent with strengths
    // 9:3:1, so the fit must put 190.85 Elo between neighbours.
    std::vector<GameResultEntry> games;
    auto add = [&](int a, int b, int wins, int losses) {
        for (int i = 0; i < wins; ++i) games.push_back({a, b, 1});
        for (int i = 0; i < losses; ++i) games.push_back({a, b, 0});
    };
    add(0, 1, 30, 10);
    add(1, 2, 30, 10);
    add(0, 2, 36, 4);
    const std::vector<Rating> exact = maximumLikelihoodRatings(3, games, 1e-9);
    CHECK(exact[0].elo - exact[1].elo == Approx(190.85).epsilon(1e-3));
    CHECK(exact[1].elo - exact[2].elo == Approx(190.85).epsilon(1e-3));
    CHECK(exact[0].elo + exact[1].elo + exact[2].elo == Approx(0).margin(1e-6));
    CHECK(exact[0].games == 80);
    CHECK(exact[0].score == Approx(66.0 / 80));
    for (const Rating& r : exact) {
        CHECK(r.error > 30);
        CHECK(r.error < 200);
    }
    // The default prior pulls towards the average but keeps the order; a perfect score
    // stays finite.
    add(3, 2, 10, 0);
    const std::vector<Rating> prior = maximumLikelihoodRatings(4, games);
    CHECK(prior[0].elo > prior[1].elo);
    CHECK(prior[1].elo > prior[2].elo);
    CHECK(std::isfinite(prior[3].elo));
    CHECK(prior[3].elo > prior[2].elo);
}

TEST_CASE("schedules: stable ids, alternating colours, shared openings", "[match][schedule]") {
    const auto pair = makeSchedule(ScheduleKind::Pair, 2, 4);
    REQUIRE(pair.size() == 4);
    CHECK(pair[0].black == 0);
    CHECK(pair[1].black == 1);
    CHECK(pair[0].opening == pair[1].opening);
    CHECK(pair[2].opening == 1);
    const auto rr = makeSchedule(ScheduleKind::RoundRobin, 4, 2);
    CHECK(rr.size() == 12);
    for (std::size_t i = 0; i < rr.size(); ++i) CHECK(rr[i].id == static_cast<int>(i));
    CHECK(rr[0].round == 0);
    CHECK(rr[6].round == 1);
    const auto gauntlet = makeSchedule(ScheduleKind::Gauntlet, 4, 3);
    CHECK(gauntlet.size() == 9);
    for (const ScheduledGame& g : gauntlet) CHECK((g.black == 0 || g.white == 0));
    CHECK_THROWS(makeSchedule(ScheduleKind::Pair, 3, 2));
}

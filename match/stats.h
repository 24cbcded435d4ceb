#pragma once
// Match statistics: score and Elo with confidence intervals for one pairing, maximum-
// likelihood ratings across many engines (as BayesElo and Ordo fit them), and the
// sequential probability ratio test that lets a match stop as soon as it has decided.

#include <optional>
#include <string>
#include <vector>

namespace tengen::match {

// Elo difference that gives an expected score (0 < score < 1), and back.
double eloFromScore(double score);
double scoreFromElo(double elo);

struct Interval {
    double low = 0, high = 0;
};

// Wins, losses and draws from one engine's point of view.
struct WinLossDraw {
    int wins = 0, losses = 0, draws = 0;
    int games() const { return wins + losses + draws; }
    double score() const;  // (wins + draws/2) / games; 0.5 with no games
};

struct PairingStats {
    WinLossDraw record;
    double score = 0.5;
    Interval scoreInterval;   // 95%, Wilson with the trinomial variance (see pairingStats)
    double elo = 0;           // of the first engine over the second; +-inf at a perfect score
    Interval eloInterval;     // the score interval mapped through eloFromScore
};
PairingStats pairingStats(const WinLossDraw& record, double confidence = 0.95);
// "W-L-D 30-18-2  score 62.0% [48.2%, 74.1%]  Elo +85 [-12, +183]"
std::string describePairing(const PairingStats& stats);

// Quantile of the standard normal distribution (Acklam's rational approximation).
double normalQuantile(double p);

struct GameResultEntry {
    int first = 0, second = 0;  // engine indices
    double score = 0;           // of `first`: 1, 0.5 or 0
};

struct Rating {
    double elo = 0;     // relative to the pool average
    double error = 0;   // 95% half-width
    int games = 0;
    double score = 0;   // points / games
};

// Bradley-Terry by minorisation-maximisation (Hunter 2004). Draws count half a win each
// way. `priorDraws` virtual draws of each engine against the pool average keep a perfect
// score finite, as BayesElo's prior does. Errors come from the inverse Fisher information.
std::vector<Rating> maximumLikelihoodRatings(int engineCount, const std::vector<GameResultEntry>& games,
                                             double priorDraws = 1.0);

// SPRT of H0: elo <= elo0 against H1: elo >= elo1 (logistic Elo of the first engine over
// the second), with the normal approximation of the generalised SPRT that Fishtest and
// Leela Zero's validation use.
struct SprtOptions {
    double elo0 = 0, elo1 = 35;
    double alpha = 0.05, beta = 0.05;
};
enum class SprtDecision { Continue, AcceptH0, AcceptH1 };
struct SprtState {
    double llr = 0;
    double lowerBound = 0, upperBound = 0;  // log(beta/(1-alpha)), log((1-beta)/alpha)
    SprtDecision decision = SprtDecision::Continue;
};
SprtState sprt(const WinLossDraw& record, const SprtOptions& options);
std::string sprtDecisionName(SprtDecision d);  // "continue", "H0 accepted", "H1 accepted"

}  // namespace tengen::match

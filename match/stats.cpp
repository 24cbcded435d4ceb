#include "match/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

namespace tengen::match {

double eloFromScore(double score) {
    if (score <= 0) return -std::numeric_limits<double>::infinity();
    if (score >= 1) return std::numeric_limits<double>::infinity();
    return -400.0 * std::log10(1.0 / score - 1.0);
}

double scoreFromElo(double elo) { return 1.0 / (1.0 + std::pow(10.0, -elo / 400.0)); }

double WinLossDraw::score() const {
    return games() == 0 ? 0.5 : (wins + 0.5 * draws) / games();
}

double normalQuantile(double p) {
    if (p <= 0 || p >= 1) throw std::invalid_argument("normalQuantile needs 0 < p < 1");
    static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                                   1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                   6.680131188771972e+01,  -1.328068155288572e+01};
    static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                   -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                   3.754408661907416e+00};
    const double low = 0.02425;
    if (p < low) {
        const double q = std::sqrt(-2 * std::log(p));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - low) return -normalQuantile(1 - p);
    const double q = p - 0.5, r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

namespace {

// Per-game variance of the score (wins 1, draws 1/2, losses 0) around its mean.
double scoreVariance(const WinLossDraw& r, double mean) {
    const double n = r.games();
    return (r.wins * (1 - mean) * (1 - mean) + r.draws * (0.5 - mean) * (0.5 - mean) + r.losses * mean * mean) / n;
}

}  // namespace

PairingStats pairingStats(const WinLossDraw& record, double confidence) {
    PairingStats s;
    s.record = record;
    s.score = record.score();
    s.elo = eloFromScore(s.score);
    const int n = record.games();
    if (n == 0) {
        s.scoreInterval = {0, 1};
        s.eloInterval = {-std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
        return s;
    }
    // Wilson's score interval, with the trinomial variance in place of p(1-p) so that draws
    // count: unlike the plain normal interval it stays honest for the short matches and
    // one-sided scores that engine tests produce (4-0 is not "100% +- 0").
    const double z = normalQuantile(0.5 + confidence / 2);
    const double z2n = z * z / n;
    const double centre = (s.score + z2n / 2) / (1 + z2n);
    const double halfWidth = z / (1 + z2n) * std::sqrt(scoreVariance(record, s.score) / n + z2n / (4 * n));
    s.scoreInterval = {std::max(0.0, centre - halfWidth), std::min(1.0, centre + halfWidth)};
    // At a one-sided score the bound is exactly 0 or 1; rounding would turn it into
    // thousands of Elo rather than infinity.
    if (record.losses == 0 && record.draws == 0) s.scoreInterval.high = 1;
    if (record.wins == 0 && record.draws == 0) s.scoreInterval.low = 0;
    s.eloInterval = {eloFromScore(s.scoreInterval.low), eloFromScore(s.scoreInterval.high)};
    return s;
}

std::string describePairing(const PairingStats& s) {
    return fmt::format("W-L-D {}-{}-{}  score {:.1f}% [{:.1f}%, {:.1f}%]  Elo {:+.0f} [{:+.0f}, {:+.0f}]", s.record.wins,
                       s.record.losses, s.record.draws, 100 * s.score, 100 * s.scoreInterval.low,
                       100 * s.scoreInterval.high, s.elo, s.eloInterval.low, s.eloInterval.high);
}

std::vector<Rating> maximumLikelihoodRatings(int engineCount, const std::vector<GameResultEntry>& games,
                                             double priorDraws) {
    const int n = engineCount;
    std::vector<Rating> ratings(n);
    if (n == 0) return ratings;
    // wins[i][j]: points i scored against j; played[i][j]: games between them.
    std::vector<std::vector<double>> wins(n, std::vector<double>(n, 0)), played(n, std::vector<double>(n, 0));
    for (const GameResultEntry& g : games) {
        wins[g.first][g.second] += g.score;
        wins[g.second][g.first] += 1 - g.score;
        played[g.first][g.second] += 1;
        played[g.second][g.first] += 1;
        ratings[g.first].games += 1;
        ratings[g.second].games += 1;
        ratings[g.first].score += g.score;
        ratings[g.second].score += 1 - g.score;
    }
    for (Rating& r : ratings) r.score = r.games ? r.score / r.games : 0;
    // The prior: priorDraws draws against a virtual engine fixed at strength 1 (the pool
    // average after centring), which also connects engines that never met.
    std::vector<double> gamma(n, 1.0);
    for (int iteration = 0; iteration < 10000; ++iteration) {
        double change = 0;
        std::vector<double> next(n);
        for (int i = 0; i < n; ++i) {
            double w = 0.5 * priorDraws, denominator = priorDraws / (gamma[i] + 1.0);
            for (int j = 0; j < n; ++j) {
                if (j == i || played[i][j] == 0) continue;
                w += wins[i][j];
                denominator += played[i][j] / (gamma[i] + gamma[j]);
            }
            next[i] = denominator > 0 && w > 0 ? w / denominator : gamma[i] * 1e-3;
        }
        for (int i = 0; i < n; ++i) {
            change = std::max(change, std::abs(std::log(next[i]) - std::log(gamma[i])));
            gamma[i] = next[i];
        }
        if (change < 1e-10) break;
    }
    const double eloPerNat = 400.0 / std::log(10.0);
    double meanElo = 0;
    for (int i = 0; i < n; ++i) meanElo += eloPerNat * std::log(gamma[i]) / n;
    for (int i = 0; i < n; ++i) ratings[i].elo = eloPerNat * std::log(gamma[i]) - meanElo;

    // Fisher information in natural-log strengths; the prior's games count too.
    std::vector<std::vector<double>> info(n, std::vector<double>(n, 0));
    for (int i = 0; i < n; ++i) {
        const double pv = gamma[i] / (gamma[i] + 1.0);
        info[i][i] += priorDraws * pv * (1 - pv);
        for (int j = 0; j < n; ++j) {
            if (j == i || played[i][j] == 0) continue;
            const double p = gamma[i] / (gamma[i] + gamma[j]);
            const double v = played[i][j] * p * (1 - p);
            info[i][i] += v;
            info[i][j] -= v;
        }
    }
    // Invert by Gauss-Jordan; the prior makes the matrix positive definite.
    std::vector<std::vector<double>> inverse(n, std::vector<double>(n, 0));
    for (int i = 0; i < n; ++i) inverse[i][i] = 1;
    for (int col = 0; col < n; ++col) {
        int pivot = col;
        for (int r = col + 1; r < n; ++r)
            if (std::abs(info[r][col]) > std::abs(info[pivot][col])) pivot = r;
        std::swap(info[col], info[pivot]);
        std::swap(inverse[col], inverse[pivot]);
        const double d = info[col][col];
        if (std::abs(d) < 1e-300) continue;
        for (int k = 0; k < n; ++k) {
            info[col][k] /= d;
            inverse[col][k] /= d;
        }
        for (int r = 0; r < n; ++r) {
            if (r == col || info[r][col] == 0) continue;
            const double f = info[r][col];
            for (int k = 0; k < n; ++k) {
                info[r][k] -= f * info[col][k];
                inverse[r][k] -= f * inverse[col][k];
            }
        }
    }
    const double z = normalQuantile(0.975);
    // Ratings are reported relative to the pool average, so the error is that of
    // x_i - mean(x): the common component, which the data barely pin down, cancels.
    double total = 0;
    std::vector<double> rowSums(n, 0);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            rowSums[i] += inverse[i][j];
            total += inverse[i][j];
        }
    for (int i = 0; i < n; ++i) {
        const double variance = inverse[i][i] - 2.0 * rowSums[i] / n + total / (double(n) * n);
        ratings[i].error = z * eloPerNat * std::sqrt(std::max(0.0, variance));
    }
    return ratings;
}

SprtState sprt(const WinLossDraw& record, const SprtOptions& options) {
    SprtState state;
    state.lowerBound = std::log(options.beta / (1 - options.alpha));
    state.upperBound = std::log((1 - options.beta) / options.alpha);
    WinLossDraw r = record;
    if (r.games() == 0) return state;
    // With no loss (or no win) yet the sample variance is zero and one game would decide;
    // half a virtual win and loss keep the variance honest until both have happened.
    double wins = r.wins, losses = r.losses;
    if (r.wins == 0 || r.losses == 0) {
        wins += 0.5;
        losses += 0.5;
    }
    const double n = wins + losses + r.draws;
    const double mean = (wins + 0.5 * r.draws) / n;
    const double variance =
        (wins * (1 - mean) * (1 - mean) + r.draws * (0.5 - mean) * (0.5 - mean) + losses * mean * mean) / n;
    if (variance <= 0) return state;
    const double s0 = scoreFromElo(options.elo0), s1 = scoreFromElo(options.elo1);
    state.llr = n * (s1 - s0) * (2 * mean - s0 - s1) / (2 * variance);
    if (state.llr >= state.upperBound) state.decision = SprtDecision::AcceptH1;
    else if (state.llr <= state.lowerBound) state.decision = SprtDecision::AcceptH0;
    return state;
}

std::string sprtDecisionName(SprtDecision d) {
    switch (d) {
    case SprtDecision::Continue: return "continue";
    case SprtDecision::AcceptH0: return "H0 accepted";
    case SprtDecision::AcceptH1: return "H1 accepted";
    }
    return "?";
}

}  // namespace tengen::match

#include "go/rules.h"

#include <algorithm>
#include <cctype>

namespace tengen {

Rules Rules::chinese() {
    return {KoRule::PositionalSuperko, Scoring::Area, false, HandicapBonus::Stones, false};
}
Rules Rules::japanese() {
    return {KoRule::Simple, Scoring::Territory, false, HandicapBonus::None, true};
}
Rules Rules::trompTaylor() {
    return {KoRule::PositionalSuperko, Scoring::Area, true, HandicapBonus::None, false};
}
// AGA Concise Rules: situational superko, area count equivalent to territory with pass
// stones, White gets one point per handicap stone after the first.
Rules Rules::aga() {
    return {KoRule::SituationalSuperko, Scoring::Area, false, HandicapBonus::StonesMinusOne, false};
}
// New Zealand Rules: situational superko, area scoring, suicide of any size legal.
Rules Rules::newZealand() {
    return {KoRule::SituationalSuperko, Scoring::Area, true, HandicapBonus::None, false};
}

namespace {

struct Preset {
    std::string_view name;
    Rules (*make)();
};

constexpr Preset kPresets[] = {
    {"chinese", Rules::chinese},       {"japanese", Rules::japanese}, {"tromp-taylor", Rules::trompTaylor},
    {"aga", Rules::aga},               {"new-zealand", Rules::newZealand},
};

std::string normalise(std::string_view name) {
    std::string out;
    for (char ch : name) {
        unsigned char u = static_cast<unsigned char>(ch);
        if (std::isalnum(u)) out += static_cast<char>(std::tolower(u));
    }
    return out;
}

}  // namespace

std::optional<Rules> Rules::fromName(std::string_view name) {
    std::string key = normalise(name);
    for (const Preset& preset : kPresets)
        if (normalise(preset.name) == key) return preset.make();
    if (key == "korean" || key == "jp") return japanese();
    if (key == "cn" || key == "goe" || key == "ing") return chinese();
    if (key == "nz") return newZealand();
    if (key == "bga" || key == "french") return aga();
    return std::nullopt;
}

std::optional<Rules> Rules::fromSpec(std::string_view spec) {
    std::vector<std::string_view> parts;
    for (std::size_t start = 0; start <= spec.size();) {
        const std::size_t end = std::min(spec.find(',', start), spec.size());
        parts.push_back(spec.substr(start, end - start));
        start = end + 1;
    }
    auto rules = fromName(parts.front());
    if (!rules) return std::nullopt;
    for (std::size_t i = 1; i < parts.size(); ++i) {
        const std::size_t equals = parts[i].find('=');
        if (equals == std::string_view::npos) return std::nullopt;
        const std::string key = normalise(parts[i].substr(0, equals)), value = normalise(parts[i].substr(equals + 1));
        if (key == "ko" && value == "simple") rules->ko = KoRule::Simple;
        else if (key == "ko" && value == "positional") rules->ko = KoRule::PositionalSuperko;
        else if (key == "ko" && value == "situational") rules->ko = KoRule::SituationalSuperko;
        else if (key == "suicide" && (value == "allowed" || value == "illegal")) rules->suicideAllowed = value == "allowed";
        else if (key == "scoring" && (value == "area" || value == "territory"))
            rules->scoring = value == "area" ? Scoring::Area : Scoring::Territory;
        else if (key == "bonus" && value == "none") rules->handicapBonus = HandicapBonus::None;
        else if (key == "bonus" && value == "stones1") rules->handicapBonus = HandicapBonus::StonesMinusOne;
        else if (key == "bonus" && value == "stones") rules->handicapBonus = HandicapBonus::Stones;
        else if (key == "sekieyes" && (value == "count" || value == "scoreless"))
            rules->sekiEyesScoreless = value == "scoreless";
        else return std::nullopt;
    }
    return rules;
}

std::vector<std::string> Rules::presetNames() {
    std::vector<std::string> names;
    for (const Preset& preset : kPresets) names.emplace_back(preset.name);
    return names;
}

double handicapBonus(HandicapBonus bonus, int handicap) {
    if (handicap < 2) return 0;
    switch (bonus) {
        case HandicapBonus::None: return 0;
        case HandicapBonus::StonesMinusOne: return handicap - 1;
        case HandicapBonus::Stones: return handicap;
    }
    return 0;
}

std::string_view koRuleName(KoRule ko) {
    switch (ko) {
        case KoRule::Simple: return "simple";
        case KoRule::PositionalSuperko: return "positional";
        case KoRule::SituationalSuperko: return "situational";
    }
    return "?";
}

std::string_view scoringName(Scoring s) { return s == Scoring::Area ? "area" : "territory"; }

std::string Rules::describe() const {
    for (const Preset& preset : kPresets)
        if (preset.make() == *this) return std::string(preset.name);
    // Written so that fromSpec reads it back.
    const char* bonus = handicapBonus == HandicapBonus::None             ? "none"
                        : handicapBonus == HandicapBonus::StonesMinusOne ? "stones-1"
                                                                          : "stones";
    return "chinese,ko=" + std::string(koRuleName(ko)) + ",scoring=" + std::string(scoringName(scoring)) +
           ",suicide=" + (suicideAllowed ? "allowed" : "illegal") + ",bonus=" + bonus +
           ",seki-eyes=" + (sekiEyesScoreless ? "scoreless" : "count");
}

}  // namespace tengen

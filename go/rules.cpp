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

std::vector<std::string> Rules::presetNames() {
    std::vector<std::string> names;
    for (const Preset& preset : kPresets) names.emplace_back(preset.name);
    return names;
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
    return "ko=" + std::string(koRuleName(ko)) + " scoring=" + std::string(scoringName(scoring)) +
           " suicide=" + (suicideAllowed ? "allowed" : "illegal");
}

}  // namespace tengen

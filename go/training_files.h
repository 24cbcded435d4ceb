#pragma once
// The files a training run keeps beside its model, named alike for every trainer (the
// networks' and the rollout policy's): its CSV log and the checkpoint a killed run resumes from.

#include <filesystem>

namespace tengen {

inline std::filesystem::path checkpointPath(const std::filesystem::path& out) { return out.string() + ".checkpoint"; }
inline std::filesystem::path csvPath(const std::filesystem::path& out) { return out.string() + ".csv"; }

}  // namespace tengen

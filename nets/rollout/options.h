#pragma once
// How p_pi playouts may deviate from sampling the policy as it was trained.

namespace tengen::nets {

struct RolloutOptions {
    // A sampled move that would leave the mover's chain of at least this many stones in
    // atari (captures counted) is set aside for that turn and another drawn; 0 keeps every
    // move. Human games rarely show such moves, so p_pi learnt little against them, yet in
    // a playout one of them throws away a group that was alive or winning its race, or
    // breaks a seki, and the playout's count is then wrong by the group's size.
    int rejectSelfAtariFrom = 0;
};

}  // namespace tengen::nets

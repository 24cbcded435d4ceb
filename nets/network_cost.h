#pragma once
// Arithmetic a network does per position, to turn evaluations/s into achieved FLOP/s and
// compare it with what the machine can do.

#include "nets/network_shape.h"

namespace tengen::nets {

// Floating-point operations (a multiply-add counts two) of one forward pass on one position:
// the convolutions and fully connected layers. Biases, ReLUs, pooling and softmax are left
// out: they are a fraction of a percent and not what the hardware's peak measures.
double forwardFlops(const NetworkShape& shape);

}  // namespace tengen::nets

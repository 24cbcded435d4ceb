#include "nets/network_cost.h"

namespace tengen::nets {

namespace {

// A same-padded convolution: every output point is a kernel x kernel x in dot product.
double convolutionFlops(int kernel, int in, int out, int points) {
    return 2.0 * kernel * kernel * in * out * points;
}

double linearFlops(int in, int out) { return 2.0 * in * out; }

}  // namespace

double forwardFlops(const NetworkShape& shape) {
    const int points = shape.points();
    const int k = shape.filters;
    // The trunk (nets/trunk.h): one 5x5 layer, then layers - 1 3x3 layers.
    double flops = convolutionFlops(5, shape.inputPlanes(), k, points) +
                   (shape.layers - 1) * convolutionFlops(3, k, k, points);
    if (shape.kind == NetworkKind::Policy) {
        // A 1x1 convolution to one plane, and the pass logit from the board-averaged trunk.
        flops += convolutionFlops(1, k, 1, points) + linearFlops(k, 1);
    } else {
        // One more 3x3 layer, a 1x1 convolution to one plane, then 256 hidden units and one output.
        flops += convolutionFlops(3, k, k, points) + convolutionFlops(1, k, 1, points) + linearFlops(points, 256) +
                 linearFlops(256, 1);
    }
    return flops;
}

}  // namespace tengen::nets

#pragma once
// CPU time of the calling thread. Benchmarks divide work by it rather than by wall time,
// which other processes on a shared machine inflate.

#include <ctime>

namespace tengen::nets {

inline double threadCpuSeconds() {
    timespec cpu{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
    return static_cast<double>(cpu.tv_sec) + static_cast<double>(cpu.tv_nsec) * 1e-9;
}

}  // namespace tengen::nets

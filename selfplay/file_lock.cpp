#include "selfplay/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace tengen::selfplay {

FileLock::FileLock(const std::filesystem::path& path, IfHeld ifHeld)
    : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (fd_ < 0) throw std::runtime_error(fmt::format("cannot create {}: {}", path.string(), std::strerror(errno)));
    int result;
    do {
        result = ::flock(fd_, LOCK_EX | (ifHeld == IfHeld::Fail ? LOCK_NB : 0));
    } while (result != 0 && errno == EINTR);
    if (result == 0) return;
    if (errno == EWOULDBLOCK) {
        acquired_ = false;
        return;
    }
    spdlog::warn("cannot lock {} ({}): going on unguarded", path.string(), std::strerror(errno));
}

FileLock::~FileLock() { ::close(fd_); }  // closing releases the lock

}  // namespace tengen::selfplay

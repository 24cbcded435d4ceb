#include "go/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace tengen {

void writeFileAtomically(const std::filesystem::path& path, std::string_view contents) {
    // Unique per process and thread, so concurrent writers never share a temporary file.
    static std::atomic<unsigned> counter{0};
    const std::filesystem::path temporary =
        path.string() + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
    auto fail = [&](const char* step) {
        const std::string reason = std::strerror(errno);
        ::unlink(temporary.c_str());
        throw std::runtime_error(path.string() + ": cannot " + step + ": " + reason);
    };
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) fail("create a temporary file");
    while (!contents.empty()) {
        const ssize_t n = ::write(fd, contents.data(), contents.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            ::close(fd);
            fail("write");
        }
        contents.remove_prefix(static_cast<std::size_t>(n));
    }
    if (::fsync(fd) != 0) {
        ::close(fd);
        fail("flush");
    }
    if (::close(fd) != 0) fail("close");
    if (::rename(temporary.c_str(), path.c_str()) != 0) fail("rename");
    // The rename itself lives in the directory: flush it too, or a crash can undo it.
    std::filesystem::path directory = path.parent_path();
    if (directory.empty()) directory = ".";
    const int dirFd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
}

}  // namespace tengen

#pragma once
// An exclusive flock on a file, held for the object's life; the kernel releases it when the
// process dies, so a killed job never leaves a stale lock behind. On a file system without
// locks (Lustre mounted noflock, some NFS) it warns and guards nothing.

#include <filesystem>

namespace tengen::selfplay {

class FileLock {
public:
    enum class IfHeld { Fail, Wait };
    // Creates the file if needed. With IfHeld::Fail, acquired() says whether another process
    // held the lock. Throws std::runtime_error when the file cannot be created.
    FileLock(const std::filesystem::path& path, IfHeld ifHeld);
    ~FileLock();
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

    bool acquired() const { return acquired_; }

private:
    int fd_ = -1;
    bool acquired_ = true;
};

}  // namespace tengen::selfplay

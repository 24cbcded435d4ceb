#pragma once
// Streams SGF files out of archives, directories and plain files without ever
// unpacking to disk, so that training data can stay in the .tar.gz it came in.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace tengen {

// A single game record is a few KiB; anything this large is junk or an attack,
// and reading it would mean an unbounded allocation.
constexpr std::size_t kMaxSgfFileBytes = std::size_t{16} << 20;

struct SgfFile {
    // "archive.tar.gz:dir/game.sgf" for archive members, otherwise the file's
    // path; paths are spelled as given (directories joined with the relative path).
    std::string name;
    std::string text;  // raw bytes, not parsed
};

struct SkippedSgf {
    std::string name;
    std::string reason;
};

struct SgfScanSummary {
    std::size_t visited = 0;
    std::size_t skipped = 0;
    bool stopped = false;  // the visitor returned false
};

// Return false to stop the scan.
using SgfVisitor = std::function<bool(const SgfFile&)>;
using SgfSkipHandler = std::function<void(const SkippedSgf&)>;

// Visits every *.sgf (any case) found under `paths`, in order:
//  - a directory is searched recursively; its files are visited in byte order
//    of their relative paths, and archives found inside are read too;
//  - a file named *.sgf is read as is;
//  - anything else is opened as an archive by libarchive (tar, zip, ... with
//    gzip, bzip2, xz, ... compression), whose members are streamed in archive order.
// Files over `maxFileBytes` are passed to `onSkip` (if given) and counted, never read.
// The visited SgfFile is reused between calls: copy what must outlive the call.
//
// Throws std::runtime_error naming the path for a missing path, an unreadable
// file, or a corrupt archive (with libarchive's explanation).
SgfScanSummary forEachSgf(const std::vector<std::string>& paths, const SgfVisitor& visit,
                          const SgfSkipHandler& onSkip = {}, std::size_t maxFileBytes = kMaxSgfFileBytes);

}  // namespace tengen

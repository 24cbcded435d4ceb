#include "go/dataset.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>

namespace tengen {

namespace fs = std::filesystem;

namespace {

bool endsWithIgnoringCase(std::string_view text, std::string_view suffix) {
    if (text.size() < suffix.size()) return false;
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return std::equal(suffix.begin(), suffix.end(), text.end() - suffix.size(),
                      [&](char a, char b) { return lower(a) == lower(b); });
}

bool isSgfName(std::string_view name) { return endsWithIgnoringCase(name, ".sgf"); }

// Inside directories only files that look like archives are opened, so that
// stray notes or images next to the data are not reported as corrupt archives.
bool isArchiveName(std::string_view name) {
    for (std::string_view suffix : {".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz",
                                    ".tar.zst", ".tzst", ".zip", ".7z"})
        if (endsWithIgnoringCase(name, suffix)) return true;
    return false;
}

std::string describeSize(std::uintmax_t bytes) { return std::to_string(bytes) + " bytes"; }

struct ArchiveReadFree {
    void operator()(archive* a) const { archive_read_free(a); }
};

class SgfScanner {
public:
    SgfScanner(const SgfVisitor& visit, const SgfSkipHandler& onSkip, std::size_t maxFileBytes)
        : visit_(visit), onSkip_(onSkip), maxFileBytes_(maxFileBytes) {}

    // Each returns false once the visitor has asked to stop.
    bool scan(const std::string& path) {
        std::error_code error;
        const fs::file_status status = fs::status(path, error);
        if (status.type() == fs::file_type::not_found)
            throw std::runtime_error(path + ": no such file or directory");
        if (error) throw std::runtime_error(path + ": " + error.message());
        if (fs::is_directory(status)) return scanDirectory(path);
        if (isSgfName(path)) return readPlainFile(path);
        return scanArchive(path);
    }

    SgfScanSummary summary;

private:
    bool scanDirectory(const std::string& path) {
        std::vector<std::string> files;  // relative to `path`
        for (const fs::directory_entry& entry : fs::recursive_directory_iterator(path)) {
            const std::string relative = entry.path().lexically_relative(path).generic_string();
            if (entry.is_regular_file() && (isSgfName(relative) || isArchiveName(relative)))
                files.push_back(relative);
        }
        // Directory iteration order is up to the file system; sorting makes
        // datasets, and so training runs, reproducible across machines.
        std::sort(files.begin(), files.end());
        for (const std::string& relative : files) {
            const std::string full = (fs::path(path) / relative).string();
            if (!(isSgfName(relative) ? readPlainFile(full) : scanArchive(full))) return false;
        }
        return true;
    }

    bool readPlainFile(const std::string& path) {
        std::error_code error;
        const std::uintmax_t size = fs::file_size(path, error);
        if (error) throw std::runtime_error(path + ": " + error.message());
        if (size > maxFileBytes_) {
            skip(path, describeSize(size) + ", over the limit of " + describeSize(maxFileBytes_));
            return true;
        }
        std::ifstream in(path, std::ios::binary);
        if (!in) throw std::runtime_error(path + ": cannot open for reading");
        file_.name = path;
        file_.text.resize(size);
        in.read(file_.text.data(), static_cast<std::streamsize>(size));
        if (in.bad()) throw std::runtime_error(path + ": read error");
        file_.text.resize(static_cast<std::size_t>(in.gcount()));  // the file may have shrunk since
        return emit();
    }

    bool scanArchive(const std::string& path) {
        const std::unique_ptr<archive, ArchiveReadFree> reader(archive_read_new());
        if (!reader) throw std::runtime_error(path + ": cannot allocate an archive reader");
        archive* const a = reader.get();
        archive_read_support_filter_all(a);
        archive_read_support_format_all(a);
        if (archive_read_open_filename(a, path.c_str(), kBlockBytes) != ARCHIVE_OK) fail(path, a);
        for (;;) {
            archive_entry* entry = nullptr;
            const int result = archive_read_next_header(a, &entry);
            if (result == ARCHIVE_EOF) {
                // libarchive accepts a zero-byte file as an empty archive, but no
                // tar.gz or zip is empty: it is a failed download or copy.
                if (archive_format(a) == ARCHIVE_FORMAT_EMPTY)
                    throw std::runtime_error(path + ": empty file, not an archive");
                return true;
            }
            if (result != ARCHIVE_OK && result != ARCHIVE_WARN) fail(path, a);
            const char* entryName = archive_entry_pathname(entry);
            if (archive_entry_filetype(entry) != AE_IFREG || !entryName || !isSgfName(entryName))
                continue;  // libarchive skips the unread data on the next header
            const std::string name = path + ":" + entryName;
            if (archive_entry_size_is_set(entry) &&
                static_cast<std::uintmax_t>(archive_entry_size(entry)) > maxFileBytes_) {
                skip(name, describeSize(archive_entry_size(entry)) + ", over the limit of " +
                               describeSize(maxFileBytes_));
                continue;
            }
            if (!readEntry(a, name)) {
                // Streamed zip members may not declare their size, hence the check while reading.
                skip(name, "over the limit of " + describeSize(maxFileBytes_));
                continue;
            }
            if (!emit()) return false;
        }
    }

    // Reads the current entry into file_; false if it exceeds the size limit.
    bool readEntry(archive* a, const std::string& name) {
        file_.name = name;
        file_.text.clear();
        buffer_.resize(kBlockBytes);
        for (;;) {
            const la_ssize_t got = archive_read_data(a, buffer_.data(), buffer_.size());
            if (got == 0) return true;
            if (got < 0) fail(name, a);
            if (file_.text.size() + static_cast<std::size_t>(got) > maxFileBytes_) return false;
            file_.text.append(buffer_.data(), static_cast<std::size_t>(got));
        }
    }

    [[noreturn]] static void fail(const std::string& name, archive* a) {
        const char* message = archive_error_string(a);
        throw std::runtime_error(name + ": " + (message ? message : "unreadable archive"));
    }

    bool emit() {
        ++summary.visited;
        if (visit_(file_)) return true;
        summary.stopped = true;
        return false;
    }

    void skip(const std::string& name, std::string reason) {
        ++summary.skipped;
        if (onSkip_) onSkip_(SkippedSgf{name, std::move(reason)});
    }

    static constexpr std::size_t kBlockBytes = 64 * 1024;

    const SgfVisitor& visit_;
    const SgfSkipHandler& onSkip_;
    const std::size_t maxFileBytes_;
    SgfFile file_;
    std::string buffer_;
};

}  // namespace

SgfScanSummary forEachSgf(const std::vector<std::string>& paths, const SgfVisitor& visit,
                          const SgfSkipHandler& onSkip, std::size_t maxFileBytes) {
    SgfScanner scanner(visit, onSkip, maxFileBytes);
    for (const std::string& path : paths)
        if (!scanner.scan(path)) break;
    return scanner.summary;
}

}  // namespace tengen

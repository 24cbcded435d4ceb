#include <archive.h>
#include <archive_entry.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "go/dataset.h"
#include "go/sgf.h"

using namespace tengen;
namespace fs = std::filesystem;

namespace {

class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "tengen-dataset-XXXXXX").string();
        REQUIRE(mkdtemp(pattern.data()) != nullptr);
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string operator/(const std::string& relative) const { return (path_ / relative).string(); }

private:
    fs::path path_;
};

void writeFile(const std::string& path, const std::string& text) {
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
    REQUIRE(out);
}

std::string fixtureDir() {
#ifdef TENGEN_FIXTURES
    return (fs::path(TENGEN_FIXTURES) / "sgf").string();
#else
    return (fs::path(__FILE__).parent_path() / "fixtures" / "sgf").string();
#endif
}

std::string sharedDataDir() {
#ifdef TENGEN_SHARED_DATA
    return TENGEN_SHARED_DATA;
#else
    return "/work/shared/data";
#endif
}

struct Member {
    std::string name;  // a trailing '/' makes a directory entry
    std::string text;
};

enum class ArchiveKind { TarGz, TarBz2, TarXz, Tar, Zip };

void writeArchive(const std::string& path, const std::vector<Member>& members,
                  ArchiveKind kind = ArchiveKind::TarGz) {
    archive* a = archive_write_new();
    switch (kind) {
        case ArchiveKind::TarGz: REQUIRE(archive_write_add_filter_gzip(a) == ARCHIVE_OK); break;
        case ArchiveKind::TarBz2: REQUIRE(archive_write_add_filter_bzip2(a) == ARCHIVE_OK); break;
        case ArchiveKind::TarXz: REQUIRE(archive_write_add_filter_xz(a) == ARCHIVE_OK); break;
        case ArchiveKind::Tar:
        case ArchiveKind::Zip: break;
    }
    REQUIRE((kind == ArchiveKind::Zip ? archive_write_set_format_zip(a)
                                      : archive_write_set_format_pax_restricted(a)) == ARCHIVE_OK);
    REQUIRE(archive_write_open_filename(a, path.c_str()) == ARCHIVE_OK);
    for (const Member& member : members) {
        archive_entry* entry = archive_entry_new();
        const bool directory = member.name.back() == '/';
        archive_entry_set_pathname(entry, member.name.c_str());
        archive_entry_set_filetype(entry, directory ? AE_IFDIR : AE_IFREG);
        archive_entry_set_perm(entry, directory ? 0755 : 0644);
        archive_entry_set_size(entry, directory ? 0 : static_cast<la_int64_t>(member.text.size()));
        REQUIRE(archive_write_header(a, entry) == ARCHIVE_OK);
        if (!directory)
            REQUIRE(archive_write_data(a, member.text.data(), member.text.size()) ==
                    static_cast<la_ssize_t>(member.text.size()));
        archive_entry_free(entry);
    }
    REQUIRE(archive_write_close(a) == ARCHIVE_OK);
    archive_write_free(a);
}

struct Scan {
    std::vector<std::string> names;
    std::vector<std::string> texts;
    std::vector<SkippedSgf> skipped;
    SgfScanSummary summary;
};

Scan scan(const std::vector<std::string>& paths, std::size_t maxFileBytes = kMaxSgfFileBytes) {
    Scan result;
    result.summary = forEachSgf(
        paths,
        [&](const SgfFile& file) {
            result.names.push_back(file.name);
            result.texts.push_back(file.text);
            return true;
        },
        [&](const SkippedSgf& skipped) { result.skipped.push_back(skipped); }, maxFileBytes);
    return result;
}

const std::vector<Member> kGames = {
    {"games/", ""},
    {"games/b.sgf", "(;GM[1]PB[b])"},
    {"games/a.SGF", "(;GM[1]PB[a])"},
    {"games/notes.txt", "not a game"},
    {"games/sub/", ""},
    {"games/sub/c.sgf", "(;GM[1]PB[c];B[pd])"},
    {"games/sgf", "no extension"},
    {"games/empty.sgf", ""},
};

}  // namespace

TEST_CASE("Archives are streamed entry by entry in archive order", "[dataset]") {
    const auto [kind, fileName] = GENERATE(table<ArchiveKind, std::string>({
        {ArchiveKind::TarGz, "games.tar.gz"},
        {ArchiveKind::TarGz, "games.tgz"},
        {ArchiveKind::TarBz2, "games.tar.bz2"},
        {ArchiveKind::TarXz, "games.tar.xz"},
        {ArchiveKind::Tar, "games.tar"},
        {ArchiveKind::Zip, "games.zip"},
    }));
    const TempDir dir;
    const std::string path = dir / fileName;
    writeArchive(path, kGames, kind);

    const Scan result = scan({path});
    CHECK(result.names == std::vector<std::string>{path + ":games/b.sgf", path + ":games/a.SGF",
                                                   path + ":games/sub/c.sgf", path + ":games/empty.sgf"});
    CHECK(result.texts ==
          std::vector<std::string>{"(;GM[1]PB[b])", "(;GM[1]PB[a])", "(;GM[1]PB[c];B[pd])", ""});
    CHECK(result.summary.visited == 4);
    CHECK(result.summary.skipped == 0);
    CHECK_FALSE(result.summary.stopped);
}

TEST_CASE("Directories are searched recursively in sorted order", "[dataset]") {
    const TempDir dir;
    writeFile(dir / "data/b.sgf", "B");
    writeFile(dir / "data/sub/deeper/d.sgf", "D");
    writeFile(dir / "data/a.sgf", "a");
    writeFile(dir / "data/A-upper.sgf", "A");
    writeFile(dir / "data/sub/c.SGF", "C");
    writeFile(dir / "data/z-notes.txt", "ignored");
    writeFile(dir / "data/sub/image.png", "ignored");
    writeArchive(dir / "data/more.tar.gz", {{"x.sgf", "X"}, {"y.txt", "ignored"}});

    const std::string root = dir / "data";
    const Scan result = scan({root});
    CHECK(result.names == std::vector<std::string>{root + "/A-upper.sgf", root + "/a.sgf", root + "/b.sgf",
                                                   root + "/more.tar.gz:x.sgf", root + "/sub/c.SGF",
                                                   root + "/sub/deeper/d.sgf"});
    CHECK(result.texts == std::vector<std::string>{"A", "a", "B", "X", "C", "D"});
    CHECK(scan({root + "/"}).texts == result.texts);
}

TEST_CASE("Plain files, directories and archives mix in the order given", "[dataset]") {
    const TempDir dir;
    writeFile(dir / "one.sgf", "(;GM[1]C[one])");
    writeFile(dir / "folder/two.sgf", "(;GM[1]C[two])");
    writeArchive(dir / "three.tar.gz", {{"three.sgf", "(;GM[1]C[three])"}});

    const Scan result = scan({dir / "three.tar.gz", dir / "one.sgf", dir / "folder"});
    CHECK(result.names == std::vector<std::string>{dir / "three.tar.gz" + ":three.sgf", dir / "one.sgf",
                                                   dir / "folder/two.sgf"});
    // The texts are raw, ready for the SGF parser.
    for (const std::string& text : result.texts) CHECK(parseSgfCollection(text).size() == 1);
}

TEST_CASE("The visitor can stop the scan", "[dataset]") {
    const TempDir dir;
    writeArchive(dir / "games.tar.gz", kGames);
    std::vector<std::string> seen;
    const SgfScanSummary summary =
        forEachSgf({dir / "games.tar.gz", dir / "missing.sgf"}, [&](const SgfFile& file) {
            seen.push_back(file.name);
            return seen.size() < 2;
        });
    CHECK(seen.size() == 2);
    CHECK(summary.visited == 2);
    CHECK(summary.stopped);
}

TEST_CASE("Oversized files are skipped and reported", "[dataset]") {
    const TempDir dir;
    writeArchive(dir / "games.tar.gz",
                 {{"big.sgf", std::string(11, 'x')}, {"fits.sgf", std::string(10, 'y')}});
    writeArchive(dir / "games.zip", {{"big.sgf", std::string(11, 'x')}}, ArchiveKind::Zip);
    writeFile(dir / "big.sgf", std::string(11, 'z'));

    const Scan result = scan({dir / "games.tar.gz", dir / "games.zip", dir / "big.sgf"}, 10);
    CHECK(result.names == std::vector<std::string>{dir / "games.tar.gz" + ":fits.sgf"});
    REQUIRE(result.skipped.size() == 3);
    CHECK(result.skipped[0].name == dir / "games.tar.gz" + ":big.sgf");
    CHECK(result.skipped[1].name == dir / "games.zip" + ":big.sgf");
    CHECK(result.skipped[2].name == dir / "big.sgf");
    for (const SkippedSgf& skipped : result.skipped) CHECK_THAT(skipped.reason, Catch::Contains("limit"));
    CHECK_THAT(result.skipped[0].reason, Catch::Contains("11 bytes"));
    CHECK(result.summary.skipped == 3);

    // Without a handler the skips are still counted.
    CHECK(forEachSgf(
              {dir / "big.sgf"}, [](const SgfFile&) { return true; }, {}, 10)
              .skipped == 1);
}

TEST_CASE("A missing path is an error naming it", "[dataset]") {
    const TempDir dir;
    const std::string missing = dir / "nowhere/games.tar.gz";
    CHECK_THROWS_WITH(scan({missing}), Catch::Contains(missing) && Catch::Contains("no such file"));
    CHECK_THROWS_AS(scan({dir / "absent.sgf"}), std::runtime_error);
}

TEST_CASE("A corrupt archive is an error naming it", "[dataset]") {
    const TempDir dir;
    // Incompressible members, so that a cut lands in the middle of the data.
    std::mt19937 random(7);
    std::vector<Member> members;
    for (int i = 0; i < 8; ++i) {
        std::string text(20000, ' ');
        for (char& c : text) c = static_cast<char>('a' + random() % 26);
        members.push_back({"game" + std::to_string(i) + ".sgf", text});
    }
    const std::string whole = dir / "whole.tar.gz";
    writeArchive(whole, members);
    std::ifstream in(whole, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

    const std::string truncated = dir / "truncated.tar.gz";
    writeFile(truncated, bytes.substr(0, bytes.size() / 2));
    CHECK_THROWS_WITH(scan({truncated}), Catch::StartsWith(truncated + ":"));

    const std::string garbage = dir / "garbage.tar.gz";
    writeFile(garbage, "this is not an archive at all, just text that happens to be long enough");
    CHECK_THROWS_WITH(scan({garbage}), Catch::StartsWith(garbage + ":"));

    const std::string notes = dir / "notes.txt";  // named explicitly, so it must be an archive
    writeFile(notes, "plain notes");
    CHECK_THROWS_AS(scan({notes}), std::runtime_error);

    const std::string empty = dir / "empty.zip";
    writeFile(empty, "");
    CHECK_THROWS_WITH(scan({empty}), Catch::Contains(empty));
}

TEST_CASE("The SGF fixtures are all found and parse", "[dataset]") {
    const std::string root = fixtureDir();
    const Scan result = scan({root});
    CHECK(result.names ==
          std::vector<std::string>{root + "/bad-utf8.sgf", root + "/ff3-quirks.sgf", root + "/gb2312.sgf",
                                   root + "/kgs-2001-07-20-7-handicap.sgf",
                                   root + "/kgs-2001-10-03-1-passes.sgf", root + "/latin1.sgf"});
    for (std::size_t i = 0; i < result.texts.size(); ++i)
        CHECK_NOTHROW(parseSgfCollection(result.texts[i], result.names[i]));
}

TEST_CASE("Reads the KGS archives in shared/data", "[.shared][dataset]") {
    const std::string root = sharedDataDir() + "/kgs-6d";
    std::vector<std::string> names;
    std::size_t games = 0;
    const SgfScanSummary summary = forEachSgf({root}, [&](const SgfFile& file) {
        if (names.size() < 3) names.push_back(file.name);
        games += parseSgfCollection(file.text, file.name).size();
        return true;
    });
    CHECK(summary.visited == 32047);
    CHECK(summary.skipped == 0);
    CHECK(games == summary.visited);
    REQUIRE_FALSE(names.empty());
    CHECK(names.front() == root + "/KGS-2001-19-2298.tar.gz:KGS2001/2001-01-01-1.sgf");
}

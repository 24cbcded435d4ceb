#pragma once
// Generic SGF (FF[4]) game-tree reader and writer. Knows nothing about Go rules:
// it turns text into a tree of nodes holding property id -> value lists.
//
// Every tree the parser returns holds valid UTF-8 only, whatever the file's CA[]
// charset was, so callers never have to think about encodings again.
//
// Trees can be arbitrarily deep (a main line is a chain of children), so every
// traversal here - destruction, comparison, writing - is iterative.

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "go/point.h"

namespace tengen {

// Parentheses nesting beyond this is rejected: no real game comes close, and it
// bounds the parser's bookkeeping for hostile input.
constexpr std::size_t kMaxSgfNesting = 10000;
// Every node costs ~100 bytes while a ';' costs one, so cap the count to keep a
// hostile 16 MiB file from expanding into gigabytes.
constexpr std::size_t kMaxSgfNodes = 2'000'000;

struct SgfProperty {
    std::string id;                   // upper-case letters only, e.g. "AB"
    std::vector<std::string> values;  // unescaped, UTF-8; never empty when parsed
    friend bool operator==(const SgfProperty&, const SgfProperty&) = default;
};

struct SgfNode {
    std::vector<SgfProperty> properties;             // in file order, one entry per id
    std::vector<std::unique_ptr<SgfNode>> children;  // children[0] is the main line

    SgfNode() = default;
    SgfNode(SgfNode&&) = default;
    SgfNode& operator=(SgfNode&&) = default;
    ~SgfNode();  // iterative: a 100000-move main line must not overflow the stack

    const std::vector<std::string>* find(std::string_view id) const;  // nullptr if absent
    std::string value(std::string_view id) const;                     // first value or ""
    bool has(std::string_view id) const { return find(id) != nullptr; }
    void set(std::string id, std::vector<std::string> values);  // replaces, keeps position
    void add(std::string id, std::string value);                // appends a value
    SgfNode& addChild();

    // Deep comparison of properties (order matters) and children.
    friend bool operator==(const SgfNode& a, const SgfNode& b);
};

class SgfError : public std::runtime_error {
public:
    SgfError(std::string sourceName, std::size_t byteOffset, const std::string& problem);

    std::string source;  // file name, or "<string>"
    std::size_t offset;  // byte offset into the parsed text
};

// One game tree as read, with what the reader had to reinterpret to read it.
struct SgfTree {
    std::unique_ptr<SgfNode> root;
    // Each a short label a user can count over a collection: "UTF-16LE with a byte-order
    // mark", "charset detected: CP932", "root node without ';'"...
    std::vector<std::string> fixes;
};

// Parses every game tree in `text` and returns them in file order.
//
// Lenient where real files are sloppy: text before the first "(;" and between
// trees is ignored, whitespace may appear between any tokens, FF[3]-style ids
// such as "AddBlack" keep their capitals only ("AB"), and an id repeated within
// one node has its values merged into the first occurrence. A tree whose root
// has no ';' ("(" then "TE[...]", as the Nihon Ki-in writes them) is read with
// the root as a node.
// Values are unescaped ("\]" -> "]", "\\" -> "\", backslash-newline removed)
// and converted to UTF-8 as described in sgf.cpp: by CA[], by the file's UTF-16 or
// UTF-32 byte-order mark, or by detection when CA[] is missing or unusable. A root
// whose CA[] named another charset gets CA[UTF-8] since that is what its values now are.
//
// Throws SgfError for anything structurally broken: no game tree, truncation,
// unbalanced brackets or parentheses, a missing ';', nesting beyond
// kMaxSgfNesting, more than kMaxSgfNodes nodes. Charset trouble never throws.
std::vector<SgfTree> parseSgfTrees(std::string_view text, std::string_view sourceName = "<string>");

// parseSgfTrees' roots alone.
std::vector<std::unique_ptr<SgfNode>> parseSgfCollection(std::string_view text,
                                                         std::string_view sourceName = "<string>");

// Serialises one game tree with all its variations. `]` and `\` in values are
// escaped; ids are written verbatim, so they must be upper-case letters for the
// text to read back as the same tree (parseSgfCollection(writeSgf(t)) == t).
// A property without values is written as ID[] since SGF has no bare ids.
std::string writeSgf(const SgfNode& root);

// Expands an SGF point list ("list of point" / "elist of point"): single points
// and compressed rectangles "aa:cc" (corners in either order). Passes ("" and,
// on boards up to 19, "tt") stand for no point and are dropped, so AE[] or a
// stray AB[tt] is harmless. Points are returned in list order, duplicates kept.
// Throws std::invalid_argument naming the value for text that is not a point on
// this board: the caller knows which file and node it came from, so it can wrap
// the message with that context.
std::vector<Point> expandSgfPointList(const std::vector<std::string>& values, const Geometry& geometry);

}  // namespace tengen

#include "go/sgf.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "go/text_encoding.h"

namespace tengen {

// ---------------------------------------------------------------------------
// SgfNode

SgfNode::~SgfNode() {
    // Unlink the subtree into a worklist so that each node is destroyed with no
    // children left; plain unique_ptr recursion would go one frame per move.
    std::vector<std::unique_ptr<SgfNode>> pending = std::move(children);
    while (!pending.empty()) {
        std::unique_ptr<SgfNode> node = std::move(pending.back());
        pending.pop_back();
        for (auto& child : node->children) pending.push_back(std::move(child));
        node->children.clear();
    }
}

const std::vector<std::string>* SgfNode::find(std::string_view id) const {
    for (const SgfProperty& property : properties)
        if (property.id == id) return &property.values;
    return nullptr;
}

std::string SgfNode::value(std::string_view id) const {
    const auto* values = find(id);
    return values && !values->empty() ? values->front() : std::string();
}

void SgfNode::set(std::string id, std::vector<std::string> values) {
    for (SgfProperty& property : properties)
        if (property.id == id) {
            property.values = std::move(values);
            return;
        }
    properties.push_back({std::move(id), std::move(values)});
}

void SgfNode::add(std::string id, std::string value) {
    for (SgfProperty& property : properties)
        if (property.id == id) {
            property.values.push_back(std::move(value));
            return;
        }
    properties.push_back({std::move(id), {std::move(value)}});
}

SgfNode& SgfNode::addChild() { return *children.emplace_back(std::make_unique<SgfNode>()); }

bool operator==(const SgfNode& a, const SgfNode& b) {
    std::vector<std::pair<const SgfNode*, const SgfNode*>> pending{{&a, &b}};
    while (!pending.empty()) {
        auto [x, y] = pending.back();
        pending.pop_back();
        if (x->properties != y->properties || x->children.size() != y->children.size()) return false;
        for (std::size_t i = 0; i < x->children.size(); ++i)
            pending.emplace_back(x->children[i].get(), y->children[i].get());
    }
    return true;
}

SgfError::SgfError(std::string sourceName, std::size_t byteOffset, const std::string& problem)
    : std::runtime_error(sourceName + ": byte " + std::to_string(byteOffset) + ": " + problem),
      source(std::move(sourceName)),
      offset(byteOffset) {}

namespace {

// ---------------------------------------------------------------------------
// Charset handling
//
// The tree's values are converted once it is parsed: the structure is ASCII in every
// charset the parser can read, so only values need converting.
//  - CA[] names a charset iconv knows and that keeps ASCII as ASCII: convert with it.
//  - CA[] names UTF-8, or the whole file was UTF-16/32 and is UTF-8 by now: keep valid
//    UTF-8 and read stray bytes as Latin-1 (repairUtf8), as files labelled UTF-8 whose
//    names were typed in CP1252 need.
//  - No CA[], or one iconv cannot use: valid UTF-8 is kept as it is (most writers emit it
//    without saying so); otherwise the detector names the charset from all the tree's text,
//    and when it has no trustworthy answer the Latin-1 repair is used. The FF[4] default is
//    Latin-1 in the spec, and Latin-1 text is almost never valid UTF-8 by accident.

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool isLetter(char c) { return isUpper(c) || (c >= 'a' && c <= 'z'); }

std::string trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

// The labels of SgfTree::fixes for the charset.
std::string ignoredCharsetFix(const std::string& named) {
    return "CA[" + named + "] ignored (iconv cannot read the file with it)";
}

std::string detectedCharsetFix(const std::optional<std::string>& ignored, const std::string& detected) {
    return ignored ? *ignored + ", " + detected + " detected" : "charset detected: " + detected;
}

template <typename Visit>
void forEachValue(SgfNode& root, Visit visit) {
    std::vector<SgfNode*> pending{&root};
    while (!pending.empty()) {
        SgfNode* node = pending.back();
        pending.pop_back();
        for (SgfProperty& property : node->properties)
            for (std::string& value : property.values) visit(value);
        for (auto& child : node->children) pending.push_back(child.get());
    }
}

bool allValuesUtf8(SgfNode& root) {
    bool valid = true;
    forEachValue(root, [&](std::string& value) { valid = valid && isValidUtf8(value); });
    return valid;
}

// Converts the tree's values to UTF-8 and returns what had to be reinterpreted, if anything.
std::optional<std::string> convertTreeToUtf8(SgfNode& root, bool alreadyUtf8) {
    const std::string named = trimmed(root.value("CA"));
    const std::string charset = alreadyUtf8 ? std::string("UTF-8") : named;
    std::optional<std::string> fix;
    std::optional<Utf8Converter> converter;
    if (!namesUtf8(charset)) {
        converter.emplace(charset);
        if (!converter->usable()) {
            converter.reset();
            fix = ignoredCharsetFix(charset);
        }
    }
    const bool unnamed = charset.empty() || fix;
    if (unnamed && !allValuesUtf8(root)) {
        std::string sample;
        forEachValue(root, [&](std::string& value) { sample += value + '\n'; });
        if (const std::optional<std::string> detected = detectCharset(sample)) {
            converter.emplace(*detected);
            if (converter->usable())
                fix = detectedCharsetFix(fix, *detected);
            else
                converter.reset();
        }
        if (!converter) fix = fix ? *fix + ", read as Latin-1" : "no CA[], not UTF-8: read as Latin-1";
    }
    forEachValue(root, [&](std::string& value) {
        if (converter)
            value = converter->convert(value);
        else if (!isValidUtf8(value))
            value = repairUtf8(value);
    });
    if (!namesUtf8(named)) root.set("CA", {"UTF-8"});  // what the values are now
    return fix;
}

// A file in a charset whose characters may hold '[', ']' or '\\' bytes must be converted
// whole before it is parsed (see hidesAsciiInMultibyte). Such a charset is found from the
// first CA[] in the raw text, or, when there is none or iconv cannot use it, by detection
// over the whole file. A collection mixing such a charset with others is not worth the
// trouble: the first CA[] decides.
struct WholeFileCharset {
    std::string name;
    std::optional<std::string> fix;  // when it was detected rather than named
};

// The value of the first CA property in raw text: "CA" not part of a longer id, then '['
// (spaces allowed before it). A comment that mentions "CA[" can fool it; no real file does.
std::optional<std::string> firstCharset(std::string_view text) {
    for (std::size_t at = text.find("CA"); at != std::string_view::npos; at = text.find("CA", at + 2)) {
        if (at > 0 && isLetter(text[at - 1])) continue;
        std::size_t open = at + 2;
        while (open < text.size() && isSpace(text[open])) ++open;
        if (open >= text.size() || text[open] != '[') continue;
        const std::size_t close = text.find(']', open);
        if (close == std::string_view::npos) return std::nullopt;
        return trimmed(text.substr(open + 1, close - open - 1));
    }
    return std::nullopt;
}

std::optional<WholeFileCharset> charsetToConvertFirst(std::string_view text) {
    std::optional<std::string> ignored;
    if (const std::optional<std::string> charset = firstCharset(text)) {
        const std::string& named = *charset;
        if (namesUtf8(named)) return std::nullopt;
        if (Utf8Converter(named).usable()) {
            if (hidesAsciiInMultibyte(named)) return WholeFileCharset{named, std::nullopt};
            return std::nullopt;
        }
        ignored = ignoredCharsetFix(named);
    }
    if (isValidUtf8(text)) return std::nullopt;
    const std::optional<std::string> detected = detectCharset(text);
    if (!detected || !hidesAsciiInMultibyte(*detected) || !Utf8Converter(*detected).usable()) return std::nullopt;
    return WholeFileCharset{*detected, detectedCharsetFix(ignored, *detected)};
}

// ---------------------------------------------------------------------------
// Parser

std::string describe(char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7F) return std::string("character '") + c + "'";
    static constexpr char kHex[] = "0123456789abcdef";
    return std::string("byte 0x") + kHex[byte >> 4] + kHex[byte & 15];
}

class SgfParser {
public:
    SgfParser(std::string_view text, std::string_view source) : text_(text), source_(source) {}

    // `alreadyUtf8`: the text was converted from UTF-16/32 (see parseSgfTrees) and `fix`
    // says so; every tree then carries that fix.
    std::vector<SgfTree> parseCollection(bool alreadyUtf8, const std::optional<std::string>& fix) {
        std::vector<SgfTree> trees;
        pos_ = findFirstTree();
        while (pos_ < text_.size()) {
            treeFixes_.clear();
            if (fix) treeFixes_.push_back(*fix);
            SgfTree& tree = trees.emplace_back(SgfTree{parseTree(), {}});
            if (auto charsetFix = convertTreeToUtf8(*tree.root, alreadyUtf8)) treeFixes_.push_back(*charsetFix);
            tree.fixes = std::move(treeFixes_);
            // Trailing text is tolerated like leading junk, but a stray ')' means
            // the file's parentheses do not balance.
            pos_ = text_.find_first_of("()", pos_);
            if (pos_ != std::string_view::npos && text_[pos_] == ')')
                fail(pos_, "unbalanced parentheses: ')' without a matching '('");
        }
        return trees;
    }

private:
    [[noreturn]] void fail(std::size_t offset, const std::string& problem) const {
        throw SgfError(std::string(source_), offset, problem);
    }

    [[noreturn]] void failEmptyTree(std::size_t open) const {
        fail(pos_, "missing ';': game tree at byte " + std::to_string(open) + " has no node");
    }

    void skipSpace() {
        while (pos_ < text_.size() && isSpace(text_[pos_])) ++pos_;
    }

    // Whether a property ("TE[", "GM [") starts at `at`.
    bool propertyAt(std::size_t at) const {
        const std::size_t start = at;
        while (at < text_.size() && isUpper(text_[at])) ++at;
        if (at == start) return false;
        while (at < text_.size() && isSpace(text_[at])) ++at;
        return at < text_.size() && text_[at] == '[';
    }

    // Real files may carry mail headers, HTML or notes before the game, so the first tree
    // is the first '(' whose next token is ';' - or a property, since the Nihon Ki-in's
    // records open "(" CRLF "TE[...]" with the root's ';' left out.
    std::size_t findFirstTree() const {
        const std::size_t firstParen = text_.find('(');
        for (std::size_t open = firstParen; open != std::string_view::npos;
             open = text_.find('(', open + 1)) {
            std::size_t next = open + 1;
            while (next < text_.size() && isSpace(text_[next])) ++next;
            if (next < text_.size() && (text_[next] == ';' || propertyAt(next))) return open;
        }
        if (firstParen != std::string_view::npos) fail(firstParen, "no game tree: missing ';' after '('");
        fail(0, text_.empty() ? "no game tree: empty input" : "no game tree: no '(' found");
    }

    // Iterative so that nesting depth costs heap, not stack.
    std::unique_ptr<SgfNode> parseTree() {
        struct OpenTree {
            SgfNode* parent;   // node the tree hangs from; nullptr for the root tree
            SgfNode* last;     // last node of the tree's sequence so far
            std::size_t open;  // offset of its '('
            bool hasVariations;
        };
        std::unique_ptr<SgfNode> root;
        std::vector<OpenTree> open{{nullptr, nullptr, pos_++, false}};
        for (;;) {
            skipSpace();
            if (pos_ >= text_.size())
                fail(text_.size(),
                     "truncated: '(' at byte " + std::to_string(open.back().open) + " is never closed");
            OpenTree& tree = open.back();
            const char c = text_[pos_];
            if (c == ';') {
                if (tree.hasVariations) fail(pos_, "node after variations: ';' must precede '('");
                if (++nodeCount_ > kMaxSgfNodes)
                    fail(pos_, "more than " + std::to_string(kMaxSgfNodes) + " nodes");
                ++pos_;
                SgfNode* node;
                if (tree.last)
                    node = &tree.last->addChild();
                else if (tree.parent)
                    node = &tree.parent->addChild();
                else
                    node = (root = std::make_unique<SgfNode>()).get();
                tree.last = node;
                parseProperties(*node);
            } else if (c == '(') {
                if (!tree.last) failEmptyTree(tree.open);
                if (open.size() >= kMaxSgfNesting)
                    fail(pos_, "game trees nested deeper than " + std::to_string(kMaxSgfNesting));
                tree.hasVariations = true;
                open.push_back({tree.last, nullptr, pos_++, false});
            } else if (c == ')') {
                if (!tree.last) failEmptyTree(tree.open);
                ++pos_;
                open.pop_back();
                if (open.empty()) return root;
            } else if (c == '[' || c == ']') {
                fail(pos_, std::string("unbalanced brackets: '") + c + "' outside a property");
            } else if (isLetter(c) && !root && propertyAt(pos_)) {
                // A game tree's root without its ';' (Nihon Ki-in): read it as a node, as
                // Sabaki does. Anywhere else a missing ';' is an error.
                ++nodeCount_;
                root = std::make_unique<SgfNode>();
                tree.last = root.get();
                parseProperties(*root);
                treeFixes_.push_back("root node without ';'");
            } else if (isLetter(c)) {
                fail(pos_, tree.last ? "property after variations: it must precede '('"
                                     : "missing ';' before the first property");
            } else {
                fail(pos_, "unexpected " + describe(c));
            }
        }
    }

    void parseProperties(SgfNode& node) {
        for (;;) {
            skipSpace();
            if (pos_ >= text_.size() || !isLetter(text_[pos_])) return;
            // FF[3] allowed lower-case letters inside ids ("AddBlack"); only the
            // capitals carry meaning.
            const std::size_t start = pos_;
            std::string id;
            for (; pos_ < text_.size() && isLetter(text_[pos_]); ++pos_)
                if (isUpper(text_[pos_])) id += text_[pos_];
            if (id.empty())
                fail(start, "property identifier '" + std::string(text_.substr(start, pos_ - start)) +
                                "' has no capital letter");
            skipSpace();
            if (pos_ >= text_.size() || text_[pos_] != '[') {
                if (pos_ >= text_.size()) fail(text_.size(), "truncated: property " + id + " has no value");
                fail(pos_, "property " + id + " has no value");
            }
            // Files in the wild repeat ids within a node (AB[aa]AB[bb]); merging keeps
            // find() complete.
            std::vector<std::string>* values = nullptr;
            for (SgfProperty& property : node.properties)
                if (property.id == id) values = &property.values;
            if (!values) values = &node.properties.emplace_back(SgfProperty{std::move(id), {}}).values;
            while (pos_ < text_.size() && text_[pos_] == '[') {
                values->push_back(parseValue());
                skipSpace();
            }
        }
    }

    std::string parseValue() {
        const std::size_t open = pos_++;
        std::string value;
        for (;;) {
            const std::size_t stop = text_.find_first_of("]\\", pos_);
            if (stop == std::string_view::npos || (stop + 1 == text_.size() && text_[stop] == '\\'))
                fail(open, "unbalanced brackets: '[' is never closed");
            value.append(text_, pos_, stop - pos_);
            pos_ = stop + 1;
            if (text_[stop] == ']') return value;
            const char escaped = text_[pos_++];
            if (escaped == '\n' || escaped == '\r') {
                // Soft line break: the escaped newline (\n, \r, \r\n or \n\r) vanishes.
                if (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r') &&
                    text_[pos_] != escaped)
                    ++pos_;
            } else {
                value += escaped;
            }
        }
    }

    std::string_view text_;
    std::string_view source_;
    std::size_t pos_ = 0;
    std::size_t nodeCount_ = 0;
    std::vector<std::string> treeFixes_;  // of the tree being parsed
};

// ---------------------------------------------------------------------------
// Writer

class SgfWriter {
public:
    std::string write(const SgfNode& root) {
        out_ += '(';
        writeNode(root);
        newline();  // the game information gets a line of its own
        struct Fork {
            const SgfNode* node;
            std::size_t nextChild;
        };
        std::vector<Fork> forks;
        const SgfNode* node = &root;
        for (;;) {
            if (node->children.size() == 1) {
                node = node->children.front().get();
                writeNode(*node);
                continue;
            }
            if (node->children.size() > 1)
                forks.push_back({node, 0});
            else
                out_ += ')';  // end of this line of play
            node = nullptr;
            while (!forks.empty() && !node) {
                Fork& fork = forks.back();
                if (fork.nextChild < fork.node->children.size()) {
                    node = fork.node->children[fork.nextChild++].get();
                    newline();
                    out_ += '(';
                    writeNode(*node);
                } else {
                    forks.pop_back();
                    out_ += ')';  // closes the tree the fork node belongs to
                }
            }
            if (!node) break;
        }
        out_ += '\n';
        return std::move(out_);
    }

private:
    static constexpr std::size_t kLineWidth = 80;

    std::size_t column() const { return out_.size() - lineStart_; }

    void newline() {
        if (column() == 0) return;
        out_ += '\n';
        lineStart_ = out_.size();
    }

    // Properties are never split, so only a long value or closing parentheses overhang a line.
    void writeNode(const SgfNode& node) {
        if (node.properties.empty()) {
            if (column() >= kLineWidth) newline();
            out_ += ';';
            return;
        }
        bool first = true;
        for (const SgfProperty& property : node.properties) {
            piece_ = property.id;
            if (property.values.empty()) piece_ += "[]";
            for (const std::string& value : property.values) {
                piece_ += '[';
                for (const char c : value) {
                    if (c == ']' || c == '\\') piece_ += '\\';
                    piece_ += c;
                }
                piece_ += ']';
            }
            if (column() + piece_.size() + first > kLineWidth) newline();
            if (first) out_ += ';';
            first = false;
            out_ += piece_;
            if (const auto lastNewline = piece_.rfind('\n'); lastNewline != std::string::npos)
                lineStart_ = out_.size() - (piece_.size() - lastNewline - 1);
        }
    }

    std::string piece_;  // one formatted property, reused to save allocations
    std::string out_;
    std::size_t lineStart_ = 0;
};

}  // namespace

std::vector<SgfTree> parseSgfTrees(std::string_view text, std::string_view sourceName) {
    // Offsets in errors are into the UTF-8 text when the file was converted whole, and the
    // source says so.
    const auto readAs = [&](const std::string& encoding) {
        return std::string(sourceName) + " (read as " + encoding + ")";
    };
    if (std::optional<ByteOrderMarkText> decoded = decodeByteOrderMark(text))
        return SgfParser(decoded->utf8, readAs(decoded->encoding))
            .parseCollection(true, decoded->encoding + " with a byte-order mark");
    if (std::optional<WholeFileCharset> charset = charsetToConvertFirst(text)) {
        Utf8Converter converter(charset->name);
        return SgfParser(converter.convert(text), readAs(charset->name)).parseCollection(true, charset->fix);
    }
    return SgfParser(text, sourceName).parseCollection(false, std::nullopt);
}

std::vector<std::unique_ptr<SgfNode>> parseSgfCollection(std::string_view text, std::string_view sourceName) {
    std::vector<std::unique_ptr<SgfNode>> roots;
    for (SgfTree& tree : parseSgfTrees(text, sourceName)) roots.push_back(std::move(tree.root));
    return roots;
}

std::string writeSgf(const SgfNode& root) { return SgfWriter().write(root); }

std::vector<Point> expandSgfPointList(const std::vector<std::string>& values, const Geometry& geometry) {
    const auto parse = [&](std::string_view text, const std::string& value) {
        const std::optional<Point> point = geometry.parseSgfPoint(text);
        if (!point || (*point != kPass && !geometry.onBoard(*point)))
            throw std::invalid_argument("SGF point list value '" + value + "' is not on a " +
                                        std::to_string(geometry.size()) + "x" +
                                        std::to_string(geometry.size()) + " board");
        return *point;
    };
    std::vector<Point> points;
    for (const std::string& value : values) {
        const std::size_t colon = value.find(':');
        if (colon == std::string::npos) {
            if (const Point point = parse(value, value); point != kPass) points.push_back(point);
            continue;
        }
        const Point a = parse(std::string_view(value).substr(0, colon), value);
        const Point b = parse(std::string_view(value).substr(colon + 1), value);
        if (a == kPass || b == kPass)
            throw std::invalid_argument("SGF point range '" + value + "' has a pass as a corner");
        // Corners in either order: the spec wants upper-left first, writers differ.
        const int colA = geometry.col(a), colB = geometry.col(b);
        const int rowA = geometry.row(a), rowB = geometry.row(b);
        for (int row = std::min(rowA, rowB); row <= std::max(rowA, rowB); ++row)
            for (int col = std::min(colA, colB); col <= std::max(colA, colB); ++col)
                points.push_back(geometry.point(col, row));
    }
    return points;
}

}  // namespace tengen

#include "go/sgf.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <utility>

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
// Invalid bytes are decoded as Latin-1 rather than replaced by U+FFFD: the usual
// culprit is Latin-1/CP1252 text in a file that claims (or defaults to) UTF-8,
// for which this yields the intended "Müller" instead of "M\uFFFDller", and it
// keeps distinct bytes distinct, so nothing is lost. The same trick makes the
// FF[4] default (which the spec says is Latin-1, while modern writers emit
// UTF-8 without saying so) come out right either way: Latin-1 text is almost
// never valid UTF-8 by accident.

void appendLatin1(std::string& out, unsigned char byte) {
    if (byte < 0x80) {
        out += static_cast<char>(byte);
    } else {
        out += static_cast<char>(0xC0 | (byte >> 6));
        out += static_cast<char>(0x80 | (byte & 0x3F));
    }
}

// Length of the well-formed UTF-8 sequence starting at text[i], or 0 if it is
// malformed (overlong forms, surrogates and code points past U+10FFFF included).
std::size_t utf8SequenceLength(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    if (lead < 0x80) return 1;
    std::size_t length;
    unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF)
        length = 2;
    else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;
        if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;
        if (lead == 0xF4) high = 0x8F;
    } else
        return 0;
    if (i + length > text.size()) return 0;
    if (byte(i + 1) < low || byte(i + 1) > high) return 0;
    for (std::size_t k = 2; k < length; ++k)
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
    return length;
}

bool isValidUtf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = utf8SequenceLength(text, i);
        if (length == 0) return false;
        i += length;
    }
    return true;
}

std::string repairUtf8(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 8);
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = utf8SequenceLength(text, i);
        if (length == 0) {
            appendLatin1(out, static_cast<unsigned char>(text[i++]));
        } else {
            out.append(text, i, length);
            i += length;
        }
    }
    return out;
}

bool namesUtf8(std::string_view charset) {
    std::string lower(charset);
    for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return lower.empty() || lower == "utf-8" || lower == "utf8";
}

// One iconv descriptor per game tree: the charset is a property of the tree, and
// owning the descriptor keeps concurrent parses independent.
class Utf8Converter {
public:
    explicit Utf8Converter(const std::string& charset) {
        if (namesUtf8(charset)) return;
        iconv_ = iconv_open("UTF-8", charset.c_str());
        opened_ = iconv_ != reinterpret_cast<iconv_t>(static_cast<std::intptr_t>(-1));
        // The file's structure was read as ASCII, so a charset that does not map
        // ASCII to itself (UTF-16, EBCDIC, ...) is a mislabel; trusting it would
        // garble every move. Such files get the byte-level repair instead.
        std::string probe = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 .:+-";
        if (opened_ && viaIconv(probe) != probe) {
            iconv_close(iconv_);
            opened_ = false;
        }
    }
    ~Utf8Converter() {
        if (opened_) iconv_close(iconv_);
    }
    Utf8Converter(const Utf8Converter&) = delete;
    Utf8Converter& operator=(const Utf8Converter&) = delete;

    void convert(std::string& value) {
        if (opened_)
            value = viaIconv(value);
        else if (!isValidUtf8(value))
            value = repairUtf8(value);
    }

private:
    std::string viaIconv(std::string& value) {
        std::string out;
        out.reserve(value.size() + value.size() / 2);
        iconv(iconv_, nullptr, nullptr, nullptr, nullptr);  // fresh shift state per value
        char* in = value.data();
        std::size_t inLeft = value.size();
        char buffer[1024];
        while (inLeft > 0) {
            char* outPtr = buffer;
            std::size_t outLeft = sizeof buffer;
            const std::size_t result = iconv(iconv_, &in, &inLeft, &outPtr, &outLeft);
            out.append(buffer, static_cast<std::size_t>(outPtr - buffer));
            if (result == static_cast<std::size_t>(-1) && errno != E2BIG) {
                // Invalid or truncated sequence: keep the byte, resynchronise after it.
                appendLatin1(out, static_cast<unsigned char>(*in));
                ++in;
                --inLeft;
                iconv(iconv_, nullptr, nullptr, nullptr, nullptr);
            }
        }
        char* outPtr = buffer;
        std::size_t outLeft = sizeof buffer;
        iconv(iconv_, nullptr, nullptr, &outPtr, &outLeft);  // flush a pending shift sequence
        out.append(buffer, static_cast<std::size_t>(outPtr - buffer));
        return out;
    }

    iconv_t iconv_{};
    bool opened_ = false;  // false also when iconv does not know the charset
};

void convertTreeToUtf8(SgfNode& root) {
    std::string charset = root.value("CA");
    const auto first = charset.find_first_not_of(" \t\r\n");
    const auto last = charset.find_last_not_of(" \t\r\n");
    charset = first == std::string::npos ? std::string() : charset.substr(first, last - first + 1);

    Utf8Converter converter(charset);
    std::vector<SgfNode*> pending{&root};
    while (!pending.empty()) {
        SgfNode* node = pending.back();
        pending.pop_back();
        for (SgfProperty& property : node->properties)
            for (std::string& value : property.values) converter.convert(value);
        for (auto& child : node->children) pending.push_back(child.get());
    }
    if (!namesUtf8(charset)) root.set("CA", {"UTF-8"});
}

// ---------------------------------------------------------------------------
// Parser

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool isLetter(char c) { return isUpper(c) || (c >= 'a' && c <= 'z'); }

std::string describe(char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7F) return std::string("character '") + c + "'";
    static constexpr char kHex[] = "0123456789abcdef";
    return std::string("byte 0x") + kHex[byte >> 4] + kHex[byte & 15];
}

class SgfParser {
public:
    SgfParser(std::string_view text, std::string_view source) : text_(text), source_(source) {}

    std::vector<std::unique_ptr<SgfNode>> parseCollection() {
        std::vector<std::unique_ptr<SgfNode>> trees;
        pos_ = findFirstTree();
        while (pos_ < text_.size()) {
            trees.push_back(parseTree());
            convertTreeToUtf8(*trees.back());
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

    // Real files may carry mail headers, HTML or notes before the game, so the
    // first tree is the first '(' whose next token is ';'.
    std::size_t findFirstTree() const {
        const std::size_t firstParen = text_.find('(');
        for (std::size_t open = firstParen; open != std::string_view::npos;
             open = text_.find('(', open + 1)) {
            std::size_t next = open + 1;
            while (next < text_.size() && isSpace(text_[next])) ++next;
            if (next < text_.size() && text_[next] == ';') return open;
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

std::vector<std::unique_ptr<SgfNode>> parseSgfCollection(std::string_view text, std::string_view sourceName) {
    return SgfParser(text, sourceName).parseCollection();
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

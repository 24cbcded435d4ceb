#pragma once
// Bytes in whatever encoding a file was saved in, turned into UTF-8: iconv for a named
// charset, Mozilla's universal charset detector (uchardet) for an unnamed one, and a
// byte-level repair that reads stray bytes as Latin-1.

#include <iconv.h>

#include <optional>
#include <string>
#include <string_view>

namespace tengen {

bool isValidUtf8(std::string_view text);

// Valid UTF-8 sequences are kept; every other byte is read as Latin-1. The usual culprit is
// Latin-1/CP1252 text where UTF-8 was expected, for which this yields the intended "Müller"
// rather than "M\uFFFDller", and distinct bytes stay distinct, so nothing is lost.
std::string repairUtf8(std::string_view text);

bool namesUtf8(std::string_view charset);  // "UTF-8", "utf8" or "" (the default)

// Text whose first bytes are a UTF-16 or UTF-32 byte-order mark, converted whole: such
// files cannot even be parsed until they are (every ASCII byte has a zero beside it).
struct ByteOrderMarkText {
    std::string encoding;  // "UTF-16LE", "UTF-16BE", "UTF-32LE" or "UTF-32BE"
    std::string utf8;      // the text after the mark
};
std::optional<ByteOrderMarkText> decodeByteOrderMark(std::string_view text);

// The charset uchardet finds for `sample`, if it is one worth trusting: a multibyte East
// Asian encoding (Shift_JIS, EUC-JP, EUC-KR/UHC, GB18030, Big5, ...) or a Cyrillic one.
// Its single-byte Latin guesses on a few names are no better than chance (it calls "Müller"
// ISO-8859-3), so for those, and when it has no answer, this returns nullopt and the
// caller keeps the Latin-1 repair.
std::optional<std::string> detectCharset(std::string_view sample);

// Whether the charset's multibyte characters may hold bytes in the ASCII range - '[', ']'
// or '\\' - as Shift_JIS's 十 (8F 5C), Big5's, GBK's and Johab's characters can, and every
// character of the 7-bit ISO-2022 encodings does. Text in such a
// charset must be converted before the SGF structure is read, or a 5C trail byte reads as
// an escape.
bool hidesAsciiInMultibyte(std::string_view charset);

// One iconv descriptor, converting to UTF-8. Invalid or truncated sequences keep their
// bytes as Latin-1 and conversion resumes after them, so it never fails part way.
class Utf8Converter {
public:
    // usable() is false when iconv does not know `charset`, or when the charset does not
    // map ASCII to itself (UTF-16, EBCDIC...): the file's structure was read as ASCII, so
    // such a label is wrong, and trusting it would garble every move.
    explicit Utf8Converter(const std::string& charset, bool requireAsciiCompatible = true);
    ~Utf8Converter();
    Utf8Converter(const Utf8Converter&) = delete;
    Utf8Converter& operator=(const Utf8Converter&) = delete;

    bool usable() const { return open_; }
    std::string convert(std::string_view text);

private:
    iconv_t iconv_{};
    bool open_ = false;
};

}  // namespace tengen

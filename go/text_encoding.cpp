#include "go/text_encoding.h"

#include <uchardet/uchardet.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <memory>

namespace tengen {

namespace {

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

std::string upperCase(std::string_view text) {
    std::string upper(text);
    for (char& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    return upper;
}

// The detector's answers that are trusted (uchardet's spelling). The 7-bit East Asian
// encodings (ISO-2022-*, HZ) are not among them: their text is valid UTF-8, which is kept as
// it is and never sent to the detector.
constexpr std::array<std::string_view, 14> kTrustedDetections{
    "SHIFT_JIS", "EUC-JP",       "EUC-KR", "UHC",        "JOHAB",  "GB18030",     "BIG5",
    "EUC-TW",    "WINDOWS-1251", "KOI8-R", "ISO-8859-5", "IBM866", "IBM855",      "MAC-CYRILLIC"};

}  // namespace

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
    const std::string upper = upperCase(charset);
    return upper.empty() || upper == "UTF-8" || upper == "UTF8";
}

bool hidesAsciiInMultibyte(std::string_view charset) {
    // The 7-bit ones (ISO-2022-*, HZ) spell their two-byte characters in ASCII bytes outright.
    static constexpr std::array<std::string_view, 27> kNames{
        "SHIFT_JIS",   "SHIFT-JIS",   "SJIS",        "MS_KANJI",   "CSSHIFTJIS", "CP932",     "WINDOWS-31J",
        "MS932",       "BIG5",        "BIG-5",       "BIG5-HKSCS", "BIG5HKSCS",  "CP950",     "GBK",
        "CP936",       "MS936",       "WINDOWS-936", "GB18030",    "CSBIG5",     "JOHAB",     "ISO-2022-JP",
        "ISO-2022-JP-2", "ISO-2022-KR", "ISO-2022-CN", "ISO-2022-CN-EXT", "HZ",   "HZ-GB-2312"};
    const std::string upper = upperCase(charset);
    return std::find(kNames.begin(), kNames.end(), upper) != kNames.end();
}

std::optional<ByteOrderMarkText> decodeByteOrderMark(std::string_view text) {
    struct Mark {
        std::string_view bytes;
        const char* encoding;
    };
    // UTF-32LE's mark begins with UTF-16LE's, so it is tried first.
    static constexpr std::array<Mark, 4> kMarks{{{std::string_view("\xFF\xFE\0\0", 4), "UTF-32LE"},
                                                 {std::string_view("\0\0\xFE\xFF", 4), "UTF-32BE"},
                                                 {"\xFF\xFE", "UTF-16LE"},
                                                 {"\xFE\xFF", "UTF-16BE"}}};
    for (const Mark& mark : kMarks) {
        if (text.substr(0, mark.bytes.size()) != mark.bytes) continue;
        Utf8Converter converter(mark.encoding, false);
        if (!converter.usable()) return std::nullopt;
        return ByteOrderMarkText{mark.encoding, converter.convert(text.substr(mark.bytes.size()))};
    }
    return std::nullopt;
}

std::optional<std::string> detectCharset(std::string_view sample) {
    const std::unique_ptr<uchardet, void (*)(uchardet_t)> detector(uchardet_new(), uchardet_delete);
    if (!detector || uchardet_handle_data(detector.get(), sample.data(), sample.size()) != 0) return std::nullopt;
    uchardet_data_end(detector.get());
    const std::string charset = upperCase(uchardet_get_charset(detector.get()));
    if (std::find(kTrustedDetections.begin(), kTrustedDetections.end(), charset) == kTrustedDetections.end())
        return std::nullopt;
    // Windows saved these files in Microsoft's supersets, which hold more characters (NEC's
    // and IBM's kanji, the Hangul syllables outside KS X 1001) and read the rest the same.
    if (charset == "SHIFT_JIS") return "CP932";
    if (charset == "EUC-KR") return "CP949";
    return charset;
}

Utf8Converter::Utf8Converter(const std::string& charset, bool requireAsciiCompatible) {
    iconv_ = iconv_open("UTF-8", charset.c_str());
    open_ = iconv_ != reinterpret_cast<iconv_t>(static_cast<std::intptr_t>(-1));
    if (open_ && requireAsciiCompatible) {
        const std::string probe = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 .:+-";
        if (convert(probe) != probe) {
            iconv_close(iconv_);
            open_ = false;
        }
    }
}

Utf8Converter::~Utf8Converter() {
    if (open_) iconv_close(iconv_);
}

std::string Utf8Converter::convert(std::string_view text) {
    std::string input(text);  // iconv wants a mutable pointer
    std::string out;
    out.reserve(input.size() + input.size() / 2);
    iconv(iconv_, nullptr, nullptr, nullptr, nullptr);  // a fresh shift state for each text
    char* in = input.data();
    std::size_t inLeft = input.size();
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

}  // namespace tengen

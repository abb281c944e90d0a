// CLD2 (Compact Language Detector 2) from Debian (libcld2-dev).
//
// CLD2's interface is C++ (namespaces, overloads, enum types), which Swift cannot call without C++
// interoperability for the whole package; this header exposes the one call Winnow needs as plain C.
#ifndef CCLD2_H
#define CCLD2_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The top language of a text, as CLD2 reports it.
typedef struct ccld2_result {
    /// CLD2's language code, NUL-terminated ("en", "zh-Hant", "un" when unknown).
    char code[16];
    /// The share (0-100) of the text's scored bytes assigned to the top language.
    int percent;
    /// CLD2's own judgement of whether the answer is reliable.
    bool reliable;
    /// How many bytes of letters CLD2 scored.
    int text_bytes;
} ccld2_result;

/// Detects the language of `length` bytes of valid UTF-8 plain text.
ccld2_result ccld2_detect(const char *text, size_t length);

#ifdef __cplusplus
}
#endif

#endif

// Forwards the C declaration in ccld2.h to CLD2's C++ API.
// <cstdio> comes first: compact_lang_det.h uses NULL and size types without including a header for them.
#include <cstdio>
#include <cstring>
#include <climits>
#include <cld2/public/compact_lang_det.h>

#include "ccld2.h"

extern "C" ccld2_result ccld2_detect(const char *text, size_t length) {
    ccld2_result result = {};
    int bounded = length > static_cast<size_t>(INT_MAX) ? INT_MAX : static_cast<int>(length);
    CLD2::Language language3[3];
    int percent3[3] = {0, 0, 0};
    int text_bytes = 0;
    bool reliable = false;
    CLD2::Language top = CLD2::ExtDetectLanguageSummary(
        text, bounded, true, language3, percent3, &text_bytes, &reliable);
    const char *code = CLD2::LanguageCode(top);
    std::strncpy(result.code, code ? code : "un", sizeof(result.code) - 1);
    result.percent = percent3[0];
    result.reliable = reliable;
    result.text_bytes = text_bytes;
    return result;
}

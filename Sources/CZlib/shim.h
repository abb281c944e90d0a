// zlib from Debian (zlib1g-dev).
#include <zlib.h>

// `inflateInit2` is a macro that passes the library version and the stream size, which Swift
// cannot call; this function forwards to it so the check zlib does on those values still runs.
static inline int winnow_inflate_init2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}

// `deflateInit2` is a macro for the same reason; this forwards to it.
static inline int winnow_deflate_init2(z_streamp stream, int level, int windowBits) {
    return deflateInit2(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}

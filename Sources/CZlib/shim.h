// zlib from Debian (zlib1g-dev).
#include <zlib.h>

// `inflateInit2` is a macro that passes the library version and the stream size, which Swift
// cannot call; this function forwards to it so the check zlib does on those values still runs.
static inline int winnow_inflate_init2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}

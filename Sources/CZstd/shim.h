// libzstd from Debian (libzstd-dev): only the stable streaming decompression API is used.
#include <zstd.h>

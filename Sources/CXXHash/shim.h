// libxxhash from Debian (libxxhash-dev). The header is used as shipped: XXH3-128 is part of the
// stable API since xxHash 0.8, so no XXH_STATIC_LINKING_ONLY or inline mode is needed.
#include <xxhash.h>

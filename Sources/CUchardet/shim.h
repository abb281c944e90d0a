// uchardet from Debian (libuchardet-dev), used to guess the charset of text that declares none
// and is not valid UTF-8. Its header is plain C and used as shipped; this shim only exists because
// a system library target needs one header to name in its module map (the include path comes
// from pkg-config, which points at /usr/include/uchardet).
#include <uchardet.h>

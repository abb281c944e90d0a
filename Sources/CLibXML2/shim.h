// libxml2 from Debian (libxml2-dev; headers in /usr/include/libxml2, found through pkg-config).
// Only the HTML parser and the tree API are used: the parser turns real-world tag soup (unclosed and
// mis-nested tags, unknown entities) into a tree, which the Swift side walks. This header exists
// because a system library target needs one file that includes everything the module exports.
#include <libxml/xmlversion.h>

// Debian builds libxml2 with ICU, so <libxml/encoding.h> would include the system's ICU headers,
// whose `UErrorCode` clashes with the copy inside Foundation (_FoundationICU) in any module that
// imports both. Only the ICU-specific fields of `xmlCharEncodingHandler` depend on this macro, and
// that struct is never touched from Swift: input is always UTF-8.
#undef LIBXML_ICU_ENABLED

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>

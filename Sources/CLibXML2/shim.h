// libxml2 from Debian (libxml2-dev; headers in /usr/include/libxml2, found through pkg-config).
// Only the HTML parser and the tree API are used: the parser turns real-world tag soup (unclosed and
// mis-nested tags, unknown entities) into a tree, which the Swift side walks. This header exists
// because a system library target needs one file that includes everything the module exports.
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

// SQLite from Debian (libsqlite3-dev), the same library GRDB links. The store's hot statements (a
// lookup or an insert per document and index row) bind and step through the C API on statements
// that GRDB prepared and caches, which skips the per-call argument arrays and row objects. The
// destructor constant is a cast macro Swift cannot import, hence the one inline function.
#include <sqlite3.h>

/// SQLITE_TRANSIENT: SQLite copies a bound text or blob before the call returns.
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }

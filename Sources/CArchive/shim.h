#ifndef HANDOVER_CARCHIVE_SHIM_H
#define HANDOVER_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>

/* archive_set_error is variadic, which Swift cannot call: a read callback sets its error here. */
static inline void handover_archive_set_error(struct archive *archive, int number, const char *message) {
    archive_set_error(archive, number, "%s", message);
}
#endif

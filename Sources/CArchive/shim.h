#ifndef HANDOVER_CARCHIVE_SHIM_H
#define HANDOVER_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>
#endif

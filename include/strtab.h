/*
 * strtab.h - interned strings with reference counts: the server names of
 * live connections, held once however many connections share one.
 *
 * A connection keeps a 32-bit handle instead of a 256-byte name: most
 * connections of a network go to a few thousand names (one CDN name for
 * a hundred connections of a page), so a million connections cost a few
 * MB of names instead of 256 MB.  The names are the keys of a table
 * (table.h) preallocated at strtab_new(): a pool of fixed slots (each
 * holds a name of up to STRTAB_MAX_LEN bytes and its count), buckets
 * keyed with SipHash from the caller's seed (names come off the wire);
 * nothing is allocated afterwards.  A slot is freed for reuse when its
 * last reference is released.  When every slot is referenced, a new name
 * is refused (counted), never evicted: the connection then has no name,
 * as it would have had without one on the wire.
 */
#ifndef SW_STRTAB_H
#define SW_STRTAB_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

/* Longest string held, bytes, without the NUL (a DNS name is <= 253). */
#define STRTAB_MAX_LEN	255

struct strtab;

struct strtab_stats {
	uint64_t entries;	/* distinct strings held now */
	uint64_t entries_max;	/* high-water mark */
	uint64_t refused;	/* interns refused: every slot in use */
};

/*
 * A table of at most max_strings distinct strings (0: SW_STRTAB_MAX of
 * config.h).  NULL with the reason in errbuf (SW_ERRLEN bytes) on
 * failure.
 * Free with strtab_free() (NULL-safe).
 */
struct strtab *strtab_new(uint32_t max_strings, uint64_t seed, char *errbuf);
void strtab_free(struct strtab *t);

/*
 * A handle (> 0) for s[0..len) with one more reference, or 0 when the
 * string is empty, longer than STRTAB_MAX_LEN, or the table is full.
 * Cost: one hash and one bucket walk.
 */
uint32_t strtab_intern(struct strtab *t, const char *s, size_t len);

/* One more reference to a held handle: id, or 0 for 0 or a free one. */
uint32_t strtab_ref(struct strtab *t, uint32_t id);

/* Take one reference back; the string goes when the last one does.
 * 0 is ignored. */
void strtab_release(struct strtab *t, uint32_t id);

/* The string of a handle ("" for 0); valid while a reference is held. */
const char *strtab_get(const struct strtab *t, uint32_t id);

const struct strtab_stats *strtab_get_stats(const struct strtab *t);

#endif /* SW_STRTAB_H */

/*
 * table.h - the one hash table under every bounded set of the sensor:
 * flows' server names (strtab), the names cache, beacon trackers, notice
 * suppression and the correlator's devices.
 *
 * A table is a pool of fixed-size entries preallocated by table_new(), an
 * array of bucket heads (32-bit entry indices; chains through the
 * entries), and one or more LRU lists (doubly linked through indices).
 * Keys are byte strings of at most key_max bytes, stored in the entry
 * with the rest of its key_max bytes zeroed (a string key shorter than
 * key_max reads back through table_key() as a C string); buckets are
 * chosen by SipHash-1-3 under a key derived from the caller's seed and
 * the table's name, so one seed serves every table and no table's
 * buckets can be aimed at from the wire.  Each entry keeps 32 bits of its
 * hash, so a chain walk compares keys only on a tag match.  Nothing is
 * allocated after table_new(): a full table either refuses a new key or
 * evicts the least recently used entry of a list, counted.
 *
 * A table most of whose lookups miss (a name for an address no answer
 * named, a tracker for a new destination) can keep a counting filter:
 * `filter` one-byte counters per entry, each the number of entries whose
 * tag falls on it (255 sticks and is never decremented).  table_find() of
 * a key whose counter reads 0 returns NULL from this small array, which
 * stays in cache, instead of reading a bucket and an entry that do not.
 * No false negatives; false positives (a table read) about
 * 1 - e^(-1/filter) of misses with the table full.
 *
 * Values are the caller's: val_size bytes, 8-aligned, zeroed on insert,
 * addressed by pointer (stable while the entry lives) or by index (a
 * 32-bit handle: 1 .. max; 0 is never an entry).  Cost: find, insert,
 * remove and touch are O(1) expected; nothing scans the table.
 */
#ifndef SW_TABLE_H
#define SW_TABLE_H

#include <stddef.h>
#include <stdint.h>

#define TABLE_LISTS_MAX	4	/* LRU lists per table */

struct table_config {
	const char *name;	/* for errors, and the hash key's domain */
	uint32_t max;		/* entries (the pool) */
	uint16_t key_max;	/* longest key, bytes */
	uint32_t val_size;	/* bytes of value per entry */
	uint32_t val_zero;	/* bytes of the value zeroed on insert, from
				 * its start (0: all): a value whose tail is
				 * an array with a count before it needs only
				 * the count zeroed */
	uint8_t nlists;		/* LRU lists, 1 .. TABLE_LISTS_MAX (0: 1) */
	uint8_t filter;		/* one-byte filter counters per entry, a
				 * power of two (0: no filter): see below */
	uint64_t seed;		/* the run's seed: keys are derived from it */
};

struct table_stats {
	uint64_t entries;	/* in use */
	uint64_t entries_max;	/* high-water mark */
	uint64_t inserted;
	uint64_t evicted;	/* pushed out by table_insert() */
	uint64_t refused;	/* table_insert() without eviction, full */
};

struct table;

/* NULL with a one-line reason in errbuf (SW_ERRLEN bytes). */
struct table *table_new(const struct table_config *cfg, char *errbuf);
void table_free(struct table *t);

/* The keyed hash of a key (klen <= key_max). */
uint64_t table_hash(const struct table *t, const void *key, size_t klen);

/* The value of the entry with this key, or NULL. */
void *table_find(struct table *t, const void *key, size_t klen, uint64_t hash);

/*
 * A new entry for a key not in the table (the caller has looked), its
 * value zeroed, at the recent end of list 0.  When the pool is full and
 * `evict` is set, the least recent entry of list 0 is removed first
 * (counted in evicted); a caller that must see what goes, or chooses by
 * value, calls table_oldest() and table_remove() itself first.  NULL
 * when full and not evicting (counted in refused).
 */
void *table_insert(struct table *t, const void *key, size_t klen, uint64_t hash,
    int evict);

/* Whether the pool is full (the next insert evicts or is refused). */
int table_full(const struct table *t);

/* Remove the entry of value v (its index is free for reuse). */
void table_remove(struct table *t, void *v);

/* Move v to the recent end of list `list` (0-based). */
void table_touch(struct table *t, void *v, unsigned list);
/* The list v is on. */
unsigned table_list(const struct table *t, const void *v);

/* The least recent entry of a list, or NULL; then the next more recent
 * one after v, or NULL.  Removing the entry in hand is allowed between
 * the calls when the next one was fetched first. */
void *table_oldest(const struct table *t, unsigned list);
void *table_newer(const struct table *t, const void *v);

/* The key of v, and its length; the key_max - klen bytes after it are
 * zero. */
const void *table_key(const struct table *t, const void *v, size_t *klen);

/* v's 32-bit handle (1 .. max), and the value of a handle (NULL for 0,
 * out of range or a free entry). */
uint32_t table_index(const struct table *t, const void *v);
void *table_at(const struct table *t, uint32_t idx);

/*
 * Prefetch hints for a table that evicts one entry per insert (the
 * lookups of a big one miss the caches; these let the next eviction's
 * misses overlap the work before it).  table_prefetch_oldest(): after
 * an eviction from `list`, ask for what the next two will touch: the
 * oldest's bucket and the first val_bytes of its value, the next one's
 * header and value.  table_prefetch_at(): a handle's header and first
 * val_bytes (0, out of range: nothing).  Hints only: nothing is read
 * that may not be.
 */
void table_prefetch_oldest(const struct table *t, unsigned list,
    size_t val_bytes);
void table_prefetch_at(const struct table *t, uint32_t idx, size_t val_bytes);
/* What table_find() of this hash reads first: the counting filter's
 * byte, else the bucket. */
void table_prefetch_key(const struct table *t, uint64_t hash);

const struct table_stats *table_get_stats(const struct table *t);
/* Bytes allocated (pool and buckets). */
size_t table_mem(const struct table *t);

#endif /* SW_TABLE_H */

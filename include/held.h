/*
 * held.h - server names that outlive a connection entry.
 *
 * A phone holds its push connection (mtalk.google.com:5228,
 * *.push.apple.com:5223) for hours and sends a heartbeat every 15 to 30
 * minutes, longer than the TCP inactivity timeout: each beat after the
 * timeout starts a new connection entry with no handshake in it, so no
 * SNI, and the DNS answer that named the address may be hours old.
 * Without this table the beat is "small periodic traffic to
 * 1.2.3.4:5228": the known-good name is lost and the beat becomes a
 * beacon of its own.
 *
 * Key: (device, server address, server port, transport).  Value: the last
 * name learned for it from SNI, Host or the device's own DNS answer (a
 * strtab.h handle: the table holds one reference), where it came from and
 * when it was last learned or used.  An entry lives until hold_s seconds
 * of network time pass without either (so a heartbeat every 28 minutes
 * keeps it for as long as the phone keeps beating); a lookup that finds
 * it older removes it.
 *
 * Memory (stated, bounded, all allocated by held_new()): a table
 * (table.h) of max + 1 entries of 80 bytes (the table's header of links
 * and hash tag, the 35-byte key, the 16-byte value, each padded to 8)
 * plus 4 bytes of bucket and SW_TABLE_FILTER of filter (table.h) per
 * entry rounded up to a power of two.  For the default SW_HELD_MAX of
 * 16384 places, held_mem() is 1,507,472 bytes (1.4 MiB; checked by
 * tests/check_held.c).  At the cap an
 * insert evicts the entry used least recently (counted).  The names
 * themselves are the connections' interned names (strtab.h): an entry
 * adds a reference, not a copy.
 */
#ifndef SW_HELD_H
#define SW_HELD_H

#include <stddef.h>
#include <stdint.h>

struct strtab;
struct held_names;

struct held_stats {
	uint64_t entries; /* in use now */
	uint64_t learned; /* held_put() calls that stored or renewed */
	uint64_t hits;	  /* held_get() found a live name */
	uint64_t expired; /* entries found past hold_s, removed */
	uint64_t evicted; /* live entries pushed out at the cap */
};

/*
 * A table of at most max entries (0: SW_HELD_MAX) holding names for
 * hold_s seconds (0: SW_NAME_HOLD_S) over the handles of `names`, which
 * must outlive it.  NULL with the reason in errbuf (SW_ERRLEN bytes).
 */
struct held_names *held_new(uint32_t max, uint32_t hold_s, struct strtab *names,
    uint64_t seed, char *errbuf);
void held_free(struct held_names *h);

/* Remember name_id (a handle of `names`; the table takes its own
 * reference) from source src (FLOW_NAME_*) for this place, at now_us. */
void held_put(struct held_names *h, const uint8_t dev[16],
    const uint8_t srv[16], uint16_t port, uint8_t proto, uint32_t name_id,
    uint8_t src, int64_t now_us);

/* The name held for this place (a handle the caller may intern again
 * with strtab_ref()), or 0; a hit counts as a use at now_us. */
uint32_t held_get(struct held_names *h, const uint8_t dev[16],
    const uint8_t srv[16], uint16_t port, uint8_t proto, int64_t now_us);

/* The same in steps (names.h): the key's hash, a prefetch, the lookup
 * with the hash.  held_hash() of a NULL table is 0. */
uint64_t held_hash(const struct held_names *h, const uint8_t dev[16],
    const uint8_t srv[16], uint16_t port, uint8_t proto);
void held_prefetch(const struct held_names *h, uint64_t hash);
uint32_t held_get_hashed(struct held_names *h, const uint8_t dev[16],
    const uint8_t srv[16], uint16_t port, uint8_t proto, uint64_t hash,
    int64_t now_us);

const struct held_stats *held_get_stats(const struct held_names *h);
size_t held_mem(const struct held_names *h);

#endif /* SW_HELD_H */

/*
 * names.h - the bounded IP-to-name cache fed by DNS answers seen on the
 * wire, per device, so a later connection to an answered address is
 * attributed to the name even without TLS SNI or HTTP Host.
 *
 * Key: (device address, answered address), both 16 bytes (IPv4-mapped for
 * IPv4, as decode.h).  The device is the client that received the answer,
 * so device B never sees a name that device A resolved (two phones on one
 * shelter network may reach one CDN address under different names).
 * Value: the query name (the first of the CNAME chain) and, when both fit
 * in NAMES_NAME_BUF bytes, the last CNAME target; an expiry in network
 * time.
 *
 * Memory (stated, bounded, all allocated by names_new()): a table
 * (table.h) of max_entries + 1 entries of 320 bytes (the table's 20-byte
 * header of links and hash tag, the 32-byte key padded to 8, the expiry
 * and the 256-byte name buffer), a bucket array of 4 bytes per entry,
 * rounded up to a power of two, and the table's filter of SW_TABLE_FILTER
 * one-byte counters per bucket.  The default SW_NAMES_MAX, 65536 entries,
 * cost 65537 x 320 + 65536 x 4 + 65536 x 8 = 21,758,272 bytes (20.75 MiB;
 * checked by tests/check_names.c).  Nothing is allocated after creation.  A
 * shelter's few dozen devices resolve a few thousand distinct addresses a
 * day (our estimate), so the cap should rarely be reached.
 *
 * Time is network time (microseconds, from packet timestamps): an entry
 * lives until answer time + TTL, with the TTL clamped to
 * [ttl_min_s, ttl_max_s] (by default 60 s and 1 day: SW_NAMES_TTL_MIN and
 * SW_NAMES_TTL_MAX of config.h say why).
 * Expired entries are reclaimed lazily (when a lookup or an insert meets
 * them).  At the cap, an insert of a new key evicts the least recently
 * inserted entry (insertion order: an overwrite counts as an insertion),
 * counted in stats.evicted, or in stats.expired when it had expired.
 *
 * Buckets are chosen with SipHash-1-3 keyed from the caller's seed (from
 * getrandom() in production, fixed in tests) and the table's name
 * (table.h), so DNS answers crafted by an adversary cannot pile into one
 * bucket.
 */
#ifndef SW_NAMES_H
#define SW_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"	/* SW_NAMES_MAX, SW_NAMES_TTL_MIN, SW_NAMES_TTL_MAX */

/*
 * Bytes for the names of one entry: "query\0" and, when it fits,
 * "cname\0".  A printable DNS name is at most 253 characters, so the query
 * name always fits; longer display forms (escaped bytes) are cut and
 * counted in stats.names_cut.
 */
#define NAMES_NAME_BUF		256

struct names_config {
	uint32_t max_entries;	/* pool size; 0 means SW_NAMES_MAX */
	uint32_t ttl_min_s;	/* 0 means SW_NAMES_TTL_MIN */
	uint32_t ttl_max_s;	/* 0 means SW_NAMES_TTL_MAX */
	uint64_t seed;		/* hash key */
};

struct names_stats {
	uint64_t entries;	/* in use now (expired ones not yet reclaimed
				 * included) */
	uint64_t inserts;	/* names_insert() calls that stored a name */
	uint64_t overwrites;	/* of which replaced the same key */
	uint64_t evicted;	/* live entries pushed out at the cap */
	uint64_t expired;	/* entries reclaimed after their expiry */
	uint64_t hits;
	uint64_t misses;
	uint64_t names_cut;	/* query name longer than NAMES_NAME_BUF - 1 */
};

/* Fill with the defaults (seed 0). */
void names_config_default(struct names_config *cfg);

struct names_cache;

/*
 * Allocate a cache and its whole pool.  Returns NULL and writes the reason
 * into errbuf (SW_ERRLEN bytes) on failure.  Free with names_free()
 * (NULL-safe).
 */
struct names_cache *names_new(const struct names_config *cfg, char *errbuf);
void names_free(struct names_cache *c);

/*
 * Record that `device` received an answer mapping `addr` to `qname` (the
 * query name, display form as dns_name_str() writes it), optionally via
 * the CNAME target `cname` (NULL or "" for none), with TTL ttl_s seconds
 * at network time now_us.  Overwrites the entry of the same key (expiry
 * and names).  Strings are copied.  Cost: O(1) expected.
 */
void names_insert(struct names_cache *c, const uint8_t device[16],
    const uint8_t addr[16], const char *qname, const char *cname,
    uint32_t ttl_s, int64_t now_us);

/*
 * The query name `device` last received for `addr`, unexpired at now_us,
 * or NULL.  When cname is not NULL, *cname is set to the stored CNAME
 * target or NULL.  Strings stay valid until the next names_insert() or
 * names_free().  Cost: O(1) expected.
 */
/*
 * The entry of (device, addr) has earned evidence (its name is an
 * indicator the device connected to): at the cap, every ordinary entry
 * goes before it, so a flood of answers cannot push out the name that
 * makes a victim's next connection to that address a C2 one.
 */
void names_keep(struct names_cache *c, const uint8_t device[16],
    const uint8_t addr[16]);

const char *names_lookup(struct names_cache *c, const uint8_t device[16],
    const uint8_t addr[16], int64_t now_us, const char **cname);

/* The same in steps, for a caller that looks a few packets ahead: the
 * key's hash, a prefetch of what the lookup reads first, then the
 * lookup with that hash. */
uint64_t names_hash(const struct names_cache *c, const uint8_t device[16],
    const uint8_t addr[16]);
void names_prefetch(const struct names_cache *c, uint64_t hash);
const char *names_lookup_hashed(struct names_cache *c, const uint8_t device[16],
    const uint8_t addr[16], uint64_t hash, int64_t now_us, const char **cname);

const struct names_stats *names_stats(const struct names_cache *c);

/* Bytes allocated by names_new() for this cache (pool and buckets). */
size_t names_memory(const struct names_cache *c);

#endif /* SW_NAMES_H */

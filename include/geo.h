/*
 * geo.h - where the data goes: country, city and network owner of an
 * address, from MaxMind DB files (GeoLite2/GeoIP2 City or Country, and
 * ASN; DB-IP's and IPinfo's files of the same types).
 *
 * Each file's type is read from its metadata (database_type): one with
 * "City" or "Country" in it gives the location, one with "ASN" the
 * network; any other type, a damaged file or one that cannot be opened is
 * an error naming the file.  Lookups are asked only for the remote side
 * of a notice, never per packet, and cached by address (a table of
 * SW_GEO_CACHE).  Only geo.c sees libmaxminddb's MMDB_s.  The files are
 * read, never fetched: the sensor makes no network request.
 */
#ifndef SW_GEO_H
#define SW_GEO_H

#include <stddef.h>
#include <stdint.h>

#define GEO_TEXT 96 /* bytes kept of a city or an AS organisation */

struct geo_info {
	char country[4];       /* ISO 3166 code, "" when unknown */
	char city[GEO_TEXT];   /* English name, "" when unknown */
	uint32_t asn;	       /* 0 when unknown */
	char as_org[GEO_TEXT]; /* "" when unknown */
};

struct geo;

/*
 * Open n database files (at most one of each kind).  NULL with a one-line
 * reason naming the file in errbuf (SW_ERRLEN bytes).
 */
struct geo *geo_open(const char *const *paths, int n, uint64_t seed,
    char *errbuf);
void geo_free(struct geo *g);

/* What the databases say of addr (16 bytes, IPv4-mapped for IPv4):
 * NULL when they say nothing.  Valid until the next lookup. */
const struct geo_info *geo_lookup(struct geo *g, const uint8_t addr[16]);

struct geo_stats {
	uint64_t lookups; /* asked */
	uint64_t cached;  /* answered from the cache */
	uint64_t errors;  /* a database lookup that failed */
};
const struct geo_stats *geo_get_stats(const struct geo *g);

#endif /* SW_GEO_H */

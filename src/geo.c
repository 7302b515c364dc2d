/*
 * geo.c - country, city and network owner from MaxMind DB files
 * (geo.h).
 *
 * struct geo: up to one location database and one ASN database (each an
 * MMDB_s, opened with MMDB_MODE_MMAP: the file is mapped, not read into
 * memory), and a table (table.h) of the answers by address, so that a
 * device's hundredth notice about one server costs no tree walk.
 */
#include "geo.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <maxminddb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "table.h"

struct geo_entry {
	uint8_t found; /* the databases said something */
	struct geo_info info;
};

struct geo {
	MMDB_s loc, asn;
	int has_loc, has_asn;
	struct table *cache;
	struct geo_stats st;
};

static int
kind_of(const char *type)
{
	if (type == NULL)
		return 0;
	if (strstr(type, "ASN") != NULL)
		return 2;
	if (strstr(type, "City") != NULL || strstr(type, "Country") != NULL)
		return 1;
	return 0;
}

struct geo *
geo_open(const char *const *paths, int n, uint64_t seed, char *errbuf)
{
	struct table_config tc;
	struct geo *g;
	MMDB_s db;
	int i, rc, kind;

	if ((g = calloc(1, sizeof(*g))) == NULL) {
		snprintf(errbuf, SW_ERRLEN, "geo: out of memory");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if ((rc = MMDB_open(paths[i], MMDB_MODE_MMAP, &db)) !=
		    MMDB_SUCCESS) {
			if (rc == MMDB_FILE_OPEN_ERROR || rc == MMDB_IO_ERROR)
				snprintf(errbuf, SW_ERRLEN,
				    "%s: cannot open: %s", paths[i],
				    strerror(errno));
			else
				snprintf(errbuf, SW_ERRLEN,
				    "%s: not a MaxMind "
				    "DB file: %s",
				    paths[i], MMDB_strerror(rc));
			goto fail;
		}
		kind = kind_of(db.metadata.database_type);
		if (kind == 0 || (kind == 1 && g->has_loc) ||
		    (kind == 2 && g->has_asn)) {
			snprintf(errbuf, SW_ERRLEN,
			    "%s: database type \"%s\" "
			    "is %s",
			    paths[i],
			    db.metadata.database_type != NULL ?
				db.metadata.database_type :
				"",
			    kind == 0 ?
				"neither a City or Country nor an ASN database" :
				"given twice (one location and one ASN database)");
			MMDB_close(&db);
			goto fail;
		}
		if (kind == 1) {
			g->loc = db;
			g->has_loc = 1;
		} else {
			g->asn = db;
			g->has_asn = 1;
		}
	}
	memset(&tc, 0, sizeof(tc));
	tc.name = "geo";
	tc.max = SW_GEO_CACHE;
	tc.key_max = 16;
	tc.val_size = sizeof(struct geo_entry);
	tc.nlists = 1;
	tc.seed = seed;
	if ((g->cache = table_new(&tc, errbuf)) == NULL)
		goto fail;
	return g;
fail:
	geo_free(g);
	return NULL;
}

void
geo_free(struct geo *g)
{
	if (g == NULL)
		return;
	if (g->has_loc)
		MMDB_close(&g->loc);
	if (g->has_asn)
		MMDB_close(&g->asn);
	table_free(g->cache);
	free(g);
}

/* A string value at the path into out (cut to fit), or nothing. */
static void
get_str(MMDB_entry_s *e, char *out, size_t cap, const char *const *path)
{
	MMDB_entry_data_s ed;
	size_t n;

	if (MMDB_aget_value(e, &ed, path) != MMDB_SUCCESS || !ed.has_data ||
	    ed.type != MMDB_DATA_TYPE_UTF8_STRING)
		return;
	n = ed.data_size < cap - 1 ? ed.data_size : cap - 1;
	memcpy(out, ed.utf8_string, n);
	out[n] = '\0';
}

static int
find(struct geo *g, MMDB_s *db, const uint8_t addr[16], MMDB_entry_s *e)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
		0xff };
	struct sockaddr_in6 s6;
	struct sockaddr_in s4;
	MMDB_lookup_result_s r;
	int err;

	if (memcmp(addr, mapped, 12) == 0) {
		memset(&s4, 0, sizeof(s4));
		s4.sin_family = AF_INET;
		memcpy(&s4.sin_addr, addr + 12, 4);
		r = MMDB_lookup_sockaddr(db, (struct sockaddr *)&s4, &err);
	} else {
		memset(&s6, 0, sizeof(s6));
		s6.sin6_family = AF_INET6;
		memcpy(&s6.sin6_addr, addr, 16);
		r = MMDB_lookup_sockaddr(db, (struct sockaddr *)&s6, &err);
	}
	if (err != MMDB_SUCCESS) {
		/* an IPv6 address in an IPv4-only database, or damage */
		g->st.errors += err != MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR;
		return 0;
	}
	if (!r.found_entry)
		return 0;
	*e = r.entry;
	return 1;
}

const struct geo_info *
geo_lookup(struct geo *g, const uint8_t addr[16])
{
	static const char *const country[] = { "country", "iso_code", NULL };
	static const char *const city[] = { "city", "names", "en", NULL };
	static const char *const org[] = { "autonomous_system_organization",
		NULL };
	static const char *const asn[] = { "autonomous_system_number", NULL };
	struct geo_entry *v;
	MMDB_entry_data_s ed;
	MMDB_entry_s e;
	uint64_t h;

	if (g == NULL)
		return NULL;
	g->st.lookups++;
	h = table_hash(g->cache, addr, 16);
	if ((v = table_find(g->cache, addr, 16, h)) != NULL) {
		g->st.cached++;
		table_touch(g->cache, v, 0);
		return v->found ? &v->info : NULL;
	}
	if ((v = table_insert(g->cache, addr, 16, h, 1)) == NULL)
		return NULL;
	if (g->has_loc && find(g, &g->loc, addr, &e)) {
		get_str(&e, v->info.country, sizeof(v->info.country), country);
		get_str(&e, v->info.city, sizeof(v->info.city), city);
	}
	if (g->has_asn && find(g, &g->asn, addr, &e)) {
		get_str(&e, v->info.as_org, sizeof(v->info.as_org), org);
		if (MMDB_aget_value(&e, &ed, asn) == MMDB_SUCCESS &&
		    ed.has_data && ed.type == MMDB_DATA_TYPE_UINT32)
			v->info.asn = ed.uint32;
	}
	v->found = v->info.country[0] != '\0' || v->info.city[0] != '\0' ||
	    v->info.asn != 0 || v->info.as_org[0] != '\0';
	return v->found ? &v->info : NULL;
}

const struct geo_stats *
geo_get_stats(const struct geo *g)
{
	return &g->st;
}

/*
 * intel.c - the indicator set: a longest-prefix match over the address
 * indicators and a label-wise hash lookup over the domain indicators,
 * with the per-role policy of intel.h.  Knows nothing of file formats.
 *
 * The central structure is struct intel: a growing array of struct
 * intel_item (their strings in a bump arena, freed at once), and after
 * intel_finalize() two indexes: one struct intel_level per distinct
 * prefix length (a sorted array of (masked network, item) pairs; a lookup
 * masks the address to each length, longest first, and binary-searches),
 * and struct intel_dtab, an open-addressing hash table keyed by name
 * whose slot holds two items: the one for that exact name and the one
 * that covers the names under it (a lookup probes the name, then each
 * parent at a dot boundary; the hashes of all suffixes come out of one
 * right-to-left pass over the name).
 */
#include "intel.h"
#include "config.h"
#include "decode.h"

#include <sys/random.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	char data[];
};

/*
 * One entry of the LPM index: a masked network as two big-endian 64-bit
 * halves (two integer compares instead of a 16-byte memcmp in the binary
 * search), and the item it came from.
 */
struct intel_net {
	uint64_t hi, lo;
	const struct intel_item *item;
};

/*
 * A filter of a table's key hashes: two bits a key among 8 bits a slot (16
 * to 32 a key at most half full; 1.4 % false hits).  A key under no
 * indicator, the common case of a lookup, is told without touching the
 * table, which at 50,000 indicators is larger than the cache: a miss to
 * memory a level or a suffix, behind the flow table's own.
 */
struct hfilter {
	uint64_t *bits;
	size_t fmask; /* filter bits - 1 */
};

/* A key's two bits (from bits a slot index does not use). */
static size_t
hfilter_bit(const struct hfilter *f, uint64_t h, int which)
{
	return (size_t)(h >> (which ? 44 : 24)) & f->fmask;
}

static int
hfilter_init(struct hfilter *f, size_t slots)
{
	f->fmask = slots * 8 - 1;
	f->bits = calloc(slots * 8 / 64, sizeof(*f->bits));
	return f->bits == NULL ? -1 : 0;
}

static void
hfilter_add(struct hfilter *f, uint64_t h)
{
	size_t i;
	int w;

	for (w = 0; w < 2; w++) {
		i = hfilter_bit(f, h, w);
		f->bits[i >> 6] |= UINT64_C(1) << (i & 63);
	}
}

static int
hfilter_maybe(const struct hfilter *f, uint64_t h)
{
	size_t a = hfilter_bit(f, h, 0), b = hfilter_bit(f, h, 1);

	return (f->bits[a >> 6] >> (a & 63) & 1) &&
	    (f->bits[b >> 6] >> (b & 63) & 1);
}

static void
hfilter_free(struct hfilter *f)
{
	free(f->bits);
	f->bits = NULL;
	f->fmask = 0;
}

struct intel_level {
	uint8_t plen;
	size_t n;
	struct intel_net *nets; /* in reading order */
	/* open addressing over the distinct networks: 1 + the index of
	 * each one's first entry in nets, 0 empty; mask + 1 slots, at
	 * least twice the networks.  next[i]: 1 + the index of the next
	 * entry of nets[i]'s network (another port), 0 none; an entry
	 * without a port heads its chain. */
	uint32_t *slot, *next;
	size_t mask;
	struct hfilter filter; /* of the networks' hashes */
};

/*
 * One slot of a name table (32 bytes, two a cache line): the name, the
 * items (`exact` for that name itself, `tree` for the names under it;
 * both NULL in the platform table), the upper half of the name's hash
 * (compared before the bytes; the lower half chose the slot) and its
 * length.  A slot with key NULL is empty.  `exact_rank` orders candidates
 * for `exact` (lower wins, see rank(); RANK_NONE: no candidate yet).
 */
struct intel_dslot {
	const char *key;
	const struct intel_item *exact, *tree;
	uint32_t hh;
	uint16_t len;
	uint8_t exact_rank, tree_rank;
};

#define RANK_NONE   0xff
/* the half of a hash a slot keeps */
#define DSLOT_HH(h) ((uint32_t)((h) >> 32))

/* Open addressing, linear probing, at most half full. */
struct intel_dtab {
	struct intel_dslot *slot;
	size_t mask;		/* slots - 1, a power of two less one */
	struct hfilter filter;	/* of the keys' hashes */
};

struct intel {
	struct intel_item *items;
	size_t n, cap;
	size_t count[INTEL_OTHER + 1];
	size_t ncls[INTEL_CATS][INTEL_ROLES][INTEL_OTHER + 1];
	size_t napps[INTEL_CATS];
	struct arena_chunk *arena;
	struct intel_level *levels;	/* longest prefix first */
	size_t nlevels;
	/* which server ports some address entry is limited to (a bit a
	 * port, 8 KiB; NULL: none is), and whether any entry covers every
	 * port: a lookup on a port no entry can cover walks no level (the
	 * known-good list's push ranges, asked about every HTTPS beat) */
	uint8_t *ports;
	int portless_nets;
	char **plat;			/* shared platform suffixes (arena) */
	size_t nplat, platcap;
	struct intel_dtab dom;		/* domain indicators */
	struct intel_dtab pdom;		/* shared platforms */
	char *www;			/* "www." forms of websites */
	uint64_t seed;			/* of the name hash */
	char *again[3][4];		/* the last types, sources and apps
					 * copied (arena_again()) */
	unsigned again_next[3];
	size_t ignored;			/* platform names dropped */
	int finalized;
};

/* --- strings ------------------------------------------------------------ */

static char *
arena_strndup(struct intel *in, const char *s, size_t len)
{
	struct arena_chunk *c = in->arena;
	size_t need = len + 1, size;
	char *p;

	if (c == NULL || c->size - c->used < need) {
		size = SW_INTEL_ARENA_CHUNK;
		if (need > size)
			size = need;
		if (size > SIZE_MAX - sizeof(*c))
			return NULL;
		if ((c = malloc(sizeof(*c) + size)) == NULL)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = in->arena;
		in->arena = c;
	}
	p = c->data + c->used;
	memcpy(p, s, len);
	p[len] = '\0';
	c->used += need;
	return p;
}

static char *
arena_strdup(struct intel *in, const char *s)
{
	return s == NULL ? NULL : arena_strndup(in, s, strlen(s));
}

/* A string that most items of a file share (the Zeek type, the source,
 * the app): one of the last four copies when it is the same (types
 * alternate in a mixed list). */
static char *
arena_again(struct intel *in, unsigned k, const char *s)
{
	unsigned i;

	for (i = 0; i < 4; i++)
		if (in->again[k][i] != NULL && in->again[k][i][0] == s[0] &&
		    strcmp(in->again[k][i], s) == 0)
			return in->again[k][i];
	i = in->again_next[k]++ % 4;
	return in->again[k][i] = arena_strdup(in, s);
}

/* --- names ---------------------------------------------------------------- */

#define FNV_OFFSET	UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME	UINT64_C(0x100000001b3)
#define DOM_MAX_LEN	253
/* 253 bytes hold at most 127 labels */
#define DOM_MAX_SFX	128

/* murmur3's finaliser: every input bit moves every slot bit */
static uint64_t
mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64_C(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}

struct dom_sfx {
	size_t off, len;
	uint64_t h;
};

/*
 * Every suffix of name[0..len) that starts a label, with its hash,
 * shortest first, from one right-to-left pass (FNV-1a over the bytes in
 * reverse, so the hash of "thd.cc" is a prefix state of the hash of
 * "a.thd.cc").  Suffixes starting with '.' (an empty label) are skipped:
 * no indicator starts so.  Returns the count.
 */
static size_t
dom_suffixes(uint64_t seed, const char *name, size_t len,
    struct dom_sfx sfx[DOM_MAX_SFX])
{
	uint64_t h = FNV_OFFSET ^ seed;
	size_t n = 0, i = len;

	while (i > 0) {
		i--;
		h = (h ^ (unsigned char)name[i]) * FNV_PRIME;
		if ((i == 0 || name[i - 1] == '.') && name[i] != '.') {
			if (n == DOM_MAX_SFX)
				break;
			sfx[n].off = i;
			sfx[n].len = len - i;
			sfx[n].h = mix64(h ^ (len - i));
			n++;
		}
	}
	return n;
}

static const struct intel_dslot *
dtab_find(const struct intel_dtab *t, uint64_t h, const char *s, size_t len)
{
	const struct intel_dslot *sl;
	size_t i;

	if (t->slot == NULL || !hfilter_maybe(&t->filter, h))
		return NULL;
	for (i = (size_t)h & t->mask;; i = (i + 1) & t->mask) {
		sl = &t->slot[i];
		if (sl->key == NULL)
			return NULL;
		if (sl->hh == DSLOT_HH(h) && sl->len == len &&
		    memcmp(sl->key, s, len) == 0)
			return sl;
	}
}

/*
 * The slot of key, created if absent (the table has room).  A platform
 * table uses only the keys.
 */
static struct intel_dslot *
dtab_slot(struct intel_dtab *t, uint64_t h, const char *key, size_t len)
{
	struct intel_dslot *sl;
	size_t i;

	for (i = (size_t)h & t->mask;; i = (i + 1) & t->mask) {
		sl = &t->slot[i];
		if (sl->key == NULL)
			break;
		if (sl->hh == DSLOT_HH(h) && sl->len == len &&
		    memcmp(sl->key, key, len) == 0)
			return sl;
	}
	sl->hh = DSLOT_HH(h);
	sl->key = key;
	sl->len = (uint16_t)len;
	hfilter_add(&t->filter, h);
	sl->exact = sl->tree = NULL;
	sl->exact_rank = sl->tree_rank = RANK_NONE;
	return sl;
}

/*
 * Which item a name's slot keeps when several claim it (lower wins): one
 * whose file stated its role before one whose file did not
 * (role_assumed); then the role (for the exact name a website beats C2,
 * which beats a distribution name; under a name C2 beats distribution);
 * then stalkerware before watchware; then a listed name before a
 * website's derived "www." form; then the first read (the caller offers
 * items in reading order and a tie keeps the first).
 */
static unsigned
rank(const struct intel_item *it, int exact, int derived)
{
	static const unsigned exact_role[INTEL_ROLES] = {
		[INTEL_ROLE_WEBSITE] = 0, [INTEL_ROLE_C2] = 1,
		[INTEL_ROLE_DISTRIBUTION] = 2,
	};
	static const unsigned tree_role[INTEL_ROLES] = {
		[INTEL_ROLE_C2] = 0, [INTEL_ROLE_DISTRIBUTION] = 1,
		[INTEL_ROLE_WEBSITE] = 2,
	};

	return (unsigned)it->role_assumed * 32 +
	    (exact ? exact_role : tree_role)[it->role] * 8 +
	    (unsigned)it->category * 2 + (unsigned)(derived != 0);
}

static void
dtab_offer(struct intel_dtab *t, uint64_t h, const char *key, size_t len,
    const struct intel_item *it, int exact, int derived)
{
	struct intel_dslot *sl = dtab_slot(t, h, key, len);
	unsigned r = rank(it, exact, derived);

	if (exact && r < sl->exact_rank) {
		sl->exact = it;
		sl->exact_rank = (uint8_t)r;
	} else if (!exact && r < sl->tree_rank) {
		sl->tree = it;
		sl->tree_rank = (uint8_t)r;
	}
}

/* A table for n keys, at most half full.  0 or -1. */
static int
dtab_init(struct intel_dtab *t, size_t n)
{
	size_t size = 16;

	while (size < n * 2) {
		if (size > SIZE_MAX / 2 / sizeof(*t->slot))
			return -1;
		size *= 2;
	}
	if ((t->slot = calloc(size, sizeof(*t->slot))) == NULL)
		return -1;
	t->mask = size - 1;
	if (hfilter_init(&t->filter, size) != 0) {
		free(t->slot);
		t->slot = NULL;
		return -1;
	}
	return 0;
}

static void
dtab_free(struct intel_dtab *t)
{
	free(t->slot);
	hfilter_free(&t->filter);
	t->slot = NULL;
	t->mask = 0;
}

/* The hash of a whole name (its longest suffix). */
static uint64_t
dom_hash(uint64_t seed, const char *name, size_t len)
{
	uint64_t h = FNV_OFFSET ^ seed;
	size_t i = len;

	while (i > 0)
		h = (h ^ (unsigned char)name[--i]) * FNV_PRIME;
	return mix64(h ^ len);
}

/* --- the set ------------------------------------------------------------ */

struct intel *
intel_new(void)
{
	struct intel *in = calloc(1, sizeof(struct intel));

	/*
	 * The names looked up come off the wire: a seed the sender cannot
	 * know keeps him from aiming every lookup at the longest probe run.
	 * Without one the table still works, with a fixed seed.
	 */
	if (in != NULL && getrandom(&in->seed, sizeof(in->seed),
	    GRND_NONBLOCK) != (ssize_t)sizeof(in->seed))
		in->seed = UINT64_C(0x5eed5eed5eed5eed);
	return in;
}

int
intel_add(struct intel *in, const struct intel_item *t, const char *source,
    char *why, size_t whylen)
{
	struct intel_item *it, *ni;
	size_t ncap;

	if (in->n >= SW_INTEL_MAX_ITEMS) {
		snprintf(why, whylen, "more than %u indicators",
		    (unsigned)SW_INTEL_MAX_ITEMS);
		return -2;
	}
	if ((unsigned)t->type > INTEL_OTHER || (unsigned)t->role >=
	    INTEL_ROLES || (unsigned)t->category >= INTEL_CATS ||
	    t->indicator == NULL) {
		snprintf(why, whylen, "bad indicator record");
		return -2;
	}
	if (in->n == in->cap) {
		ncap = in->cap ? in->cap * 2 : 64;
		if (ncap > SW_INTEL_MAX_ITEMS)
			ncap = SW_INTEL_MAX_ITEMS;
		if ((ni = reallocarray(in->items, ncap, sizeof(*ni))) == NULL)
			goto nomem;
		in->items = ni;
		in->cap = ncap;
	}
	it = &in->items[in->n];
	*it = *t;
	it->platform = 0;
	/* a website is its name and www. form only (intel.h) */
	it->subdomains = t->type == INTEL_DOMAIN && t->subdomains &&
	    t->role != INTEL_ROLE_WEBSITE;
	it->source = NULL;
	it->len = (uint32_t)strlen(t->indicator);
	if ((it->indicator = arena_strndup(in, t->indicator, it->len)) ==
		NULL ||
	    (t->zeek_type != NULL &&
		(it->zeek_type = arena_again(in, 0, t->zeek_type)) == NULL) ||
	    (it->source = arena_again(in, 1,
		 t->source != NULL ? t->source : source)) == NULL ||
	    (t->desc != NULL &&
		(it->desc = arena_strdup(in, t->desc)) == NULL) ||
	    (t->app != NULL && (it->app = arena_again(in, 2, t->app)) == NULL))
		goto nomem;
	in->n++;
	in->count[t->type]++;
	in->finalized = 0;
	return 0;
nomem:
	snprintf(why, whylen, "out of memory");
	return -2;
}

int
intel_add_platform(struct intel *in, const char *name, char *why,
    size_t whylen)
{
	char **np;
	size_t ncap;

	if (in->nplat >= SW_INTEL_MAX_ITEMS) {
		snprintf(why, whylen, "more than %u shared platforms",
		    (unsigned)SW_INTEL_MAX_ITEMS);
		return -2;
	}
	if (in->nplat == in->platcap) {
		ncap = in->platcap ? in->platcap * 2 : 32;
		if ((np = reallocarray(in->plat, ncap, sizeof(*np))) == NULL)
			goto nomem;
		in->plat = np;
		in->platcap = ncap;
	}
	if ((in->plat[in->nplat] = arena_strdup(in, name)) == NULL)
		goto nomem;
	in->nplat++;
	in->finalized = 0;
	return 0;
nomem:
	snprintf(why, whylen, "out of memory");
	return -2;
}

void
intel_mark(const struct intel *in, struct intel_mark *m)
{
	m->items = in->n;
	m->platforms = in->nplat;
}

/* The strings of the items taken back stay in the arena until the set
 * is freed: a failed file costs its bytes once. */
void
intel_rollback(struct intel *in, const struct intel_mark *m)
{
	size_t i;

	for (i = m->items; i < in->n; i++)
		in->count[in->items[i].type]--;
	if (m->items < in->n)
		in->n = m->items;
	if (m->platforms < in->nplat)
		in->nplat = m->platforms;
	in->finalized = 0;
}

static void
levels_free(struct intel *in)
{
	size_t i;

	for (i = 0; i < in->nlevels; i++) {
		free(in->levels[i].nets);
		free(in->levels[i].slot);
		free(in->levels[i].next);
		hfilter_free(&in->levels[i].filter);
	}
	free(in->levels);
	free(in->ports);
	in->ports = NULL;
	in->portless_nets = 0;
	in->levels = NULL;
	in->nlevels = 0;
}

void
intel_free(struct intel *in)
{
	struct arena_chunk *c, *next;

	if (in == NULL)
		return;
	levels_free(in);
	dtab_free(&in->dom);
	dtab_free(&in->pdom);
	free(in->www);
	for (c = in->arena; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(in->plat);
	free(in->items);
	free(in);
}

/*
 * Order for finding duplicates: addresses and prefixes by (prefix,
 * network), names by (text, role), other types by (type, text); then an
 * indicator whose file stated its role before one from a file that does
 * not (role_assumed), then the stronger role (C2, distribution, website:
 * the enum's order), then stalkerware before watchware, then a name that
 * covers its subdomains before an exact one, and ties by position, so the
 * first read sorts first and is the one kept.
 */
static int
dup_cmp(const void *pa, const void *pb)
{
	const struct intel_item *a = *(const struct intel_item *const *)pa;
	const struct intel_item *b = *(const struct intel_item *const *)pb;
	int na = a->type == INTEL_ADDR || a->type == INTEL_SUBNET;
	int nb = b->type == INTEL_ADDR || b->type == INTEL_SUBNET;
	int c;

	if (na != nb)
		return na ? -1 : 1;
	if (na) {
		if (a->prefix != b->prefix)
			return a->prefix < b->prefix ? -1 : 1;
		c = memcmp(a->addr, b->addr, sizeof(a->addr));
		if (c == 0 && a->port != b->port)
			c = a->port < b->port ? -1 : 1;
	} else {
		if (a->type != b->type)
			return a->type < b->type ? -1 : 1;
		if (a->type == INTEL_DOMAIN)
			c = strcmp(a->indicator, b->indicator);
		else if ((c = strcmp(a->zeek_type, b->zeek_type)) == 0)
			c = strcmp(a->indicator, b->indicator);
	}
	if (c != 0)
		return c;
	/* a name's role is part of its key (same_key) */
	if (!na && a->type == INTEL_DOMAIN && a->role != b->role)
		return a->role < b->role ? -1 : 1;
	if (a->role_assumed != b->role_assumed)
		return a->role_assumed ? 1 : -1;
	if (a->role != b->role)
		return a->role < b->role ? -1 : 1;
	if (a->category != b->category)
		return a->category < b->category ? -1 : 1;
	/* two files for one name: the one covering the names under it
	 * (a URL's host is exact only, and must not undo a zone) */
	if (a->subdomains != b->subdomains)
		return a->subdomains ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* Duplicates: one address, or one name in one role, or one other. */
static int
same_key(const struct intel_item *a, const struct intel_item *b)
{
	int na = a->type == INTEL_ADDR || a->type == INTEL_SUBNET;
	int nb = b->type == INTEL_ADDR || b->type == INTEL_SUBNET;

	if (na != nb)
		return 0;
	if (na)
		return a->prefix == b->prefix && a->port == b->port &&
		    memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
	if (a->type != b->type)
		return 0;
	if (a->type == INTEL_DOMAIN)
		return a->role == b->role &&
		    strcmp(a->indicator, b->indicator) == 0;
	return strcmp(a->zeek_type, b->zeek_type) == 0 &&
	    strcmp(a->indicator, b->indicator) == 0;
}

/* The key of addr masked to plen bits. */
static void
net_key(struct intel_net *k, const uint8_t addr[16], unsigned plen)
{
	k->hi = addr_be64(addr);
	k->lo = addr_be64(addr + 8);
	if (plen <= 64) {
		k->hi &= plen == 0 ? 0 : ~UINT64_C(0) << (64 - plen);
		k->lo = 0;
	} else if (plen < 128)
		k->lo &= ~UINT64_C(0) << (128 - plen);
}

static uint64_t
net_hash(const struct intel_net *k)
{
	uint64_t x = k->hi * 0x9e3779b97f4a7c15ULL ^ k->lo;

	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ULL;
	return x ^ (x >> 29);
}

/* The level's hash of its distinct networks (struct intel_level). */
static int
level_index(struct intel_level *lv)
{
	size_t cap = 16, i, s;
	const struct intel_net *a, *b;
	uint64_t hv;
	uint32_t h;

	while (cap < lv->n * 2)
		cap <<= 1;
	if ((lv->slot = calloc(cap, sizeof(*lv->slot))) == NULL ||
	    (lv->next = calloc(lv->n, sizeof(*lv->next))) == NULL ||
	    hfilter_init(&lv->filter, cap) != 0)
		return -1;
	lv->mask = cap - 1;
	for (i = 0; i < lv->n; i++) {
		if (i + SW_INTEL_PREFETCH < lv->n)
			__builtin_prefetch(&lv->slot[net_hash(&lv->nets[i +
							 SW_INTEL_PREFETCH]) &
			    lv->mask]);
		a = &lv->nets[i];
		hv = net_hash(a);
		hfilter_add(&lv->filter, hv);
		for (s = hv & lv->mask; (h = lv->slot[s]) != 0;
		     s = (s + 1) & lv->mask) {
			b = &lv->nets[h - 1];
			if (b->hi == a->hi && b->lo == a->lo)
				break;
		}
		if (h == 0) {
			lv->slot[s] = (uint32_t)(i + 1);
		} else if (a->item->port == 0) {
			/* the same network on every port: it heads */
			lv->next[i] = h;
			lv->slot[s] = (uint32_t)(i + 1);
		} else {
			/* the same network on another port */
			lv->next[i] = lv->next[h - 1];
			lv->next[h - 1] = (uint32_t)(i + 1);
		}
	}
	return 0;
}

/*
 * A hash of what same_key() compares: a name's hash (name_hashes()) with
 * its role; an address's network, length and port; any other's text
 * (FNV-1a: the files are the operator's, not the wire's).
 */
static uint64_t
key_hash(const struct intel_item *it, uint64_t name_h)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	if (it->type == INTEL_ADDR || it->type == INTEL_SUBNET) {
		struct intel_net k;

		net_key(&k, it->addr, 128);
		return net_hash(&k) ^
		    mix64(((uint64_t)it->prefix << 16 | it->port) + 1);
	}
	if (it->type == INTEL_DOMAIN)
		return mix64(name_h ^
		    (uint64_t)(it->role + 1) * 0x9e3779b97f4a7c15ULL);
	h ^= (uint64_t)it->type * 0x100000001b3ULL;
	for (i = 0; i < it->len; i++) {
		h ^= (unsigned char)it->indicator[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/*
 * Mark (drop[i] = 1) every item but one of each key (same_key()): the one
 * dup_cmp() orders first, which is the one a sort would keep (the order
 * is total: ties go by position).  A hash of the keys, not a sort: at
 * 100,000 indicators the sort's comparisons were a quarter of loading.
 * name_h: the items' name hashes (name_hashes()).
 */
static int
drop_duplicates(struct intel *in, unsigned char *drop, const uint64_t *name_h)
{
	const struct intel_item *a, *b;
	uint64_t ahead[SW_INTEL_PREFETCH], h;
	uint32_t *slot;
	size_t cap = 16, i, s, k;

	while (cap < in->n * 2)
		cap <<= 1;
	if ((slot = malloc(cap * sizeof(*slot))) == NULL)
		return -1;
	memset(slot, 0xff, cap * sizeof(*slot));
	for (k = 0; k < SW_INTEL_PREFETCH && k < in->n; k++)
		ahead[k] = key_hash(&in->items[k], name_h[k]);
	for (i = 0; i < in->n; i++) {
		h = ahead[i % SW_INTEL_PREFETCH];
		if ((k = i + SW_INTEL_PREFETCH) < in->n) {
			ahead[k % SW_INTEL_PREFETCH] = key_hash(&in->items[k],
			    name_h[k]);
			__builtin_prefetch(
			    &slot[ahead[k % SW_INTEL_PREFETCH] & (cap - 1)]);
		}
		if (drop[i])
			continue;
		a = &in->items[i];
		for (s = h & (cap - 1); slot[s] != UINT32_MAX;
		     s = (s + 1) & (cap - 1)) {
			b = &in->items[slot[s]];
			if (!same_key(a, b))
				continue;
			if (dup_cmp(&a, &b) < 0) {
				drop[slot[s]] = 1;
				slot[s] = (uint32_t)i;
			} else
				drop[i] = 1;
			break;
		}
		if (slot[s] == UINT32_MAX)
			slot[s] = (uint32_t)i;
	}
	free(slot);
	return 0;
}

/*
 * Each name's hash (name_h[i], 0 for an item that is no name), hashed once
 * for the duplicates, the platform rule and the name table; and the shared
 * platform rule: mark (drop[i] = 1) each domain that is a platform suffix
 * itself; make each one strictly under a platform exact.  Returns 0 or -1
 * (memory).
 */
static int
name_hashes(struct intel *in, unsigned char *drop, uint64_t *name_h)
{
	struct dom_sfx sfx[DOM_MAX_SFX];
	struct intel_item *it;
	size_t i, k, ns, len;

	dtab_free(&in->pdom);
	if (in->nplat > 0 && dtab_init(&in->pdom, in->nplat) != 0)
		return -1;
	for (i = 0; i < in->nplat; i++) {
		len = strlen(in->plat[i]);
		(void)dtab_slot(&in->pdom, dom_hash(in->seed, in->plat[i],
		    len), in->plat[i], len);
	}
	for (i = 0; i < in->n; i++) {
		it = &in->items[i];
		name_h[i] = 0;
		if (it->type != INTEL_DOMAIN)
			continue;
		if (in->nplat == 0) {
			name_h[i] = dom_hash(in->seed, it->indicator, it->len);
			continue;
		}
		/* the last suffix is the name itself (it starts a label) */
		ns = dom_suffixes(in->seed, it->indicator, it->len, sfx);
		name_h[i] = ns > 0 && sfx[ns - 1].off == 0 ?
		    sfx[ns - 1].h :
		    dom_hash(in->seed, it->indicator, it->len);
		for (k = 0; k < ns; k++) {
			if (dtab_find(&in->pdom, sfx[k].h, it->indicator +
			    sfx[k].off, sfx[k].len) == NULL)
				continue;
			if (sfx[k].off == 0) {
				drop[i] = 1;
				in->ignored++;
			} else {
				it->subdomains = 0;
				it->platform = 1;
			}
			break;
		}
	}
	return 0;
}

/*
 * The name table, by the policy of intel.h: every name gets its exact
 * entry; C2 and distribution names that cover subdomains get a tree
 * entry too; a website gets its "www." form as a derived exact entry.
 * 0 or -1 (memory).
 */
static int
index_names(struct intel *in, size_t ndom, const uint64_t *name_h)
{
	const struct intel_item *it;
	size_t i, k, len, nweb = 0, wlen = 0, off = 0;
	char *w;

	for (i = 0; i < in->n; i++) {
		it = &in->items[i];
		if (it->type == INTEL_DOMAIN &&
		    it->role == INTEL_ROLE_WEBSITE &&
		    strncmp(it->indicator, "www.", 4) != 0) {
			nweb++;
			wlen += it->len + 5;
		}
	}
	if (dtab_init(&in->dom, ndom + nweb) != 0)
		return -1;
	if (wlen > 0 && (in->www = malloc(wlen)) == NULL)
		return -1;
	for (i = 0; i < in->n; i++) {
		k = i + SW_INTEL_PREFETCH;
		if (k < in->n && in->items[k].type == INTEL_DOMAIN)
			__builtin_prefetch(
			    &in->dom.slot[name_h[k] & in->dom.mask], 1);
		it = &in->items[i];
		/* a longer name is never looked up (intel_match_domain()) */
		if (it->type != INTEL_DOMAIN || it->len > DOM_MAX_LEN)
			continue;
		len = it->len;
		dtab_offer(&in->dom, name_h[i], it->indicator, len, it, 1, 0);
		if (it->role != INTEL_ROLE_WEBSITE) {
			if (it->subdomains && !it->role_assumed)
				dtab_offer(&in->dom, name_h[i], it->indicator,
				    len, it, 0, 0);
			continue;
		}
		if (strncmp(it->indicator, "www.", 4) == 0 || len + 4 >
		    DOM_MAX_LEN)
			continue;
		w = in->www + off;
		memcpy(w, "www.", 4);
		memcpy(w + 4, it->indicator, len + 1);
		off += len + 5;
		dtab_offer(&in->dom, dom_hash(in->seed, w, len + 4), w,
		    len + 4, it, 1, 1);
	}
	/*
	 * A file that does not say C2 from website (STIX, TinyCheck,
	 * rules) does not make the names under a known website C2: such a
	 * name covers its subdomains only where no file lists it as a
	 * website.
	 */
	for (i = 0; i < in->n; i++) {
		const struct intel_dslot *sl;

		it = &in->items[i];
		if (it->type != INTEL_DOMAIN || !it->role_assumed ||
		    !it->subdomains || it->len > DOM_MAX_LEN)
			continue;
		sl = dtab_find(&in->dom, name_h[i], it->indicator, it->len);
		if (sl != NULL && sl->exact != NULL &&
		    sl->exact->role == INTEL_ROLE_WEBSITE &&
		    strcmp(sl->exact->indicator, it->indicator) == 0)
			continue;
		dtab_offer(&in->dom, name_h[i], it->indicator, it->len, it, 0,
		    0);
	}
	return 0;
}

static int
app_cmp(const void *pa, const void *pb)
{
	const struct intel_item *a = *(const struct intel_item *const *)pa;
	const struct intel_item *b = *(const struct intel_item *const *)pb;

	if (a->category != b->category)
		return a->category < b->category ? -1 : 1;
	return strcasecmp(a->app, b->app);
}

/* Counts per category, role and type, and the distinct apps. */
static void
count_classes(struct intel *in)
{
	const struct intel_item **ord;
	size_t i, n;

	memset(in->ncls, 0, sizeof(in->ncls));
	memset(in->napps, 0, sizeof(in->napps));
	for (i = 0; i < in->n; i++)
		in->ncls[in->items[i].category][in->items[i].role]
		    [in->items[i].type]++;
	if (in->n == 0 || (ord = calloc(in->n, sizeof(*ord))) == NULL)
		return;		/* the app counts are only for messages */
	for (i = n = 0; i < in->n; i++)
		if (in->items[i].app != NULL)
			ord[n++] = &in->items[i];
	qsort(ord, n, sizeof(*ord), app_cmp);
	for (i = 0; i < n; i++)
		if (i == 0 || app_cmp(&ord[i - 1], &ord[i]) != 0)
			in->napps[ord[i]->category]++;
	free(ord);
}

int
intel_finalize(struct intel *in, char *errbuf, size_t errlen)
{
	unsigned char *drop = NULL;
	uint64_t *name_h = NULL;
	size_t per[129] = { 0 }, i, j, k, nl, ndom;
	uint8_t lvl[129];
	int plen;

	if (errbuf != NULL && errlen > 0)
		errbuf[0] = '\0';
	if (in == NULL) {
		if (errbuf != NULL && errlen > 0)
			snprintf(errbuf, errlen, "intel_finalize: no set");
		return -1;
	}
	levels_free(in);
	dtab_free(&in->dom);
	free(in->www);
	in->www = NULL;
	in->finalized = 0;
	in->ignored = 0;
	if (in->n > 0) {
		drop = calloc(in->n, sizeof(*drop));
		name_h = malloc(in->n * sizeof(*name_h));
		if (drop == NULL || name_h == NULL)
			goto nomem;
		if (name_hashes(in, drop, name_h) != 0)
			goto nomem;
		if (drop_duplicates(in, drop, name_h) != 0)
			goto nomem;
		/* compact in reading order; the strings stay in the arena */
		for (i = j = 0; i < in->n; i++) {
			if (drop[i]) {
				in->count[in->items[i].type]--;
				continue;
			}
			name_h[j] = name_h[i];
			in->items[j++] = in->items[i];
		}
		in->n = j;
		free(drop);
		drop = NULL;
	}
	for (i = ndom = 0; i < in->n; i++) {
		const struct intel_item *it = &in->items[i];

		if (it->type == INTEL_ADDR || it->type == INTEL_SUBNET) {
			per[it->prefix]++;
			if (it->port == 0)
				in->portless_nets = 1;
			else if (in->ports == NULL &&
			    (in->ports = calloc(8192, 1)) == NULL)
				goto nomem;
			if (it->port != 0)
				in->ports[it->port >> 3] |= (uint8_t)(1u
				    << (it->port & 7));
		}
		ndom += it->type == INTEL_DOMAIN;
	}
	for (plen = 128, nl = 0; plen >= 0; plen--)
		nl += per[plen] > 0;
	if (nl > 0 && (in->levels = calloc(nl, sizeof(*in->levels))) == NULL)
		goto nomem;
	for (plen = 128, k = 0; plen >= 0; plen--) {
		struct intel_level *lv;

		if (per[plen] == 0)
			continue;
		lvl[plen] = (uint8_t)k;
		lv = &in->levels[k++];
		in->nlevels = k;
		lv->plen = (uint8_t)plen;
		if ((lv->nets = calloc(per[plen], sizeof(*lv->nets))) == NULL)
			goto nomem;
	}
	/* one pass over the items: a pass per prefix length was a seventh
	 * of loading 100,000 indicators */
	for (i = 0; i < in->n; i++) {
		const struct intel_item *it = &in->items[i];
		struct intel_level *lv;

		if (it->type != INTEL_ADDR && it->type != INTEL_SUBNET)
			continue;
		lv = &in->levels[lvl[it->prefix]];
		net_key(&lv->nets[lv->n], it->addr, it->prefix);
		lv->nets[lv->n++].item = it;
	}
	for (k = 0; k < in->nlevels; k++)
		if (level_index(&in->levels[k]) != 0)
			goto nomem;
	if (ndom > 0 && index_names(in, ndom, name_h) != 0)
		goto nomem;
	free(name_h);
	count_classes(in);
	in->finalized = 1;
	return 0;
nomem:
	free(drop);
	free(name_h);
	levels_free(in);
	dtab_free(&in->dom);
	free(in->www);
	in->www = NULL;
	if (errbuf != NULL && errlen > 0)
		snprintf(errbuf, errlen, "intel_finalize: out of memory");
	return -1;
}

const struct intel_item *
intel_match_addr(const struct intel *in, const uint8_t addr[16])
{
	return intel_match_addr_port(in, addr, 0);
}

const struct intel_item *
intel_match_addr_port(const struct intel *in, const uint8_t addr[16],
    uint16_t port)
{
	const struct intel_level *lv;
	const struct intel_net *hit;
	struct intel_net key;
	size_t i, lo, s;
	uint64_t h;

	if (in == NULL || !in->finalized || addr == NULL)
		return NULL;
	if (!in->portless_nets &&
	    (in->ports == NULL || port == 0 ||
		!(in->ports[port >> 3] & (1u << (port & 7)))))
		return NULL;
	for (i = 0; i < in->nlevels; i++) {
		lv = &in->levels[i];
		net_key(&key, addr, lv->plen);
		h = net_hash(&key);
		if (!hfilter_maybe(&lv->filter, h))
			continue;
		/* the network's first entry, by hash: a binary search over
		 * 50,000 host addresses was a dozen cache misses a lookup */
		for (s = h & lv->mask; (lo = lv->slot[s]) != 0;
		     s = (s + 1) & lv->mask) {
			hit = &lv->nets[lo - 1];
			if (hit->hi == key.hi && hit->lo == key.lo)
				break;
		}
		/* its entries by port, the port-less one first */
		for (; lo != 0; lo = lv->next[lo - 1]) {
			hit = &lv->nets[lo - 1];
			if (hit->item->port == 0 ||
			    (port != 0 && hit->item->port == port))
				return hit->item;
		}
	}
	return NULL;
}

const struct intel_item *
intel_match_domain(const struct intel *in, const char *name)
{
	struct dom_sfx sfx[DOM_MAX_SFX];
	const struct intel_dslot *sl;
	char buf[DOM_MAX_LEN + 2];
	size_t len, i, ns;
	unsigned char c;

	if (in == NULL || !in->finalized || name == NULL ||
	    in->dom.slot == NULL)
		return NULL;
	/* lower-case (ASCII only: indicators are) into buf */
	for (len = 0; name[len] != '\0'; len++) {
		if (len > DOM_MAX_LEN)	/* room for a trailing dot */
			return NULL;
		c = (unsigned char)name[len];
		buf[len] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
	}
	if (len > 0 && buf[len - 1] == '.')
		len--;
	if (len == 0 || len > DOM_MAX_LEN)
		return NULL;
	ns = dom_suffixes(in->seed, buf, len, sfx);
	/* longest first: the name itself (its exact entry, else its tree
	 * entry), then its parents' tree entries */
	for (i = ns; i-- > 0;) {
		sl = dtab_find(&in->dom, sfx[i].h, buf + sfx[i].off,
		    sfx[i].len);
		if (sl == NULL)
			continue;
		if (sfx[i].off == 0 && sl->exact != NULL)
			return sl->exact;
		if (sl->tree != NULL)
			return sl->tree;
	}
	return NULL;
}

size_t
intel_count(const struct intel *in, enum intel_type type)
{
	if (in == NULL || (unsigned)type > INTEL_OTHER)
		return 0;
	return in->count[type];
}

size_t
intel_count_role(const struct intel *in, enum intel_category cat,
    enum intel_role role)
{
	size_t t, n = 0;

	if (in == NULL || (unsigned)cat >= INTEL_CATS ||
	    (unsigned)role >= INTEL_ROLES)
		return 0;
	for (t = 0; t <= INTEL_OTHER; t++)
		n += in->ncls[cat][role][t];
	return n;
}

size_t
intel_count_of(const struct intel *in, enum intel_category cat,
    enum intel_role role, enum intel_type type)
{
	if (in == NULL || (unsigned)cat >= INTEL_CATS ||
	    (unsigned)role >= INTEL_ROLES || (unsigned)type > INTEL_OTHER)
		return 0;
	return in->ncls[cat][role][type];
}

size_t
intel_count_apps(const struct intel *in, enum intel_category cat)
{
	if (in == NULL || (unsigned)cat >= INTEL_CATS)
		return 0;
	return in->napps[cat];
}

size_t
intel_count_all(const struct intel *in)
{
	return in != NULL ? in->n : 0;
}

const struct intel_item *
intel_item_at(const struct intel *in, size_t i)
{
	return in != NULL && i < in->n ? &in->items[i] : NULL;
}

const char *
intel_role_name(enum intel_role role)
{
	switch (role) {
	case INTEL_ROLE_C2:
		return "C2";
	case INTEL_ROLE_DISTRIBUTION:
		return "distribution";
	case INTEL_ROLE_WEBSITE:
		return "website";
	}
	return "?";
}

const char *
intel_category_name(enum intel_category cat)
{
	return cat == INTEL_CAT_WATCHWARE ? "watchware" : "stalkerware";
}

size_t
intel_count_platforms(const struct intel *in)
{
	return in != NULL ? in->nplat : 0;
}

size_t
intel_count_ignored(const struct intel *in)
{
	return in != NULL ? in->ignored : 0;
}

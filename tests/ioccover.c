/*
 * ioccover.c - the acceptance test of the bundled indicators (issue 8): a
 * capture that probes every indicator of iocs/, and what the policy of
 * intel.h says each probe must raise, derived from the loaded records by
 * this file's own reading of that policy.  It never asks the matcher
 * (intel_match_domain, intel_match_addr): that would make the test agree
 * with whatever the code does.
 *
 *   ioccover gen [-d DIR] [-I FILE]... PCAP EXPECT
 *	load DIR (default iocs) and the extra files as stalkerwatch does,
 *	write the probe capture to PCAP and one expectation a line to EXPECT
 *   ioccover check [-qw] EXPECT NOTICELOG
 *	compare a notice.log of `stalkerwatch --suppress-for 0` over PCAP
 *	with EXPECT (-w: the run had --vendor-sites); print each probe that
 *	went wrong and what was seen, then the figures (not with -q); exit
 *	0 when all hold
 *
 * Probes, each from a device of its own (10.x.y.z, fd53:7701::/32 for
 * IPv6 address indicators) so no notice suppresses another's: for every
 * listed name, a DNS lookup answered with a documentation address
 * (RFC 5737) and an HTTPS connection to it with SNI = the name; the same
 * for the www. form of every website and for one name under every listed
 * name ("sw-test." + name); a TCP connection to every address indicator;
 * the host of every URL indicator (never matched).
 *
 * Central structures: struct rec, one indicator record as read (before
 * duplicates are removed, so the duplicate rules are this file's, too),
 * and struct probe, one probe with the record the policy says it hits.
 * The finalized set is asked only for what loading decides before the
 * policy applies: which names lie under a shared platform (the platform
 * flag), and which were dropped for being a platform suffix themselves.
 */
#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "intel.h"
#include "intel_load.h"
#include "pcapgen.h"

#define NAME_MAX_LEN	253		/* RFC 1035 */
#define SUB_LABEL	"sw-test."	/* the name probed under a name */
#define START_US	(1710234000ULL * 1000000)	/* 2024-03-12 09:00 */
#define SEED		0x696f63636f766572ULL		/* "ioccover" */
#define MAC_ROUTER	"c4:ad:34:12:0e:01"
#define RESOLVER	"10.0.0.53"
#define MAX_EXTRA	32
#define MAX_FAIL_SHOWN	40

#define NOTE_C2		"Spyware::C2_Traffic"
#define NOTE_DIST	"Spyware::Distribution_Site"
#define NOTE_WATCH	"Spyware::Watchware_Traffic"
#define NOTE_WEB	"Spyware::Vendor_Website"
#define WHERE_DNS	"DNS::IN_REQUEST"
#define WHERE_CONN	"Conn::IN_RESP"
#define WHERE_SNI	"SSL::IN_SERVER_NAME"

/* Why a probe exists. */
enum kind {
	K_NAME,		/* a listed name */
	K_WWW,		/* the www. form of a listed website */
	K_SUB,		/* a name under a listed name */
	K_DROPPED,	/* a listed name that is a platform suffix itself */
	K_URL,		/* the host of a URL indicator */
	K_ADDR,		/* an address or prefix indicator */
	K__COUNT
};

static const char *const kind_name[K__COUNT] = {
	"name", "www", "sub", "dropped", "url", "addr"
};

static const char *const kind_words[K__COUNT] = {
	"listed names", "www. forms of websites", "names under a listed name",
	"platform suffixes listed as names", "hosts of URL indicators",
	"addresses"
};

/* One indicator record, as read. */
struct rec {
	const struct intel_item *it;
	size_t ord;		/* reading order */
	int platform;		/* strictly under a shared platform */
	int dropped;		/* a shared platform suffix itself */
};

struct probe {
	char name[NAME_MAX_LEN + 1];	/* the name, or the address */
	enum kind kind;
	int is_addr;
	uint8_t addr[16];		/* K_ADDR: the address connected to */
	const struct rec *hit;		/* what the policy says, or NULL */
	int derived;			/* hit by a website's www. form */
};

struct gen {
	struct rec *recs;	/* every record, reading order */
	size_t nrecs;
	struct rec **doms;	/* the name records, sorted by name */
	size_t ndoms;
	struct probe *probes;
	size_t nprobes, cap;
};

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n > 0 ? n : 1, size);

	if (p == NULL) {
		fprintf(stderr, "ioccover: out of memory\n");
		exit(2);
	}
	return p;
}

/* --- the policy of intel.h, read independently ----------------------------- */

static int
is_v4mapped(const uint8_t a[16])
{
	static const uint8_t pfx[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
	    0xff };

	return memcmp(a, pfx, sizeof(pfx)) == 0;
}

/* 1 when addr lies in the plen-bit prefix net. */
static int
in_prefix(const uint8_t addr[16], const uint8_t net[16], unsigned plen)
{
	unsigned full = plen / 8, rest = plen % 8;
	uint8_t mask;

	if (memcmp(addr, net, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (uint8_t)(0xff << (8 - rest));
	return (addr[full] & mask) == (net[full] & mask);
}

/*
 * The address record a connection to addr hits (intel.h): the longest
 * prefix covering it; of one address listed several times, one whose
 * file says its role before one assumed, then the stronger role (C2,
 * distribution, website), then stalkerware before watchware, then the
 * first read.
 */
static const struct rec *
expect_addr(const struct gen *G, const uint8_t addr[16])
{
	const struct rec *best = NULL, *r;
	const struct intel_item *a, *b;
	size_t i;

	for (i = 0; i < G->nrecs; i++) {
		r = &G->recs[i];
		a = r->it;
		if ((a->type != INTEL_ADDR && a->type != INTEL_SUBNET) ||
		    !in_prefix(addr, a->addr, a->prefix))
			continue;
		if (best == NULL) {
			best = r;
			continue;
		}
		b = best->it;
		if (a->prefix != b->prefix) {
			if (a->prefix > b->prefix)
				best = r;
		} else if (a->role_assumed != b->role_assumed) {
			if (!a->role_assumed)
				best = r;
		} else if (a->role != b->role) {
			if (a->role < b->role)
				best = r;
		} else if (a->category < b->category)
			best = r;	/* ties: the first read stays */
	}
	return best;
}

static int
dom_cmp(const void *pa, const void *pb)
{
	const struct rec *a = *(const struct rec *const *)pa;
	const struct rec *b = *(const struct rec *const *)pb;
	int c = strcmp(a->it->indicator, b->it->indicator);

	if (c != 0)
		return c;
	return a->ord < b->ord ? -1 : a->ord > b->ord;
}

/* The records of one name: [*first, *first + return). */
static size_t
dom_range(const struct gen *G, const char *name, size_t *first)
{
	size_t lo = 0, hi = G->ndoms, mid, n;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(G->doms[mid]->it->indicator, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	for (n = 0; lo + n < G->ndoms &&
	    strcmp(G->doms[lo + n]->it->indicator, name) == 0; n++)
		;
	return n;
}

/*
 * A record of a name is kept unless another of the same name and role
 * comes before it: one whose file says its role before one assumed ("it
 * gives way to one whose file says"), then "an indicator listed twice
 * with one role keeps the first one read (stalkerware before
 * watchware)"; a platform suffix itself is dropped.
 */
static int
kept(const struct gen *G, size_t first, size_t n, const struct rec *r)
{
	const struct intel_item *a = r->it, *b;
	const struct rec *o;
	size_t i;

	if (r->dropped)
		return 0;
	for (i = 0; i < n; i++) {
		o = G->doms[first + i];
		b = o->it;
		if (o == r || o->dropped || b->role != a->role)
			continue;
		if (b->role_assumed != a->role_assumed) {
			if (!b->role_assumed)
				return 0;
		} else if (b->category < a->category ||
		    (b->category == a->category && o->ord < r->ord))
			return 0;
	}
	return 1;
}

/*
 * Order of the candidates for one name.  A record whose file does not
 * say its role "gives way to one whose file says", whatever the roles;
 * then, at the exact name, the website wins, then C2, then distribution;
 * then stalkerware before watchware ("the same indicator in two
 * categories is stalkerware"); then a listed name before a website's
 * www. form, then the first read.  Returns <0 when a is better.
 */
static int
exact_better(const struct rec *a, int ad, const struct rec *b, int bd)
{
	static const int role_rank[INTEL_ROLES] = {
		[INTEL_ROLE_WEBSITE] = 0, [INTEL_ROLE_C2] = 1,
		[INTEL_ROLE_DISTRIBUTION] = 2,
	};

	if (a->it->role_assumed != b->it->role_assumed)
		return a->it->role_assumed - b->it->role_assumed;
	if (role_rank[a->it->role] != role_rank[b->it->role])
		return role_rank[a->it->role] - role_rank[b->it->role];
	if (a->it->category != b->it->category)
		return (int)a->it->category - (int)b->it->category;
	if (ad != bd)
		return ad - bd;
	return a->ord < b->ord ? -1 : 1;
}

/* Under a name, the same but C2 wins over distribution. */
static int
tree_better(const struct rec *a, const struct rec *b)
{
	if (a->it->role_assumed == b->it->role_assumed &&
	    a->it->role != b->it->role)
		return a->it->role == INTEL_ROLE_C2 ? -1 : 1;
	return exact_better(a, 0, b, 0);
}

/* Does r cover the names under its own (intel.h)? */
static int
covers_under(const struct gen *G, size_t first, size_t n,
    const struct rec *r)
{
	size_t i;

	/* websites: their name and www. form only; shared platforms and
	 * names marked exact: that name only */
	if (r->it->role == INTEL_ROLE_WEBSITE || !r->it->subdomains ||
	    r->platform)
		return 0;
	/* an assumed C2 does not cover the names under a listed website */
	if (r->it->role_assumed)
		for (i = 0; i < n; i++)
			if (G->doms[first + i]->it->role == INTEL_ROLE_WEBSITE &&
			    kept(G, first, n, G->doms[first + i]))
				return 0;
	return 1;
}

/*
 * The name record a name hits by the policy of intel.h: the best of the
 * name's own records and of the websites whose www. form it is; else,
 * from the longest parent at a dot boundary down, the best record of the
 * first parent that covers the names under it; else NULL.
 */
static const struct rec *
expect_name(const struct gen *G, const char *name, int *derived)
{
	const struct rec *best = NULL, *r;
	const char *s;
	size_t first, n, i;
	int bd = 0;

	*derived = 0;
	n = dom_range(G, name, &first);
	for (i = 0; i < n; i++) {
		r = G->doms[first + i];
		if (kept(G, first, n, r) && (best == NULL ||
		    exact_better(r, 0, best, bd) < 0)) {
			best = r;
			bd = 0;
		}
	}
	if (strncmp(name, "www.", 4) == 0 && strncmp(name + 4, "www.", 4) !=
	    0) {
		n = dom_range(G, name + 4, &first);
		for (i = 0; i < n; i++) {
			r = G->doms[first + i];
			if (r->it->role == INTEL_ROLE_WEBSITE &&
			    kept(G, first, n, r) && (best == NULL ||
			    exact_better(r, 1, best, bd) < 0)) {
				best = r;
				bd = 1;
			}
		}
	}
	if (best != NULL) {
		*derived = bd;
		return best;
	}
	for (s = strchr(name, '.'); s != NULL; s = strchr(s + 1, '.')) {
		n = dom_range(G, s + 1, &first);
		for (i = 0; i < n; i++) {
			r = G->doms[first + i];
			if (kept(G, first, n, r) && covers_under(G, first, n,
			    r) && (best == NULL || tree_better(r, best) < 0))
				best = r;
		}
		if (best != NULL)
			return best;
	}
	return NULL;
}

/*
 * The note a hit raises (README severity table): a website is a vendor
 * website, whatever its category; watchware C2 and distribution are
 * watchware traffic; then distribution; then C2.
 */
static const char *
note_of(const struct intel_item *it)
{
	if (it->role == INTEL_ROLE_WEBSITE)
		return NOTE_WEB;
	if (it->category == INTEL_CAT_WATCHWARE)
		return NOTE_WATCH;
	if (it->role == INTEL_ROLE_DISTRIBUTION)
		return NOTE_DIST;
	return NOTE_C2;
}

/* --- loading ------------------------------------------------------------------- */

static int
load(struct intel *in, const char *dir, char **extra, int nextra)
{
	char err[512];
	int i;

	if (intel_load_dir(in, dir, NULL, err, sizeof(err)) != 0) {
		fprintf(stderr, "ioccover: %s\n", err);
		return -1;
	}
	for (i = 0; i < nextra; i++)
		if (intel_load_file(in, extra[i], NULL, err, sizeof(err)) !=
		    0) {
			fprintf(stderr, "ioccover: %s\n", err);
			return -1;
		}
	return 0;
}

static int
str_cmp(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/*
 * Records from `raw` (loaded, not finalized: every record as read; see
 * the report of this test about intel_item_at before intel_finalize);
 * the platform flag and the dropped platform suffixes from `fin`.
 */
static void
collect(struct gen *G, const struct intel *raw, const struct intel *fin)
{
	const struct intel_item *it;
	const char **fnames, **hit;
	unsigned char *fplat;
	size_t i, j, nf = 0, nfin = intel_count_all(fin);

	fnames = xcalloc(nfin, sizeof(*fnames));
	for (i = 0; i < nfin; i++)
		if ((it = intel_item_at(fin, i))->type == INTEL_DOMAIN)
			fnames[nf++] = it->indicator;
	qsort(fnames, nf, sizeof(*fnames), str_cmp);
	/* the flag of each finalized name, in the same order */
	fplat = xcalloc(nf, 1);
	for (i = 0; i < nfin; i++) {
		it = intel_item_at(fin, i);
		if (it->type != INTEL_DOMAIN)
			continue;
		hit = bsearch(&it->indicator, fnames, nf, sizeof(*fnames),
		    str_cmp);
		for (j = (size_t)(hit - fnames); j < nf &&
		    strcmp(fnames[j], it->indicator) == 0; j++)
			fplat[j] |= it->platform;
	}
	G->nrecs = intel_count_all(raw);
	G->recs = xcalloc(G->nrecs, sizeof(*G->recs));
	G->doms = xcalloc(G->nrecs, sizeof(*G->doms));
	for (i = 0; i < G->nrecs; i++) {
		G->recs[i].it = intel_item_at(raw, i);
		G->recs[i].ord = i;
		if (G->recs[i].it->type != INTEL_DOMAIN)
			continue;
		hit = nf > 0 ? bsearch(&G->recs[i].it->indicator, fnames, nf,
		    sizeof(*fnames), str_cmp) : NULL;
		if (hit == NULL)
			G->recs[i].dropped = 1;
		else
			G->recs[i].platform = fplat[hit - fnames];
		G->doms[G->ndoms++] = &G->recs[i];
	}
	qsort(G->doms, G->ndoms, sizeof(*G->doms), dom_cmp);
	free(fplat);
	free(fnames);
}

/* --- probes --------------------------------------------------------------------- */

static void
add_probe(struct gen *G, const char *prefix, const char *name,
    enum kind kind)
{
	struct probe *p;

	if (strlen(prefix) + strlen(name) > NAME_MAX_LEN)
		return;		/* no such name on the wire */
	if (G->nprobes == G->cap) {
		G->cap = G->cap ? G->cap * 2 : 1024;
		if ((p = reallocarray(G->probes, G->cap, sizeof(*p))) == NULL) {
			fprintf(stderr, "ioccover: out of memory\n");
			exit(2);
		}
		G->probes = p;
	}
	p = &G->probes[G->nprobes++];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s%s", prefix, name);
	p->kind = kind;
}

/* By name, then the most telling kind first (a listed name before the
 * www. form of another). */
static int
probe_cmp(const void *pa, const void *pb)
{
	const struct probe *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);

	if (c != 0)
		return c;
	return (int)a->kind - (int)b->kind;
}

/* The host of a URL indicator, lower-cased; 0 or -1. */
static int
url_host(const char *url, char *out, size_t outlen)
{
	const char *h = strstr(url, "://"), *e, *at;
	size_t n, i;

	if (h == NULL)
		return -1;
	h += 3;
	e = h + strcspn(h, "/?#");
	if ((at = memchr(h, '@', (size_t)(e - h))) != NULL)
		h = at + 1;
	n = strcspn(h, ":/?#");
	if (n == 0 || n >= outlen || *h == '[')
		return -1;
	for (i = 0; i < n; i++)
		out[i] = (char)(h[i] >= 'A' && h[i] <= 'Z' ? h[i] + 32 : h[i]);
	out[n] = '\0';
	return 0;
}

static void
make_probes(struct gen *G)
{
	const struct intel_item *it;
	struct probe *p;
	char host[NAME_MAX_LEN + 1];
	size_t i, j, k;

	for (i = 0; i < G->nrecs; i++) {
		it = G->recs[i].it;
		if (it->type == INTEL_DOMAIN) {
			add_probe(G, "", it->indicator, G->recs[i].dropped ?
			    K_DROPPED : K_NAME);
			if (it->role == INTEL_ROLE_WEBSITE &&
			    strncmp(it->indicator, "www.", 4) != 0)
				add_probe(G, "www.", it->indicator, K_WWW);
			add_probe(G, SUB_LABEL, it->indicator, G->recs[i].dropped
			    ? K_DROPPED : K_SUB);
		} else if (it->type == INTEL_OTHER &&
		    url_host(it->indicator, host, sizeof(host)) == 0)
			add_probe(G, "", host, K_URL);
	}
	qsort(G->probes, G->nprobes, sizeof(*G->probes), probe_cmp);
	for (i = j = 0; i < G->nprobes; i++)
		if (j == 0 || strcmp(G->probes[j - 1].name,
		    G->probes[i].name) != 0)
			G->probes[j++] = G->probes[i];
	G->nprobes = j;
	/* one address probe per distinct prefix, in reading order */
	for (i = 0; i < G->nrecs; i++) {
		it = G->recs[i].it;
		if (it->type != INTEL_ADDR && it->type != INTEL_SUBNET)
			continue;
		for (k = 0; k < i; k++)
			if ((G->recs[k].it->type == INTEL_ADDR ||
			    G->recs[k].it->type == INTEL_SUBNET) &&
			    G->recs[k].it->prefix == it->prefix &&
			    memcmp(G->recs[k].it->addr, it->addr, 16) == 0)
				break;
		if (k < i)
			continue;
		add_probe(G, "", it->indicator, K_ADDR);
		p = &G->probes[G->nprobes - 1];
		p->is_addr = 1;
		memcpy(p->addr, it->addr, 16);
		if (it->prefix < 128)
			p->addr[15] |= 1;	/* a host in the prefix */
	}
	for (i = 0; i < G->nprobes; i++) {
		p = &G->probes[i];
		p->hit = p->is_addr ? expect_addr(G, p->addr) :
		    expect_name(G, p->name, &p->derived);
	}
}

/* --- the capture ------------------------------------------------------------------ */

static void
host_v4(struct pcapgen_host *h, uint32_t a, size_t i)
{
	memset(h, 0, sizeof(*h));
	h->family = 4;
	h->addr[0] = (uint8_t)(a >> 24);
	h->addr[1] = (uint8_t)(a >> 16);
	h->addr[2] = (uint8_t)(a >> 8);
	h->addr[3] = (uint8_t)a;
	h->mac[0] = 0x02;	/* locally administered */
	h->mac[1] = 0x53;
	h->mac[2] = 0x57;
	h->mac[3] = (uint8_t)(i >> 16);
	h->mac[4] = (uint8_t)(i >> 8);
	h->mac[5] = (uint8_t)i;
}

/* Probe i's device: 10.1.0.1 on, skipping .0 and .255. */
static void
device_of(struct pcapgen_host *h, size_t i, int v6)
{
	uint32_t a = (uint32_t)(10u << 24 | 1u << 16) +
	    (uint32_t)(i / 254 * 256 + i % 254 + 1);

	host_v4(h, a, i);
	if (v6) {
		static const uint8_t pfx[4] = { 0xfd, 0x53, 0x77, 0x01 };

		h->family = 6;
		memset(h->addr, 0, sizeof(h->addr));
		memcpy(h->addr, pfx, sizeof(pfx));
		h->addr[12] = (uint8_t)(i >> 24);
		h->addr[13] = (uint8_t)(i >> 16);
		h->addr[14] = (uint8_t)(i >> 8);
		h->addr[15] = (uint8_t)i;
	}
}

static void
mapped(const struct pcapgen_host *h, uint8_t out[16])
{
	memset(out, 0, 16);
	if (h->family == 6) {
		memcpy(out, h->addr, 16);
		return;
	}
	out[10] = out[11] = 0xff;
	memcpy(out + 12, h->addr, 4);
}

static void
addr_str(const struct pcapgen_host *h, char *out, size_t len)
{
	if (inet_ntop(h->family == 6 ? AF_INET6 : AF_INET, h->addr, out,
	    (socklen_t)len) == NULL)
		snprintf(out, len, "?");
}

/* Probe i's answer address: a documentation address (RFC 5737). */
static void
answer_of(struct pcapgen_host *h, size_t i)
{
	uint32_t net = i % 2 ? 0xcb007100u : 0xc6336400u;	/* 203.0.113,
								 * 198.51.100 */

	host_v4(h, net + (uint32_t)(i / 2 % 254 + 1), 0);
}

/* A host the capture uses, known to be on no list. */
static int
check_clean(const struct gen *G, const struct pcapgen_host *h)
{
	uint8_t a[16];
	char s[64];
	const struct rec *r;

	mapped(h, a);
	if ((r = expect_addr(G, a)) == NULL)
		return 0;
	addr_str(h, s, sizeof(s));
	fprintf(stderr, "ioccover: %s, used as a benign host, is covered by "
	    "the indicator %s: pick other addresses\n", s, r->it->indicator);
	return -1;
}

static int
write_pcap(struct gen *G, const char *path)
{
	struct pcapgen *g;
	struct pcapgen_host dev, srv, res;
	struct pcapgen_tcp c;
	FILE *fp;
	size_t i;
	int rc = 0;

	if ((fp = fopen(path, "wb")) == NULL) {
		fprintf(stderr, "ioccover: %s: %s\n", path, strerror(errno));
		return -1;
	}
	g = xcalloc(1, sizeof(*g));	/* 64 KiB pool: off the stack */
	if (pcapgen_open(g, fp, START_US, SEED) != 0 ||
	    pcapgen_host(&res, RESOLVER, MAC_ROUTER) != 0)
		rc = -1;
	rc |= check_clean(G, &res);
	for (i = 0; i < G->nprobes && rc == 0; i++) {
		const struct probe *p = &G->probes[i];

		device_of(&dev, i, p->is_addr && !is_v4mapped(p->addr));
		rc |= check_clean(G, &dev);
		if (p->is_addr) {
			memset(&srv, 0, sizeof(srv));
			srv.family = dev.family;
			memcpy(srv.addr, dev.family == 4 ? p->addr + 12 :
			    p->addr, dev.family == 4 ? 4 : 16);
			memcpy(srv.mac, res.mac, 6);
			pcapgen_tcp_init(g, &c, &dev, 40000, &srv, 443);
			rc |= pcapgen_https(g, &c, NULL, 200, 100, 100);
		} else {
			answer_of(&srv, i);
			memcpy(srv.mac, res.mac, 6);
			rc |= check_clean(G, &srv);
			rc |= pcapgen_dns_exchange(g, &dev, &res, p->name, 1,
			    srv.addr, 1, 300);
			pcapgen_tcp_init(g, &c, &dev, 40000, &srv, 443);
			rc |= pcapgen_https(g, &c, p->name, 200, 100, 100);
		}
		if (rc != 0)
			fprintf(stderr, "ioccover: cannot write the probe of "
			    "%s\n", p->name);
		pcapgen_advance(g, 200000);
	}
	if (pcapgen_close(g) != 0 || fclose(fp) != 0) {
		fprintf(stderr, "ioccover: %s: write error\n", path);
		rc = -1;
	}
	free(g);
	return rc;
}

/* --- the expectations ------------------------------------------------------------- */

/* A field of the expectation file: no tab nor newline, "-" for none. */
static void
put_field(FILE *fp, const char *s, int last)
{
	if (s == NULL || *s == '\0')
		s = "-";
	for (; *s != '\0'; s++)
		putc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, fp);
	putc(last ? '\n' : '\t', fp);
}

static int
write_expect(const struct gen *G, const char *path)
{
	static const char *const hdr = "#device\tkind\tprobe\tnote\twhere\t"
	    "app\tcategory\trole\tindicator\tsource\twhy";
	struct pcapgen_host dev;
	const struct intel_item *it;
	char d[64], why[600];
	const char *where;
	FILE *fp;
	size_t i;

	if ((fp = fopen(path, "w")) == NULL) {
		fprintf(stderr, "ioccover: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(fp, "%s\n", hdr);
	for (i = 0; i < G->nprobes; i++) {
		const struct probe *p = &G->probes[i];

		device_of(&dev, i, p->is_addr && !is_v4mapped(p->addr));
		addr_str(&dev, d, sizeof(d));
		it = p->hit != NULL ? p->hit->it : NULL;
		/* a lookup, the connection named by its answer (not for a
		 * shared platform: "addresses it resolves to are shared too
		 * and must not become indicators"), the SNI */
		where = it == NULL ? NULL : p->is_addr ? WHERE_CONN :
		    p->hit->platform ? WHERE_DNS "," WHERE_SNI :
		    WHERE_DNS "," WHERE_CONN "," WHERE_SNI;
		if (it == NULL)
			snprintf(why, sizeof(why), "no indicator covers it");
		else
			snprintf(why, sizeof(why), "%s the %s %s %s of %s%s",
			    p->is_addr ? "in" : p->derived ? "www. form of" :
			    strcmp(p->name, it->indicator) == 0 ? "listed as" :
			    "under", intel_category_name(it->category),
			    intel_role_name(it->role), it->indicator,
			    it->app != NULL ? it->app : "an unnamed app",
			    p->hit->platform ? " (on a shared platform)" : "");
		put_field(fp, d, 0);
		put_field(fp, kind_name[p->kind], 0);
		put_field(fp, p->name, 0);
		put_field(fp, it != NULL ? note_of(it) : "none", 0);
		put_field(fp, where, 0);
		put_field(fp, it != NULL ? it->app : NULL, 0);
		put_field(fp, it != NULL ? intel_category_name(it->category) :
		    NULL, 0);
		put_field(fp, it != NULL ? intel_role_name(it->role) : NULL, 0);
		put_field(fp, it != NULL ? it->indicator : NULL, 0);
		put_field(fp, it != NULL ? it->source : NULL, 0);
		put_field(fp, why, 1);
	}
	if (fclose(fp) != 0) {
		fprintf(stderr, "ioccover: %s: write error\n", path);
		return -1;
	}
	return 0;
}

/* What was read, as the issue counts it: per category, the names and
 * addresses of each role. */
static void
print_records(const struct gen *G)
{
	static const char *const role_words[INTEL_ROLES] = {
		[INTEL_ROLE_C2] = "C2", [INTEL_ROLE_DISTRIBUTION] =
		"distribution", [INTEL_ROLE_WEBSITE] = "website",
	};
	size_t n[INTEL_CATS][INTEL_ROLES][2], other = 0, i;
	const struct intel_item *it;
	int c, r;

	memset(n, 0, sizeof(n));
	for (i = 0; i < G->nrecs; i++) {
		it = G->recs[i].it;
		if (it->type == INTEL_OTHER)
			other++;
		else
			n[it->category][it->role][it->type != INTEL_DOMAIN]++;
	}
	printf("   %zu records read\n", G->nrecs);
	for (c = 0; c < INTEL_CATS; c++) {
		printf("   %s:", intel_category_name((enum intel_category)c));
		for (r = 0; r < INTEL_ROLES; r++) {
			printf("%s %zu %s name%s", r ? "," : "", n[c][r][0],
			    role_words[r], n[c][r][0] == 1 ? "" : "s");
			if (n[c][r][1] > 0)
				printf(" and %zu address%s", n[c][r][1],
				    n[c][r][1] == 1 ? "" : "es");
		}
		printf("\n");
	}
	printf("   other: %zu (URLs, never matched)\n", other);
}

static int
cmd_gen(int argc, char **argv)
{
	struct intel *raw = intel_new(), *fin = intel_new();
	char *extra[MAX_EXTRA], err[512];
	const char *dir = "iocs";
	struct gen G;
	int ch, nextra = 0, rc = 1;

	memset(&G, 0, sizeof(G));
	while ((ch = getopt(argc, argv, "d:I:")) != -1) {
		if (ch == 'd')
			dir = optarg;
		else if (ch == 'I' && nextra < MAX_EXTRA)
			extra[nextra++] = optarg;
		else
			goto usage;
	}
	if (argc - optind != 2)
		goto usage;
	if (raw == NULL || fin == NULL) {
		fprintf(stderr, "ioccover: out of memory\n");
		goto out;
	}
	/* `raw` stays unfinalized: every record as read */
	if (load(raw, dir, extra, nextra) != 0 || load(fin, dir, extra,
	    nextra) != 0)
		goto out;
	if (intel_finalize(fin, err, sizeof(err)) != 0) {
		fprintf(stderr, "ioccover: %s\n", err);
		goto out;
	}
	collect(&G, raw, fin);
	make_probes(&G);
	print_records(&G);
	if (write_pcap(&G, argv[optind]) == 0 &&
	    write_expect(&G, argv[optind + 1]) == 0)
		rc = 0;
out:
	free(G.probes);
	free(G.doms);
	free(G.recs);
	intel_free(raw);
	intel_free(fin);
	return rc;
usage:
	fprintf(stderr, "usage: ioccover gen [-d DIR] [-I FILE]... PCAP "
	    "EXPECT\n");
	return 2;
}

/* --- the check ---------------------------------------------------------------------- */

enum { F_DEV, F_KIND, F_PROBE, F_NOTE, F_WHERE, F_APP, F_CAT, F_ROLE,
	F_IND, F_SRC, F_WHY, F__COUNT };

struct expect {
	char *f[F__COUNT];
	char *line;		/* owns the fields */
	enum kind kind;
	unsigned seen;		/* notices from this device */
	int bad;		/* one of them was not the expected one */
	char where[256];	/* the "where" of those seen, sorted later */
	char saw[600];		/* the first ones seen, for the report */
};

static int
exp_cmp(const void *pa, const void *pb)
{
	const struct expect *a = pa, *b = pb;

	return strcmp(a->f[F_DEV], b->f[F_DEV]);
}

/* bsearch: a device address against an expectation */
static int
exp_key_cmp(const void *key, const void *pb)
{
	const struct expect *b = pb;

	return strcmp(key, b->f[F_DEV]);
}

static const char *
jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Equal, NULL and "-" being the same none. */
static int
same(const char *want, const char *got)
{
	if (got == NULL)
		got = "-";
	return strcmp(want, got) == 0;
}

static int
severity_of(const char *note)
{
	return strcmp(note, NOTE_C2) == 0 ? 12 : strcmp(note, NOTE_DIST) ==
	    0 ? 10 : strcmp(note, NOTE_WATCH) == 0 ? 5 :
	    strcmp(note, NOTE_WEB) == 0 ? 3 : -1;
}

/* The note this run must show for e, or "none". */
static const char *
want_note(const struct expect *e, int websites)
{
	if (strcmp(e->f[F_NOTE], NOTE_WEB) == 0 && !websites)
		return "none";
	return e->f[F_NOTE];
}

static void
note_seen(struct expect *e, const cJSON *o, int websites)
{
	const cJSON *in = cJSON_GetObjectItemCaseSensitive(o, "intel");
	const cJSON *sev = cJSON_GetObjectItemCaseSensitive(o, "severity");
	const char *note = jstr(o, "note"), *where = jstr(in, "where");
	const char *want = want_note(e, websites);
	size_t n;

	e->seen++;
	if (strcmp(want, "none") == 0 || !same(want, note) ||
	    !same(e->f[F_APP], jstr(in, "app")) ||
	    !same(e->f[F_CAT], jstr(in, "category")) ||
	    !same(e->f[F_ROLE], jstr(in, "role")) ||
	    !same(e->f[F_IND], jstr(in, "indicator")) ||
	    !same(e->f[F_SRC], jstr(in, "source")) ||
	    !cJSON_IsNumber(sev) || sev->valuedouble != severity_of(want) ||
	    (e->kind != K_ADDR && !same(e->f[F_PROBE], jstr(o, "sub"))))
		e->bad = 1;
	n = strlen(e->where);
	snprintf(e->where + n, sizeof(e->where) - n, "%s%s", n ? "," : "",
	    where != NULL ? where : "-");
	n = strlen(e->saw);
	if (e->seen <= 3)
		snprintf(e->saw + n, sizeof(e->saw) - n, "%s%s (%s, %s %s %s, "
		    "indicator %s, severity %.0f)", n ? "; " : "",
		    note != NULL ? note : "?", where != NULL ? where : "?",
		    jstr(in, "app") != NULL ? jstr(in, "app") : "no app",
		    jstr(in, "category") != NULL ? jstr(in, "category") : "?",
		    jstr(in, "role") != NULL ? jstr(in, "role") : "?",
		    jstr(in, "indicator") != NULL ? jstr(in, "indicator") : "?",
		    cJSON_IsNumber(sev) ? sev->valuedouble : -1.0);
}

/* Sort a comma-separated list in place (s holds cap bytes). */
static void
sort_list(char *s, size_t cap)
{
	char *v[16], buf[256], *save = NULL, *t;
	size_t n = 0, i, o = 0;
	int w;

	snprintf(buf, sizeof(buf), "%s", s);
	for (t = strtok_r(buf, ",", &save); t != NULL && n < 16;
	    t = strtok_r(NULL, ",", &save))
		v[n++] = t;
	qsort(v, n, sizeof(*v), str_cmp);
	s[0] = '\0';
	for (i = 0; i < n; i++) {
		w = snprintf(s + o, cap - o, "%s%s", i ? "," : "", v[i]);
		if (w < 0 || (size_t)w >= cap - o)
			break;
		o += (size_t)w;
	}
}

static int
read_expect(const char *path, struct expect **out, size_t *nout)
{
	struct expect *e = NULL, *ne;
	char *line = NULL, *save, *t;
	size_t cap = 0, n = 0, ecap = 0, lineno = 0;
	ssize_t len;
	FILE *fp;
	int i, k;

	if ((fp = fopen(path, "r")) == NULL) {
		fprintf(stderr, "ioccover: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, fp)) > 0) {
		lineno++;
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (n == ecap) {
			ecap = ecap ? ecap * 2 : 1024;
			if ((ne = reallocarray(e, ecap, sizeof(*e))) == NULL) {
				fprintf(stderr, "ioccover: out of memory\n");
				exit(2);
			}
			e = ne;
		}
		memset(&e[n], 0, sizeof(e[n]));
		if ((e[n].line = strdup(line)) == NULL) {
			fprintf(stderr, "ioccover: out of memory\n");
			exit(2);
		}
		save = NULL;
		for (i = 0, t = strtok_r(e[n].line, "\t", &save);
		    t != NULL && i < F__COUNT;
		    t = strtok_r(NULL, "\t", &save))
			e[n].f[i++] = t;
		for (k = 0; k < K__COUNT && i == F__COUNT; k++)
			if (strcmp(e[n].f[F_KIND], kind_name[k]) == 0)
				break;
		if (i != F__COUNT || k == K__COUNT) {
			fprintf(stderr, "ioccover: %s:%zu: not an expectation\n",
			    path, lineno);
			free(e[n].line);
			fclose(fp);
			free(line);
			*out = e;
			*nout = n;
			return -1;
		}
		e[n].kind = (enum kind)k;
		n++;
	}
	free(line);
	fclose(fp);
	qsort(e, n, sizeof(*e), exp_cmp);
	*out = e;
	*nout = n;
	return 0;
}

/* The figures: per kind of probe, what they must raise. */
static void
print_figures(const struct expect *e, size_t n, int websites)
{
	static const char *const notes[] = { NOTE_C2, NOTE_DIST, NOTE_WATCH,
	    NOTE_WEB, "none" };
	size_t cnt[K__COUNT][5], tot[K__COUNT], i;
	int k, j;
	char line[512];
	size_t o;

	memset(cnt, 0, sizeof(cnt));
	memset(tot, 0, sizeof(tot));
	for (i = 0; i < n; i++) {
		for (j = 0; j < 4 && strcmp(e[i].f[F_NOTE], notes[j]) != 0; j++)
			;
		cnt[e[i].kind][j]++;
		tot[e[i].kind]++;
	}
	for (k = 0; k < K__COUNT; k++) {
		if (tot[k] == 0)
			continue;
		o = 0;
		for (j = 0; j < 5; j++) {
			if (cnt[k][j] == 0)
				continue;
			o += (size_t)snprintf(line + o, sizeof(line) - o,
			    "%s%zu %s", o ? ", " : "", cnt[k][j], j == 4 ?
			    "nothing" : j == 3 && !websites ? "website "
			    "(silent)" : notes[j] + 9);
			if (o >= sizeof(line))
				break;
		}
		printf("   %zu %s: %s\n", tot[k], kind_words[k], line);
	}
}

static int
cmd_check(int argc, char **argv)
{
	struct expect *e = NULL, *hit;
	char *line = NULL, want[256];
	const char *src;
	size_t cap = 0, n = 0, i, lines = 0, stray = 0, failed = 0;
	ssize_t len;
	int ch, websites = 0, quiet = 0, rc = 1;
	FILE *fp = NULL;
	cJSON *o;

	while ((ch = getopt(argc, argv, "qw")) != -1) {
		if (ch == 'w')
			websites = 1;
		else if (ch == 'q')
			quiet = 1;
		else
			goto usage;
	}
	if (argc - optind != 2)
		goto usage;
	if (read_expect(argv[optind], &e, &n) != 0)
		goto out;
	if ((fp = fopen(argv[optind + 1], "r")) == NULL) {
		fprintf(stderr, "ioccover: %s: %s\n", argv[optind + 1],
		    strerror(errno));
		goto out;
	}
	while ((len = getline(&line, &cap, fp)) > 0) {
		lines++;
		if ((o = cJSON_Parse(line)) == NULL) {
			fprintf(stderr, "FAIL: %s:%zu: not JSON\n",
			    argv[optind + 1], lines);
			stray++;
			continue;
		}
		src = jstr(o, "src");
		hit = src == NULL ? NULL : bsearch(src, e, n, sizeof(*e),
		    exp_key_cmp);
		/* A capture of 3,600 infected devices is more than the
		 * evidence table holds: the sensor says it dropped some
		 * (Sensor_Under_Attack), which is true, and no probe's. */
		if (hit == NULL && jstr(o, "note") != NULL &&
		    strcmp(jstr(o, "note"), "Spyware::Sensor_Under_Attack") ==
			0) {
			cJSON_Delete(o);
			continue;
		}
		if (hit != NULL)
			note_seen(hit, o, websites);
		else if (stray++ < MAX_FAIL_SHOWN)
			fprintf(stderr, "FAIL: a notice from no probe: %s "
			    "from %s (%s)\n", jstr(o, "note") != NULL ?
			    jstr(o, "note") : "?", src != NULL ? src : "?", jstr(o, "sub") != NULL ?
			    jstr(o, "sub") : "?");
		cJSON_Delete(o);
	}
	for (i = 0; i < n; i++) {
		const char *w = want_note(&e[i], websites);

		snprintf(want, sizeof(want), "%s", strcmp(w, "none") == 0 ? "" :
		    e[i].f[F_WHERE]);
		sort_list(want, sizeof(want));
		sort_list(e[i].where, sizeof(e[i].where));
		if (!e[i].bad && strcmp(want, e[i].where) == 0)
			continue;
		if (failed++ >= MAX_FAIL_SHOWN)
			continue;
		if (strcmp(w, "none") == 0)
			fprintf(stderr, "FAIL %s (%s probe, device %s; %s): "
			    "expected no notice, saw %u: %s\n", e[i].f[F_PROBE],
			    e[i].f[F_KIND], e[i].f[F_DEV], e[i].f[F_WHY],
			    e[i].seen, e[i].saw);
		else
			fprintf(stderr, "FAIL %s (%s probe, device %s; %s): "
			    "expected %s of %s, indicator %s, at %s; saw %u%s%s"
			    "\n", e[i].f[F_PROBE], e[i].f[F_KIND], e[i].f[F_DEV],
			    e[i].f[F_WHY], w, e[i].f[F_APP], e[i].f[F_IND],
			    e[i].f[F_WHERE], e[i].seen, e[i].seen ? ": " : "",
			    e[i].saw);
	}
	if (failed > MAX_FAIL_SHOWN)
		fprintf(stderr, "... and %zu more\n", failed - MAX_FAIL_SHOWN);
	if (!quiet)
		print_figures(e, n, websites);
	if (failed == 0 && stray == 0) {
		printf("   all %zu probes as expected (%zu notices)\n", n,
		    lines);
		rc = 0;
	} else
		fprintf(stderr, "FAIL: ioc coverage: %zu of %zu probes not as "
		    "expected, %zu stray notices\n", failed, n, stray);
out:
	if (fp != NULL)
		fclose(fp);
	free(line);
	for (i = 0; i < n; i++)
		free(e[i].line);
	free(e);
	return rc;
usage:
	fprintf(stderr, "usage: ioccover check [-qw] EXPECT NOTICELOG\n");
	return 2;
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "gen") == 0)
		return cmd_gen(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	fprintf(stderr, "usage: ioccover gen [-d DIR] [-I FILE]... PCAP EXPECT"
	    "\n       ioccover check [-qw] EXPECT NOTICELOG\n");
	return 2;
}

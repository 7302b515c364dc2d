/*
 * intel.h - indicator sets (IOCs): addresses, subnets and domain names,
 * with the readers for every indicator format stalkerware work uses.
 *
 * An intel set is built once from files, then only read.  Addresses: the
 * analyzer matches both ends of each new connection with
 * intel_match_addr(), a longest-prefix match over sorted per-prefix-length
 * arrays (IPv4 stored IPv4-mapped, so one 128-bit search serves both
 * families).  Names: intel_match_domain() looks a DNS query, CNAME
 * target, TLS SNI or HTTP Host up in a hash table of the domain
 * indicators, the name itself and then each parent at a dot boundary, so
 * "thd.cc" covers "a.thd.cc" but never "evilthd.cc".
 *
 * Formats, detected from content (see man/stalkerwatch-iocs.5): plain
 * lists (with `# app:`, `# category:`, `# match:`, `# source:`
 * directives), Zeek Intel framework files (Intel::ADDR, Intel::SUBNET,
 * Intel::DOMAIN; optional meta.app, meta.subdomains, meta.category),
 * hosts files, Echap network.csv, TinyCheck/SpyGuard JSON and MISP event
 * JSON.  A file named shared-platforms* is the list of shared platforms
 * (firebaseio.com, zendesk.com, ...): a domain indicator under one of
 * them matches that exact name only.  A line or item that cannot be read
 * is reported as "file:line: reason".
 */
#ifndef SW_INTEL_H
#define SW_INTEL_H

#include <stddef.h>
#include <stdint.h>

enum intel_type {
	INTEL_ADDR,
	INTEL_SUBNET,
	INTEL_DOMAIN,
	INTEL_OTHER		/* a Zeek Intel type we keep but do not match */
};

/*
 * What a hit means.  A vendor's marketing, billing or support website is
 * visited by people researching the app, survivors included: a visit is
 * not evidence of infection, so it must never be reported as C2.
 */
enum intel_category {
	INTEL_CAT_C2,		/* command and control, upload, distribution */
	INTEL_CAT_WEBSITE	/* vendor website: not evidence of infection */
};

struct intel_item {
	char *indicator;	/* as written (addresses normalised, names
				 * lower-cased without a trailing dot) */
	enum intel_type type;
	char *zeek_type;	/* "Intel::ADDR", ... as in the file */
	char *source;		/* meta.source, else the file's base name */
	char *desc;		/* meta.desc or trailing comment, or NULL */
	char *app;		/* app or family name (mSpy...), or NULL */
	enum intel_category category;
	uint8_t addr[16];	/* ADDR/SUBNET: network, IPv4-mapped */
	uint8_t prefix;		/* ADDR/SUBNET: prefix length over 128 bits */
	uint8_t subdomains;	/* DOMAIN: 1 = the name and every name under
				 * it; 0 = that exact name only */
	uint8_t platform;	/* DOMAIN: lies under a shared platform (exact
				 * only); addresses it resolves to are shared
				 * too and must not become indicators */
};

struct intel;

/* How a load reports bad lines. */
struct intel_load_opts {
	int lenient;		/* skip bad lines instead of failing */
	/* Called once per bad line with "file:line: reason" (may be NULL). */
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;
};

/* An empty set, or NULL on allocation failure.  Free with intel_free(). */
struct intel *intel_new(void);
void intel_free(struct intel *in);

/*
 * Add every indicator of one file.  Returns 0, or -1 with the first
 * problem in errbuf ("file:line: reason", or "file: reason" when the file
 * cannot be read).  A file with bad lines fails as a whole unless
 * opts->lenient; every bad line goes to opts->warn.
 */
int intel_load_file(struct intel *in, const char *path,
    const struct intel_load_opts *opts, char *errbuf, size_t errlen);

/*
 * Load every indicator file of a directory in name order: files ending in
 * .txt, .intel, .dat, .csv or .json and files named "hosts" (or ending
 * in "-hosts", "_hosts", ".hosts"), except those whose name starts with
 * "known-good" (the allowlist) or "README".  A file whose name starts
 * with "shared-platforms" is read as by intel_load_platforms().  Same
 * return convention.
 */
int intel_load_dir(struct intel *in, const char *dir,
    const struct intel_load_opts *opts, char *errbuf, size_t errlen);

/*
 * Load a list of shared platforms: one domain suffix a line (plain list
 * syntax, `#` comments).  At intel_finalize(), a domain indicator lying
 * strictly under one of them becomes exact-only (subdomains = 0,
 * platform = 1), whatever its file said; an indicator that is a platform
 * suffix itself ("zendesk.com") is dropped and counted by
 * intel_count_ignored().  intel_load_file() and intel_load_dir() call
 * this for files named shared-platforms*.  Same return convention.
 */
int intel_load_platforms(struct intel *in, const char *path,
    const struct intel_load_opts *opts, char *errbuf, size_t errlen);

/*
 * Sort and index what was loaded; call once after the last load and
 * before matching (again after further loads).  Returns 0, or -1
 * (errbuf) on allocation failure.  Applies the shared platforms (above).
 * Duplicate indicators keep the first one read, except that a domain
 * listed both as C2 and as a website is kept as the website (upstream
 * lists name some vendor sites, such as www.mspy.com, as C2 too).
 */
int intel_finalize(struct intel *in, char *errbuf, size_t errlen);

/*
 * Longest-prefix match of a 16-byte (IPv4-mapped or IPv6) address over
 * the ADDR and SUBNET indicators; NULL when none covers it.  The item
 * lives as long as the set.  Cost: O(k log n), k distinct prefix lengths.
 */
const struct intel_item *intel_match_addr(const struct intel *in,
    const uint8_t addr[16]);

/*
 * The most specific domain indicator covering `name` (a DNS query, CNAME
 * target, TLS SNI or HTTP Host, any case, one trailing dot allowed), or
 * NULL.  An entry covers its own name, and when its subdomains flag is
 * set every name ending in "." followed by it; the longest covering
 * entry wins, so a C2 host listed under a vendor's website domain is
 * reported as C2.  Never a bare string suffix: "thd.cc" does not cover
 * "evilthd.cc".  Names longer than 253 bytes match nothing.  The item
 * lives as long as the set; check its category before calling it C2.
 * Cost: one pass over the name, then one hash probe per label.
 */
const struct intel_item *intel_match_domain(const struct intel *in,
    const char *name);

/* 1 when s is a domain name an indicator file may hold, else 0. */
int intel_domain_valid(const char *s);

/* Number of indicators of one type. */
size_t intel_count(const struct intel *in, enum intel_type type);

/* Number of indicators of one category (all types). */
size_t intel_count_category(const struct intel *in,
    enum intel_category cat);

/* Number of shared platform suffixes loaded. */
size_t intel_count_platforms(const struct intel *in);

/*
 * Domain indicators dropped by the last intel_finalize() because they
 * name a shared platform itself (matching "firebaseio.com" would flag
 * every app that uses Firebase).
 */
size_t intel_count_ignored(const struct intel *in);

/*
 * Parse an IPv4/IPv6 address or CIDR prefix ("a.b.c.d", "a.b.c.d/n",
 * IPv6 forms) into a 16-byte IPv4-mapped address and a prefix length over
 * 128 bits; host bits below the prefix are cleared (as Zeek does).
 * Returns 0, or -1 with a reason in *why (a static string).
 */
int intel_parse_cidr(const char *s, uint8_t addr[16], uint8_t *prefix,
    int *is_subnet, const char **why);

#endif /* SW_INTEL_H */

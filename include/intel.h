/*
 * intel.h - indicator sets (IOCs): addresses, subnets, and (kept for the
 * name matching that follows) domains and other Zeek Intel types.
 *
 * An intel set is built once from files, then only read: the analyzer
 * matches both ends of each new connection with intel_match_addr(), a
 * longest-prefix match over sorted per-prefix-length arrays (a binary search
 * per distinct prefix length present, longest first; exact addresses are
 * /32 and /128).  IPv4 is stored IPv4-mapped (::ffff:0:0/96), so one
 * 128-bit search serves both families.
 *
 * Formats (detected per file, see man/stalkerwatch-iocs.5):
 *  - plain lists: one IPv4/IPv6 address, CIDR prefix or domain a line;
 *    `#` starts a comment; a comment after an indicator is its description;
 *  - Zeek Intel framework files: a `#fields` header naming at least
 *    `indicator` and `indicator_type` (optionally `meta.source`,
 *    `meta.desc`, ...), TAB-separated rows; types Intel::ADDR,
 *    Intel::SUBNET, Intel::DOMAIN; other Intel:: types are kept, not
 *    rejected.
 * A line that cannot be read is reported as "file:line: reason".
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

struct intel_item {
	char *indicator;	/* as written (addresses normalised) */
	enum intel_type type;
	char *zeek_type;	/* "Intel::ADDR", ... as in the file */
	char *source;		/* meta.source, else the file's base name */
	char *desc;		/* meta.desc or trailing comment, or NULL */
	uint8_t addr[16];	/* ADDR/SUBNET: network, IPv4-mapped */
	uint8_t prefix;		/* ADDR/SUBNET: prefix length over 128 bits */
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
 * .txt, .intel, .dat or .csv, except those whose name starts with
 * "known-good" (the allowlist) or "README".  Same return convention.
 */
int intel_load_dir(struct intel *in, const char *dir,
    const struct intel_load_opts *opts, char *errbuf, size_t errlen);

/*
 * Sort and index what was loaded; call once after the last load and
 * before matching.  Returns 0, or -1 (errbuf) on allocation failure.
 * Duplicate indicators keep the first one read.
 */
int intel_finalize(struct intel *in, char *errbuf, size_t errlen);

/*
 * Longest-prefix match of a 16-byte (IPv4-mapped or IPv6) address over
 * the ADDR and SUBNET indicators; NULL when none covers it.  The item
 * lives as long as the set.  Cost: O(k log n), k distinct prefix lengths.
 */
const struct intel_item *intel_match_addr(const struct intel *in,
    const uint8_t addr[16]);

/* Number of indicators of one type. */
size_t intel_count(const struct intel *in, enum intel_type type);

/*
 * Parse an IPv4/IPv6 address or CIDR prefix ("a.b.c.d", "a.b.c.d/n",
 * IPv6 forms) into a 16-byte IPv4-mapped address and a prefix length over
 * 128 bits; host bits below the prefix are cleared (as Zeek does).
 * Returns 0, or -1 with a reason in *why (a static string).
 */
int intel_parse_cidr(const char *s, uint8_t addr[16], uint8_t *prefix,
    int *is_subnet, const char **why);

#endif /* SW_INTEL_H */

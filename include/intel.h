/*
 * intel.h - the indicator set (IOCs): addresses, subnets and domain names
 * of the stalkerware and watchware apps, each with its app, category and
 * role, and the matches the analyzer asks of it.
 *
 * The set knows nothing of file formats: the loader (intel_load.h) and
 * its readers add items with intel_add(), then intel_finalize() indexes
 * them.  Addresses: intel_match_addr() is a longest-prefix match over
 * sorted per-prefix-length arrays (IPv4 stored IPv4-mapped, so one
 * 128-bit search serves both families).  Names: intel_match_domain()
 * looks a DNS query, CNAME target, TLS SNI or HTTP Host up in a hash
 * table, the name itself and then each parent at a dot boundary, so
 * "thd.cc" covers "a.thd.cc" but never "evilthd.cc".
 *
 * The policy of a name, per role (see stalkerwatch-iocs(5)):
 *  - C2 and distribution names match exactly and, on dot boundaries,
 *    every name under them (unless marked exact, or on a shared
 *    platform);
 *  - a website matches its exact name and its "www." form only;
 *  - at one exact name the website wins, then C2, then distribution;
 *    under a name, C2 wins over distribution; a listed name wins over a
 *    website's derived www. form.  So for a domain listed
 *    both as C2 and as website, the name and its www. form are the
 *    website and every other name under it is C2;
 *  - a name strictly under a shared platform (firebaseio.com...) matches
 *    exactly only; a platform suffix itself is dropped;
 *  - the same indicator in two categories is stalkerware;
 *  - an indicator from a file that does not say its role (hosts files,
 *    TinyCheck, MISP, STIX, Suricata rules, Echap's CSV: role_assumed)
 *    is C2; it gives way to one whose file says (so a hosts list never
 *    turns watchware into stalkerware), and does not make the names
 *    under a listed website C2.
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
 * What a hit means: the role of the indicator for its app.  A vendor's
 * marketing, billing or support website is visited by people researching
 * the app, survivors included: a visit is not evidence of infection, so
 * it must never be reported as C2.  A distribution name is where the app
 * is downloaded: someone fetching it is likely installing it.
 */
enum intel_role {
	INTEL_ROLE_C2,		/* command and control, upload */
	INTEL_ROLE_DISTRIBUTION,	/* where the app is downloaded */
	INTEL_ROLE_WEBSITE	/* vendor website: not evidence of infection */
};
#define INTEL_ROLES	3

/*
 * The kind of app.  Watchware (family locators, parental apps) is
 * usually installed openly: its traffic asks staff to check with the
 * person, it is not by itself a sign of covert monitoring.
 */
enum intel_category {
	INTEL_CAT_STALKERWARE,
	INTEL_CAT_WATCHWARE
};
#define INTEL_CATS	2

struct intel_item {
	char *indicator;	/* as written (addresses normalised, names
				 * lower-cased without a trailing dot) */
	enum intel_type type;
	uint32_t len;		/* strlen(indicator), set by intel_add() */
	char *zeek_type;	/* "Intel::ADDR", ... as in the file */
	char *source;		/* meta.source, else the file's base name */
	char *desc;		/* meta.desc or trailing comment, or NULL */
	char *app;		/* app or family name (mSpy...), or NULL */
	enum intel_role role;
	enum intel_category category;
	uint8_t addr[16];	/* ADDR/SUBNET: network, IPv4-mapped */
	uint8_t prefix;		/* ADDR/SUBNET: prefix length over 128 bits */
	uint16_t port;		/* ADDR/SUBNET: the server port it is limited
				 * to ("17.0.0.0/8 port 5223"), 0 = any */
	uint8_t subdomains;	/* DOMAIN: 1 = the name and every name under
				 * it; 0 = that exact name only */
	uint8_t platform;	/* DOMAIN: lies under a shared platform (exact
				 * only); addresses it resolves to are shared
				 * too and must not become indicators */
	uint8_t role_assumed;	/* the file did not say the role (hosts, CSV,
				 * TinyCheck, MISP, STIX, rules): C2 assumed */
};

struct intel;

/* An empty set, or NULL on allocation failure.  Free with intel_free(). */
struct intel *intel_new(void);
void intel_free(struct intel *in);

/*
 * Add one indicator: a copy of `tmpl` (its strings copied; a NULL source
 * becomes `source`).  Returns 0, or -2 with the reason in why when the
 * set is full (SW_INTEL_MAX_ITEMS) or memory ran out.
 */
int intel_add(struct intel *in, const struct intel_item *tmpl,
    const char *source, char *why, size_t whylen);

/*
 * Add a shared platform suffix (a checked domain name).  At
 * intel_finalize(), a domain indicator lying strictly under one becomes
 * exact-only (subdomains = 0, platform = 1), whatever its file said; an
 * indicator that is a platform suffix itself ("zendesk.com") is dropped
 * and counted by intel_count_ignored().  0, or -2 (why) as intel_add().
 */
int intel_add_platform(struct intel *in, const char *name, char *why,
    size_t whylen);

/* A point to roll a failed file back to. */
struct intel_mark {
	size_t items, platforms;
};
void intel_mark(const struct intel *in, struct intel_mark *m);
void intel_rollback(struct intel *in, const struct intel_mark *m);

/*
 * Sort and index what was loaded; call once after the last load and
 * before matching (again after further loads).  Returns 0, or -1
 * (errbuf) on allocation failure.  Applies the shared platforms (above)
 * and the policy of the header comment.  An indicator listed twice with
 * one role keeps one whose file stated the role over one whose file did
 * not, then stalkerware over watchware, then the first read; an address
 * listed with two roles keeps the stated one, then the stronger (C2,
 * distribution, website).
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
 * The same for a connection to addr on server port `port`: an indicator
 * limited to a port (intel_item.port) covers only connections to it, one
 * without covers every port.  intel_match_addr() is this with no port
 * known: port-limited indicators never match it.  Cost: as above, plus
 * the entries of one network that differ by port.
 */
const struct intel_item *intel_match_addr_port(const struct intel *in,
    const uint8_t addr[16], uint16_t port);

/*
 * The most specific domain indicator covering `name` (a DNS query, CNAME
 * target, TLS SNI or HTTP Host, any case, one trailing dot allowed), or
 * NULL, by the policy of the header comment: the entry for the name
 * itself, else the longest parent that covers the names under it.  Never
 * a bare string suffix: "thd.cc" does not cover "evilthd.cc".  Names
 * longer than 253 bytes match nothing.  The item lives as long as the
 * set; check its role and category before calling it C2.  Cost: one pass
 * over the name, then one hash probe per label.
 */
const struct intel_item *intel_match_domain(const struct intel *in,
    const char *name);

/* Number of indicators of one type. */
size_t intel_count(const struct intel *in, enum intel_type type);

/* Number of indicators of one category and role (all types). */
size_t intel_count_role(const struct intel *in, enum intel_category cat,
    enum intel_role role);

/* Indicators of one category, role and type. */
size_t intel_count_of(const struct intel *in, enum intel_category cat,
    enum intel_role role, enum intel_type type);

/* Distinct apps (by name) with an indicator of this category, as of the
 * last intel_finalize(). */
size_t intel_count_apps(const struct intel *in, enum intel_category cat);

/* Total indicators (all types, categories and roles). */
size_t intel_count_all(const struct intel *in);

/*
 * The i-th indicator (0 <= i < intel_count_all()), in reading order:
 * before intel_finalize() every record as added (platform flags not yet
 * set), after it with duplicates and platform suffixes removed; NULL past
 * the end.  For tests and reports; lives as long as the set.
 */
const struct intel_item *intel_item_at(const struct intel *in, size_t i);

/* Names of a role and category, for messages ("C2", "watchware"...). */
const char *intel_role_name(enum intel_role role);
const char *intel_category_name(enum intel_category cat);

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
 * Returns 0, or -1 with a reason in *why (a static string).  Defined with
 * the record checks (intel_rec.c).
 */
int intel_parse_cidr(const char *s, uint8_t addr[16], uint8_t *prefix,
    int *is_subnet, const char **why);

#endif /* SW_INTEL_H */

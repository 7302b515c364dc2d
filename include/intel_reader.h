/*
 * intel_reader.h - the one internal interface between the indicator
 * loader (intel_load.c) and the readers of each file format.
 *
 * A reader turns the bytes of one document into records (struct
 * intel_rec) and hands each to intel_emit(); it reports a bad line or
 * item with intel_report() ("file:line: reason") and goes on, so the
 * operator sees every problem of a file at once.  The loader owns the
 * file, the messages, lenient mode and the roll-back of a file that
 * fails; the set (intel.h) owns the indicators.  The record checks
 * (intel_rec.c) are shared by every reader, so a name or an address means
 * the same thing in every format.
 *
 * Readers, one file or family each, each the only place that sees its
 * library:
 *   intel_text.c   line formats: plain lists, Zeek Intel, Echap CSV,
 *                  hosts files, and Suricata rules (intel_rules.c)
 *   intel_json.c   TinyCheck/SpyGuard IOCs, MISP events, STIX 2.1
 *                  bundles (cJSON)
 *   intel_yaml.c   Echap ioc.yaml / watchware.yaml (libyaml)
 */
#ifndef SW_INTEL_READER_H
#define SW_INTEL_READER_H

#include "intel.h"

#include <stddef.h>
#include <stdint.h>

/* Longest text of one indicator, with its NUL (a domain is <= 253). */
#define INTEL_REC_TEXT	256

/*
 * One parsed indicator.  The strings point into the reader's buffer (or
 * into `text`) and need live only until intel_emit() returns: the set
 * copies them.  intel_rec_init() gives the defaults: role C2, category
 * stalkerware, subdomains covered.
 */
struct intel_rec {
	enum intel_type type;
	const char *zeek_type;	/* "Intel::DOMAIN", ...; NULL: from type */
	const char *source;	/* NULL: the file's base name */
	const char *desc;	/* NULL: none */
	const char *app;	/* NULL: none */
	enum intel_role role;
	enum intel_category category;
	int subdomains;		/* DOMAIN: cover the names under it */
	int role_assumed;	/* the format does not tell C2 from website */
	char text[INTEL_REC_TEXT];	/* normalised indicator */
	uint8_t addr[16];
	uint8_t prefix;
	uint16_t port; /* ADDR/SUBNET limited to a port, 0: any */
};

/* The state of one load; defined in intel_load.c. */
struct intel_load;

/*
 * Hand one record to the set (or, for a shared-platforms list, its name
 * to the platform suffixes).  Returns 0; -1 with why when the record
 * cannot be taken (a platform that is no name); -2 with why when the set
 * is full or memory ran out: the reader must stop the file.
 */
int intel_emit(struct intel_load *ld, struct intel_rec *r, char *why,
    size_t whylen);

/* Report one bad line or item at `lineno` (1-based). */
void intel_report(struct intel_load *ld, size_t lineno, const char *why);

/* An item a reader skipped on purpose (a rule that names no host, ...):
 * counted for the load summary, not an error. */
void intel_skipped(struct intel_load *ld);

/* 1 when the file is read as a shared-platforms list. */
int intel_load_platforms_mode(const struct intel_load *ld);

/* The file's path (for messages) and its base name. */
const char *intel_load_path(const struct intel_load *ld);

/* Line number (1-based) of byte `at` of buf. */
size_t intel_line_at(const char *buf, const char *at);

/*
 * Document readers.  Each reads the whole buffer (NUL-terminated after
 * len bytes; the data may hold NULs of its own), emitting and reporting
 * as above.  intel_json_read() and intel_yaml_read() return -1 (and report
 * nothing) when the document is of none of their shapes, so the loader
 * can say what it expected; else 0.  The line reader picks its format
 * from the first lines; `platforms` forces a plain list.
 */
int intel_text_read(struct intel_load *ld, char *buf, size_t len);
int intel_json_read(struct intel_load *ld, const char *buf, size_t len);
int intel_yaml_read(struct intel_load *ld, const char *buf, size_t len);

/* Line formats of intel_text_read() defined elsewhere: Suricata rules. */
int intel_rules_sniff(const char *first);
int intel_rules_line(struct intel_load *ld, char *line, char *why,
    size_t whylen);

/* --- record checks (intel_rec.c) --- */

/* Every field of a record zero and its text empty, without clearing the
 * whole text buffer (that memset was 4 % of loading 100,000 indicators). */
void intel_rec_clear(struct intel_rec *r);

/* Defaults of a record (see struct intel_rec). */
void intel_rec_init(struct intel_rec *r);

/*
 * Fill r from a token.  intel_rec_cidr: an address or prefix;
 * intel_rec_domain: a domain name; intel_rec_any: whichever the token
 * looks like (a failure of an address-like token is a bad address).
 * Each sets type and zeek_type and returns 0, or -1 with the reason
 * (quoting the token) in why.
 */
int intel_rec_cidr(struct intel_rec *r, const char *tok, char *why,
    size_t whylen);
int intel_rec_domain(struct intel_rec *r, const char *tok, char *why,
    size_t whylen);
int intel_rec_any(struct intel_rec *r, const char *tok, char *why,
    size_t whylen);

/*
 * A URL where a domain was expected (upstream lists carry a few): kept
 * as Intel::URL, which is not matched, rather than turned into its host:
 * "github.com" must never become an indicator.  Returns 1 when tok is
 * such a URL (r filled), 0 when not, -1 (why) when too long.
 */
int intel_rec_url(struct intel_rec *r, const char *tok, char *why,
    size_t whylen);

/* The host of a URL ("scheme://user@host:port/path") into out; 0 or -1. */
int intel_url_host(const char *url, char *out, size_t outlen);

/*
 * A domain name: lower-cased into out, one trailing dot removed, labels
 * of 1-63 bytes of [a-z0-9-_], 253 bytes at most, the last label not all
 * digits.  Returns 0, or -1 with the reason (unquoted) in why.
 */
int intel_parse_domain(const char *s, size_t len, char out[INTEL_REC_TEXT],
    char *why, size_t whylen);

/* A blank inside a line of an indicator file: space, tab, VT, FF (the
 * line readers get lines without their CR and LF).  Inline: the readers
 * ask it of every byte. */
static inline int
intel_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

/* Does this token look like an address (so a failure is a bad address)? */
int intel_looks_like_addr(const char *tok, size_t len);

/*
 * A role or category word as indicator files write it: "c2", "website",
 * "distribution" set *role; "stalkerware", "watchware" set *cat.  Case
 * does not matter.  Returns 0, or -1 when the word is neither.
 */
int intel_parse_class(const char *v, size_t len, enum intel_role *role,
    enum intel_category *cat);
#define INTEL_CLASS_WORDS \
	"stalkerware, watchware, c2, website or distribution"

/*
 * Quote untrusted text for a one-line message: control and non-ASCII
 * bytes become \xNN, long text is cut with "...", so a hostile file can
 * neither split a log line nor flood it.
 */
void intel_quote(char *out, size_t outlen, const char *s, size_t len);

#endif /* SW_INTEL_READER_H */

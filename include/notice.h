/*
 * notice.h - notices: built once, suppressed per (note, identifier) for
 * suppress_for seconds of network time, written as one JSON line each.
 *
 * The field names are Zeek's notice.log names (ts, uid, id.orig_h, ...,
 * note, msg, sub, src, dst, p, n, suppress_for, actions) so parsers written
 * for Zeek's JSON notice.log work unchanged; ours are added after them:
 * severity, server_name, orig_l2_addr, device (ip, mac, hostname,
 * vendor_class, fqdn: which phone), geo (country, city, asn, as_org of
 * the remote side, with --geoip-db), suppressed, intel, beacon, and for
 * the survivor-risk verdict verdict, apps and evidence.  Unset optional
 * fields are omitted, as Zeek's JSON writer does.
 *
 * Suppression follows Zeek's notice framework: a notice with an identifier
 * is dropped while an earlier notice with the same (note, identifier) is
 * less than suppress_for old (network time); the first notice after the
 * window carries `suppressed`, the count dropped meanwhile.  The table
 * (table.h) is capped at max_entries; when full, the entry renewed
 * longest ago, whose window ends first (all have one length), is replaced
 * (counted in table_evictions).
 */
#ifndef SW_NOTICE_H
#define SW_NOTICE_H

#include <stddef.h>
#include <stdint.h>

/* the records a notice points at: forward declarations, so a writer
 * does not see the detectors' headers */
struct beacon_score;
struct corr_device;
struct device_info;
struct flow;
struct geo_info;
struct intel_item;
struct jbuf;

struct jbuf;
struct logw;

/* Note names (Zeek convention: category::Specific_Name). */
#define NOTE_C2_TRAFFIC		"Spyware::C2_Traffic"
#define NOTE_BEACONING		"Spyware::Suspicious_Beaconing"
#define NOTE_SURVIVOR_RISK	"Spyware::Survivor_Risk"
#define NOTE_VENDOR_WEBSITE	"Spyware::Vendor_Website"
#define NOTE_DISTRIBUTION	"Spyware::Distribution_Site"
#define NOTE_WATCHWARE		"Spyware::Watchware_Traffic"
#define NOTE_UNDER_ATTACK	"Spyware::Sensor_Under_Attack"

struct notice {
	int64_t ts_us;
	const char *note;
	const char *msg;
	const char *sub;		/* may be NULL */
	const char *identifier;		/* suppression key; NULL: never */
	int severity;
	const struct flow *conn;	/* uid, id.*, proto, l2; may be NULL */
	const uint8_t *src;		/* 16 bytes, may be NULL */
	const uint8_t *dst;		/* 16 bytes, may be NULL */
	const char *server_name;	/* may be NULL or "" */
	const struct intel_item *intel;	/* may be NULL */
	const char *intel_where;	/* e.g. "Conn::IN_RESP", may be NULL */
	const struct beacon_score *beacon;	/* may be NULL */
	const struct corr_device *evidence;	/* survivor risk, or NULL */
	const struct device_info *device;	/* the device, or NULL */
	const struct geo_info *geo;		/* the remote side, or NULL */
};

struct notice_ctx;

struct notice_stats {
	uint64_t raised;	/* offered to notice_raise() */
	uint64_t written;
	uint64_t suppressed;
	uint64_t write_errors;
	uint64_t table_evictions;
};

/*
 * suppress_for_s: window in seconds (0 disables suppression, and no table
 * is allocated); max_entries: (note, identifier) pairs remembered (0:
 * SW_SUPPRESS_MAX), all allocated here; seed: the run's hash seed (the
 * table derives its own keys from it).  The sink stays owned by the
 * caller and must outlive the context.
 */
struct notice_ctx *notice_ctx_new(struct logw *sink, uint32_t suppress_for_s,
    uint32_t max_entries, uint64_t seed, char *errbuf, size_t errlen);
void notice_ctx_free(struct notice_ctx *nc);

/*
 * Offer one notice.  Returns 1 when written, 0 when suppressed, -1 when
 * the write failed.  Copies what it needs: the caller's strings may go.
 */
int notice_raise(struct notice_ctx *nc, const struct notice *n);

/* 1 when notice_raise(n) would suppress n now (nothing is changed): a
 * caller's budget is spent only on notices that would be written. */
int notice_would_suppress(const struct notice_ctx *nc, const struct notice *n);

const struct notice_stats *notice_get_stats(const struct notice_ctx *nc);

/* Every notice written also goes to this syslog sender (borrowed; NULL:
 * none). */
struct syslog_out;
void notice_set_syslog(struct notice_ctx *nc, struct syslog_out *s);

/* A connection's uid and id.* fields, in Zeek's order: every log that
 * names a connection (notice, conn, dns, ssl) writes them with this. */
void notice_put_conn_id(struct jbuf *j, const struct flow *f);

/*
 * Format a notice as one JSON line into buf (no newline); `suppressed` is
 * the count to report.  Returns the length, or 0 if it did not fit.
 * Exposed for tests.
 */
size_t notice_format(const struct notice *n, uint32_t suppress_for_s,
    uint64_t suppressed, char *buf, size_t cap);

#endif /* SW_NOTICE_H */

/*
 * records.c - conn.log, dns.log and ssl.log lines (see records.h).
 *
 * The central structure is struct records: the three logs (NULL when not
 * enabled), one line buffer shared by all three (a line is built and
 * handed to its log before the next is begun), and the count of lines
 * not written.  Field names and order are Zeek's.
 */
#include "records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "dns.h"
#include "flow.h"
#include "jbuf.h"
#include "logw.h"
#include "notice.h"
#include "recmeta.h"
#include "tls.h"

struct records {
	struct logw *conn; /* NULL unless enabled */
	struct logw *dns;
	struct logw *ssl;
	uint64_t errors;   /* lines too long (the logs count the lost) */
	time_t flush_wall; /* last flush, wall clock */
	char line[SW_LOG_LINE_MAX];
};

static struct logw *
open_buffered(const char *dir, const char *name, char *errbuf, size_t errlen)
{
	struct logw *w;

	if ((w = logw_open(dir, name, errbuf, errlen)) == NULL)
		return NULL;
	if (logw_set_buffer(w, SW_LOG_BUFFER) != 0) {
		snprintf(errbuf, errlen, "out of memory for %s's buffer", name);
		logw_close(w);
		return NULL;
	}
	return w;
}

struct records *
records_new(const char *logdir, int conn, int dns, int ssl, char *errbuf,
    size_t errlen)
{
	struct records *r;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	if ((conn &&
		(r->conn = open_buffered(logdir, "conn.log", errbuf, errlen)) ==
		    NULL) ||
	    (dns &&
		(r->dns = open_buffered(logdir, "dns.log", errbuf, errlen)) ==
		    NULL) ||
	    (ssl &&
		(r->ssl = open_buffered(logdir, "ssl.log", errbuf, errlen)) ==
		    NULL)) {
		records_free(r);
		return NULL;
	}
	return r;
}

void
records_free(struct records *r)
{
	if (r == NULL)
		return;
	logw_close(r->conn); /* each flushes what it holds */
	logw_close(r->dns);
	logw_close(r->ssl);
	free(r);
}

/* A line that failed to write is the log's to count (logw_lost()). */
static void
put_line(struct records *r, struct logw *w, const struct jbuf *j)
{
	if (j->overflow)
		r->errors++;
	else
		(void)logw_write(w, j->buf, j->len);
}

/* One conn.log line, Zeek's field names and order. */
void
records_conn(struct records *r, const struct flow *f)
{
	struct jbuf j;
	char hist[FLOW_HISTORY_MAX];

	if (r->conn == NULL)
		return;
	jbuf_init(&j, r->line, sizeof(r->line));
	jbuf_open(&j);
	recmeta_path(&j, "conn");
	jbuf_ts(&j, "ts", f->first_us);
	notice_put_conn_id(&j, f);
	jbuf_str(&j, "proto", flow_proto_name(f));
	/* Zeek leaves these unset for a connection of zero duration */
	if (f->last_us > f->first_us) {
		jbuf_interval(&j, "duration", f->last_us - f->first_us);
		jbuf_u64(&j, "orig_bytes", flow_orig_bytes(f));
		jbuf_u64(&j, "resp_bytes", flow_resp_bytes(f));
	}
	jbuf_str(&j, "conn_state", flow_conn_state(f));
	/* Zeek counts the gaps its reassembly could not fill; without
	 * reassembly there are none to count */
	jbuf_u64(&j, "missed_bytes", 0);
	jbuf_strn(&j, "history", hist, flow_history(f, hist));
	jbuf_u64(&j, "orig_pkts", f->orig_pkts);
	jbuf_u64(&j, "orig_ip_bytes", f->orig_ip_bytes);
	jbuf_u64(&j, "resp_pkts", f->resp_pkts);
	jbuf_u64(&j, "resp_ip_bytes", f->resp_ip_bytes);
	if (f->has_orig_l2)
		jbuf_mac(&j, "orig_l2_addr", f->orig_l2);
	if (f->has_resp_l2)
		jbuf_mac(&j, "resp_l2_addr", f->resp_l2);
	if (f->vlan != 0)
		jbuf_u64(&j, "vlan", f->vlan);
	if (f->inner_vlan != 0)
		jbuf_u64(&j, "inner_vlan", f->inner_vlan);
	recmeta_peer(&j);
	jbuf_close(&j);
	put_line(r, r->conn, &j);
}

/* TLS version number as Zeek's ssl.log writes it. */
static const char *
tls_version_name(uint16_t v)
{
	switch (v) {
	case 0x0300:
		return "SSLv3";
	case 0x0301:
		return "TLSv10";
	case 0x0302:
		return "TLSv11";
	case 0x0303:
		return "TLSv12";
	case 0x0304:
		return "TLSv13";
	default:
		return "unknown";
	}
}

/* What the client asked for. */
void
records_ssl(struct records *r, const struct flow *f, int64_t ts_us,
    const struct tls_hello *h)
{
	struct jbuf j;

	if (r->ssl == NULL)
		return;
	jbuf_init(&j, r->line, sizeof(r->line));
	jbuf_open(&j);
	recmeta_path(&j, "ssl");
	jbuf_ts(&j, "ts", ts_us);
	notice_put_conn_id(&j, f);
	jbuf_str(&j, "version", tls_version_name(h->version));
	if (h->has_sni)
		jbuf_str(&j, "server_name", h->sni);
	if (h->alpn[0] != '\0')
		jbuf_str(&j, "client_alpn", h->alpn);
	recmeta_peer(&j);
	jbuf_close(&j);
	put_line(r, r->ssl, &j);
}

void
records_dns(struct records *r, const struct flow *f, int64_t ts_us,
    const struct dns_msg *m)
{
	char name[DNS_NAME_STR_MAX];
	struct jbuf j;
	size_t i;

	if (r->dns == NULL)
		return;
	jbuf_init(&j, r->line, sizeof(r->line));
	jbuf_open(&j);
	recmeta_path(&j, "dns");
	jbuf_ts(&j, "ts", ts_us);
	notice_put_conn_id(&j, f);
	jbuf_str(&j, "proto", flow_proto_name(f));
	jbuf_u64(&j, "trans_id", m->id);
	dns_name_str(&m->qname, name, sizeof(name), 0);
	jbuf_str(&j, "query", name[0] != '\0' ? name : ".");
	jbuf_u64(&j, "qtype", m->qtype);
	jbuf_bool(&j, "is_response", m->qr);
	if (m->qr) {
		jbuf_u64(&j, "rcode", m->rcode);
		jbuf_key_array(&j, "answers");
		for (i = 0; i < m->n_answers; i++) {
			if (m->answers[i].type == DNS_TYPE_CNAME)
				dns_name_str(&m->answers[i].target, name,
				    sizeof(name), 0);
			else
				jbuf_addr_fmt(m->answers[i].addr, name,
				    sizeof(name));
			jbuf_elem_str(&j, name);
		}
		jbuf_array_close(&j);
	}
	recmeta_peer(&j);
	jbuf_close(&j);
	put_line(r, r->dns, &j);
}

void
records_flush(struct records *r, int now)
{
	time_t w = time(NULL);

	if (!now && w == r->flush_wall)
		return;
	r->flush_wall = w;
	if (r->conn != NULL)
		(void)logw_flush(r->conn);
	if (r->dns != NULL)
		(void)logw_flush(r->dns);
	if (r->ssl != NULL)
		(void)logw_flush(r->ssl);
}

void
records_check_rotation(struct records *r)
{
	if (r->conn != NULL)
		logw_check_rotation(r->conn);
	if (r->dns != NULL)
		logw_check_rotation(r->dns);
	if (r->ssl != NULL)
		logw_check_rotation(r->ssl);
}

uint64_t
records_errors(const struct records *r)
{
	return r->errors + (r->conn != NULL ? logw_lost(r->conn) : 0) +
	    (r->dns != NULL ? logw_lost(r->dns) : 0) +
	    (r->ssl != NULL ? logw_lost(r->ssl) : 0);
}

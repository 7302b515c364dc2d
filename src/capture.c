/*
 * capture.c - packet sources and the capture thread.
 *
 * struct capture holds the ordered sources (each a pcap_t, and for files
 * the FILE * under it with our large buffer), the thread that reads them,
 * and counters the analyzer may read at any time (relaxed atomics).  The
 * thread only reads packets and copies them into the ring: it never waits
 * on analysis in live mode (a full ring is a counted drop) and waits in
 * replay mode (a file has no deadline, and a replay must see everything).
 */
#include "capture.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "pcapfile.h"
#include "ring.h"

struct source {
	char *name;
	FILE *fp;	/* replay: our stream under pcap (NULL live) */
	char *fbuf;	/* fp's SW_FILE_BUFFER-byte stdio buffer, or
			 * NULL (pcapfile.c reads the file) */
	pcap_t *pc;
	struct pcapfile *pf; /* our reader over fp's file, or NULL */
	enum pcapfile_kind kind; /* what the probe found (own_kind()) */
	int dlt;
	int is_stdin;
};

struct capture {
	struct source *src;
	int nsrc;
	int live;
	struct ring *ring;
	pthread_t thread;
	int started;
	_Atomic int stop;

	/* written every packet by the capture thread, read now and then by
	 * others: lines of their own, or each packet would move the lines
	 * above (read by the analyzer when it waits) between the cores */
	_Alignas(SW_CACHE_PAIR) _Atomic uint64_t packets;
	_Atomic uint64_t bytes;
	_Atomic uint64_t ring_drops;
	_Atomic uint64_t ring_waits;
	_Atomic uint64_t oversize;
	_Atomic uint64_t bad_ts;
	_Atomic uint64_t kernel_drops;
	_Atomic uint64_t iface_drops;

	_Alignas(SW_CACHE_PAIR) char *errors[SW_CAPTURE_MAX_ERRORS];
	int nerr;

	capture_classify_fn classify; /* may be NULL */
	const void *classify_ctx;
};

/* standard input's replay buffer: see capture_open_files() */
static char stdin_buf[SW_FILE_BUFFER];

static struct capture *
capture_alloc(int n, char *errbuf, size_t errlen)
{
	struct capture *c;

	/* sizeof(*c) is a multiple of its alignment */
	c = aligned_alloc(_Alignof(struct capture), sizeof(*c));
	if (c != NULL)
		memset(c, 0, sizeof(*c));
	if (c == NULL || (c->src = calloc((size_t)n, sizeof(*c->src))) ==
	    NULL) {
		free(c);
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	c->nsrc = n;
	return c;
}

static int
set_filter(pcap_t *pc, const char *name, const char *bpf, char *errbuf,
    size_t errlen)
{
	struct bpf_program prog;

	if (bpf == NULL || bpf[0] == '\0')
		return 0;
	if (pcap_compile(pc, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(errbuf, errlen, "bad BPF filter \"%s\": %s", bpf,
		    pcap_geterr(pc));
		return -1;
	}
	if (pcap_setfilter(pc, &prog) != 0) {
		snprintf(errbuf, errlen, "%s: cannot set BPF filter: %s", name,
		    pcap_geterr(pc));
		pcap_freecode(&prog);
		return -1;
	}
	pcap_freecode(&prog);
	return 0;
}

int
capture_check_filter(const char *bpf, char *errbuf, size_t errlen)
{
	struct bpf_program prog;
	pcap_t *pc;
	int rc = 0;

	if (bpf == NULL || bpf[0] == '\0')
		return 0;
	if ((pc = pcap_open_dead(DLT_EN10MB, SW_SNAPLEN)) == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		return -1;
	}
	if (pcap_compile(pc, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(errbuf, errlen, "bad BPF filter \"%s\": %s", bpf,
		    pcap_geterr(pc));
		rc = -1;
	} else
		pcap_freecode(&prog);
	pcap_close(pc);
	return rc;
}

/*
 * pcapfile.c reads a regular classic pcap file (pcapfile_probe() says
 * which), without a filter, in place of libpcap (pcapfile.h says why):
 * PCAPFILE_OTHER, libpcap reads it.  Asked once per file, before the
 * stdio buffer is chosen.
 */
static enum pcapfile_kind
own_kind(FILE *fp)
{
	uint8_t hdr[PCAPFILE_HDR_LEN];
	struct stat st;
	int fd = fileno(fp);

	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    pread(fd, hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr))
		return PCAPFILE_OTHER;
	return pcapfile_probe(hdr, sizeof(hdr));
}

struct capture *
capture_open_files(const char *const *paths, int n, const char *bpf,
    char *errbuf, size_t errlen)
{
	struct capture *c;
	struct source *s;
	char perr[PCAP_ERRBUF_SIZE];
	int i, seen_stdin = 0;

	if ((c = capture_alloc(n, errbuf, errlen)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		s = &c->src[i];
		s->name = strdup(paths[i]);
		if (s->name == NULL) {
			snprintf(errbuf, errlen, "out of memory");
			goto fail;
		}
		if (strcmp(paths[i], "-") == 0) {
			if (seen_stdin++) {
				snprintf(errbuf, errlen,
				    "standard input (-r -) given twice");
				goto fail;
			}
			s->is_stdin = 1;
			s->fp = stdin;
		} else if ((s->fp = fopen(paths[i], "rb")) == NULL) {
			snprintf(errbuf, errlen, "%s: cannot open: %s",
			    paths[i], strerror(errno));
			goto fail;
		}
		/*
		 * Replay reads in big gulps: see SW_FILE_BUFFER.  The buffer
		 * is ours: glibc ignores the size given with a NULL buffer
		 * and reads 4 KiB at a time.  Standard input keeps it for the
		 * life of the process (pcap_close() leaves stdin open).
		 */
		if (s->is_stdin)
			s->fbuf = stdin_buf;
		else if (bpf != NULL ||
		    (s->kind = own_kind(s->fp)) == PCAPFILE_OTHER) {
			if ((s->fbuf = malloc(SW_FILE_BUFFER)) == NULL) {
				snprintf(errbuf, errlen, "out of memory");
				goto fail;
			}
		}
		/* a file pcapfile.c reads: libpcap reads only its header,
		 * stdio's own small buffer will do */
		if (s->fbuf != NULL)
			setvbuf(s->fp, s->fbuf, _IOFBF, SW_FILE_BUFFER);
		perr[0] = '\0';
		s->pc = pcap_fopen_offline_with_tstamp_precision(s->fp,
		    PCAP_TSTAMP_PRECISION_MICRO, perr);
		if (s->pc == NULL) {
			/* pcap owns nothing yet: we close the stream */
			if (!s->is_stdin)
				fclose(s->fp);
			s->fp = NULL;
			snprintf(errbuf, errlen,
			    "%s: not a readable pcap or pcapng file: %s",
			    paths[i], perr[0] ? perr : "unknown format");
			goto fail;
		}
		s->dlt = pcap_datalink(s->pc);
		if (set_filter(s->pc, s->name, bpf, errbuf, errlen) != 0)
			goto fail;
		/* libpcap has read the header: the link type and the
		 * snapshot are its own */
		if (s->kind != PCAPFILE_OTHER)
			s->pf = pcapfile_open(fileno(s->fp), PCAPFILE_HDR_LEN,
			    s->kind, (uint32_t)pcap_snapshot(s->pc));
	}
	return c;
fail:
	capture_free(c);
	return NULL;
}

struct capture *
capture_open_live(const char *iface, const char *bpf, int snaplen,
    char *errbuf, size_t errlen)
{
	struct capture *c;
	struct source *s;
	char perr[PCAP_ERRBUF_SIZE];
	int rc;

	if ((c = capture_alloc(1, errbuf, errlen)) == NULL)
		return NULL;
	c->live = 1;
	s = &c->src[0];
	if ((s->name = strdup(iface)) == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		goto fail;
	}
	perr[0] = '\0';
	if ((s->pc = pcap_create(iface, perr)) == NULL) {
		snprintf(errbuf, errlen, "%s: cannot capture: %s", iface, perr);
		goto fail;
	}
	pcap_set_snaplen(s->pc, snaplen);
	pcap_set_promisc(s->pc, 1);
	pcap_set_timeout(s->pc, SW_PCAP_TIMEOUT_MS);
	pcap_set_immediate_mode(s->pc, 1);
	pcap_set_buffer_size(s->pc, SW_PCAP_BUFFER);
	pcap_set_tstamp_precision(s->pc, PCAP_TSTAMP_PRECISION_MICRO);
	rc = pcap_activate(s->pc);
	if (rc < 0) {
		snprintf(errbuf, errlen, "%s: cannot capture: %s", iface,
		    rc == PCAP_ERROR_PERM_DENIED ?
		    "permission denied (run as root or with CAP_NET_RAW)" :
		    pcap_geterr(s->pc));
		goto fail;
	}
	s->dlt = pcap_datalink(s->pc);
	if (set_filter(s->pc, s->name, bpf, errbuf, errlen) != 0)
		goto fail;
	return c;
fail:
	capture_free(c);
	return NULL;
}

static void
add_error(struct capture *c, const char *msg)
{
	if (c->nerr >= SW_CAPTURE_MAX_ERRORS)
		return;
	c->errors[c->nerr] = strdup(msg);
	if (c->errors[c->nerr] != NULL)
		c->nerr++;
}

static void
update_kernel_stats(struct capture *c, pcap_t *pc)
{
	struct pcap_stat ps;

	if (pcap_stats(pc, &ps) == 0) {
		atomic_store_explicit(&c->kernel_drops, ps.ps_drop,
		    memory_order_relaxed);
		atomic_store_explicit(&c->iface_drops, ps.ps_ifdrop,
		    memory_order_relaxed);
	}
}

/* Add to a counter only this thread writes (others read it). */
static void
counter_add(_Atomic uint64_t *ctr, uint64_t n)
{
	atomic_store_explicit(ctr,
	    atomic_load_explicit(ctr, memory_order_relaxed) + n,
	    memory_order_relaxed);
}

int
capture_ts_us(int64_t sec, int64_t usec, int64_t *out)
{
	int64_t us;

	if (__builtin_mul_overflow(sec, 1000000, &us) ||
	    __builtin_add_overflow(us, usec, &us) ||
	    us > SW_TS_MAX_S * 1000000 || us < SW_TS_MIN_S * 1000000)
		return -1;
	*out = us;
	return 0;
}

/* Copy one packet in; wait for room in replay, drop in live mode. */
static void
deliver(struct capture *c, int dlt, const struct pcapfile_pkt *pkt,
    int flush_each)
{
	struct ring_rec rec;
	_Alignas(8) unsigned char meta[RING_META_MAX];
	const uint8_t *data = pkt->data;

	/* a stamp past year 9999 is corrupt: skipped, counted */
	if (pkt->ts_us > SW_TS_MAX_S * 1000000 ||
	    pkt->ts_us < SW_TS_MIN_S * 1000000) {
		counter_add(&c->bad_ts, 1);
		return;
	}
	rec.ts_us = pkt->ts_us;
	rec.caplen = pkt->caplen;
	rec.wirelen = pkt->wirelen;
	rec.dlt = dlt;
	if (rec.caplen > ring_max_payload(c->ring)) {
		rec.caplen = (uint32_t)ring_max_payload(c->ring);
		counter_add(&c->oversize, 1);
	}
	/* this thread is the only writer: a relaxed load and store, not a
	 * locked read-modify-write per packet */
	counter_add(&c->packets, 1);
	counter_add(&c->bytes, rec.caplen);
	rec.meta_len = 0;
	if (c->classify != NULL && !c->live)
		rec.meta_len = c->classify(c->classify_ctx, &rec, data, meta);
	while (ring_put(c->ring, &rec, meta, data) != 0) {
		if (c->live) {
			counter_add(&c->ring_drops, 1);
			return;
		}
		counter_add(&c->ring_waits, 1);
		if (atomic_load_explicit(&c->stop, memory_order_relaxed))
			return;
		ring_wait(c->ring);
	}
	/* live, or a pipe: the analyzer sees each packet now, not when a
	 * batch has filled (a quiet pipe might never fill one) */
	if (flush_each)
		ring_flush(c->ring);
}

/* A regular pcap file, read by pcapfile.c (capture_open_files()). */
static void
read_own(struct capture *c, struct source *s)
{
	struct pcapfile_pkt pkt;
	char perr[SW_ERRLEN], msg[SW_ERRLEN + 256];
	uint64_t n = 0;
	int rc;

	while (!atomic_load_explicit(&c->stop, memory_order_relaxed)) {
		rc = pcapfile_next(s->pf, &pkt, perr, sizeof(perr));
		if (rc == 0)
			break;
		if (rc < 0) {
			snprintf(msg, sizeof(msg),
			    "%s: truncated or "
			    "unreadable after packet %llu (the next record "
			    "starts at byte %lld): %s",
			    s->name, (unsigned long long)n,
			    (long long)pcapfile_offset(s->pf), perr);
			add_error(c, msg);
			break;
		}
		n++;
		deliver(c, s->dlt, &pkt, 0);
	}
}

static void
read_source(struct capture *c, uint32_t idx)
{
	struct source *s = &c->src[idx];
	struct pcap_pkthdr *ph;
	struct pcapfile_pkt pkt;
	const u_char *data;
	uint64_t n = 0;
	time_t last_stats = 0, now;
	char msg[512];
	struct stat st;
	int rc, flush_each;

	/* a regular file is read as fast as the analyzer goes; live capture
	 * and a pipe or socket (-r - from tcpdump -w -) deliver what they
	 * have at once */
	flush_each = c->live || s->fp == NULL ||
	    fstat(fileno(s->fp), &st) != 0 || !S_ISREG(st.st_mode);

	if (s->pf != NULL) {
		read_own(c, s);
		return;
	}
	while (!atomic_load_explicit(&c->stop, memory_order_relaxed)) {
		rc = pcap_next_ex(s->pc, &ph, &data);
		if (rc == 1) {
			n++;
			/* out of range: INT64_MAX, counted by deliver() */
			if (capture_ts_us(ph->ts.tv_sec, ph->ts.tv_usec,
				&pkt.ts_us) != 0)
				pkt.ts_us = INT64_MAX;
			pkt.caplen = ph->caplen;
			pkt.wirelen = ph->len;
			pkt.data = data;
			deliver(c, s->dlt, &pkt, flush_each);
		} else if (rc == 0) {
			/* live read timeout: nothing arrived */
		} else if (rc == PCAP_ERROR_BREAK) {
			break;	/* end of file */
		} else {
			if (s->fp != NULL && !s->is_stdin)
				snprintf(msg, sizeof(msg), "%s: truncated or "
				    "unreadable after packet %llu (read to "
				    "byte %ld): %s", s->name, (unsigned long long)n,
				    ftell(s->fp), pcap_geterr(s->pc));
			else
				snprintf(msg, sizeof(msg), "%s: truncated or "
				    "unreadable after packet %llu: %s",
				    s->name, (unsigned long long)n,
				    pcap_geterr(s->pc));
			add_error(c, msg);
			break;
		}
		if (c->live && (now = time(NULL)) != last_stats) {
			last_stats = now;
			update_kernel_stats(c, s->pc);
		}
	}
	if (c->live)
		update_kernel_stats(c, s->pc);
}

static void *
capture_main(void *arg)
{
	struct capture *c = arg;
	sigset_t all;
	int i;

	/* signals are the main thread's business */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	for (i = 0; i < c->nsrc; i++)
		read_source(c, (uint32_t)i);
	ring_close(c->ring);
	return NULL;
}

void
capture_set_classifier(struct capture *c, capture_classify_fn fn,
    const void *ctx)
{
	c->classify = fn;
	c->classify_ctx = ctx;
}

int
capture_start(struct capture *c, struct ring *r, char *errbuf, size_t errlen)
{
	int rc;

	c->ring = r;
	rc = pthread_create(&c->thread, NULL, capture_main, c);
	if (rc != 0) {
		snprintf(errbuf, errlen, "cannot start the capture thread: %s",
		    strerror(rc));
		return -1;
	}
	c->started = 1;
	return 0;
}

void
capture_stop(struct capture *c)
{
	int i;

	atomic_store_explicit(&c->stop, 1, memory_order_relaxed);
	for (i = 0; i < c->nsrc; i++)
		if (c->src[i].pc != NULL && c->live)
			pcap_breakloop(c->src[i].pc);
}

void
capture_join(struct capture *c)
{
	if (c->started) {
		pthread_join(c->thread, NULL);
		c->started = 0;
	}
}

void
capture_get_stats(struct capture *c, struct capture_stats *st)
{
	st->packets = atomic_load_explicit(&c->packets, memory_order_relaxed);
	st->bytes = atomic_load_explicit(&c->bytes, memory_order_relaxed);
	st->ring_drops = atomic_load_explicit(&c->ring_drops,
	    memory_order_relaxed);
	st->ring_waits = atomic_load_explicit(&c->ring_waits,
	    memory_order_relaxed);
	st->oversize = atomic_load_explicit(&c->oversize,
	    memory_order_relaxed);
	st->bad_ts = atomic_load_explicit(&c->bad_ts, memory_order_relaxed);
	st->kernel_drops = atomic_load_explicit(&c->kernel_drops,
	    memory_order_relaxed);
	st->iface_drops = atomic_load_explicit(&c->iface_drops,
	    memory_order_relaxed);
}

int
capture_is_live(const struct capture *c)
{
	return c->live;
}

int
capture_error_count(const struct capture *c)
{
	return c->nerr;
}

const char *
capture_error(const struct capture *c, int i)
{
	return i >= 0 && i < c->nerr ? c->errors[i] : NULL;
}

void
capture_free(struct capture *c)
{
	int i;

	if (c == NULL)
		return;
	if (c->started) {
		capture_stop(c);
		capture_join(c);
	}
	for (i = 0; i < c->nsrc; i++) {
		/* pcap_close() closes the FILE * it was opened over */
		pcapfile_close(c->src[i].pf);
		if (c->src[i].pc != NULL)
			pcap_close(c->src[i].pc);
		else if (c->src[i].fp != NULL && !c->src[i].is_stdin)
			fclose(c->src[i].fp);
		if (!c->src[i].is_stdin)
			free(c->src[i].fbuf);
		free(c->src[i].name);
	}
	free(c->src);
	for (i = 0; i < c->nerr; i++)
		free(c->errors[i]);
	free(c);
}

const char *
capture_dlt_name(int dlt)
{
	const char *n = pcap_datalink_val_to_name(dlt);

	return n != NULL ? n : "unknown";
}

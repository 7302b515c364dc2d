/*
 * pcapgen.h - the project's own capture generator, for tests, the bundled
 * sample and the benchmark.
 *
 * Central structure: struct pcapgen, a writer of classic pcap files
 * (microsecond timestamps, LINKTYPE_ETHERNET, little-endian header) onto a
 * caller's FILE, with its own network clock and a seeded PRNG.  Frames are
 * Ethernet (optionally 802.1Q) + IPv4/IPv6 + TCP/UDP/ICMP with real IP,
 * TCP and UDP checksums (RFC 791, RFC 793, RFC 768, RFC 8200 section 8.1
 * pseudo-header).  Output is a pure function of the seed and the calls
 * made: nothing reads the wall clock, so a scenario regenerates
 * byte-identically.
 *
 * Layers, lowest first:
 *   pcapgen_open/close/frame      - the file and raw frames
 *   pcapgen_udp/icmp_echo          - one datagram
 *   struct pcapgen_tcp + _segment  - one TCP segment with seq/ack kept
 *   pcapgen_tcp_connect/send/close - whole handshakes, MSS-split data with
 *                                    ACKs, teardown, reset, unanswered SYNs
 *   pcapgen_dns_*, pcapgen_tls_*   - real DNS messages and TLS records
 *   pcapgen_scenarios[]            - the named scenarios mkpcap writes
 *
 * Ownership: nothing here allocates except pcapgen_scenario_run's private
 * state (freed before it returns).  struct pcapgen and struct pcapgen_tcp
 * live in the caller's memory.  The FILE passed to pcapgen_open stays the
 * caller's: pcapgen_close flushes it but never closes it.  Buffers that
 * builders fill (DNS, TLS) are the caller's; builders return the length
 * written, or 0 when it would not fit (nothing useful is left in buf then).
 * Errors: functions returning int give 0 or -1; a write error is also
 * sticky in g->err, so a scenario can check once at the end.
 */
#ifndef SW_PCAPGEN_H
#define SW_PCAPGEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Largest frame we build: an Ethernet frame with a VLAN tag and a full
 * 1500-byte IP packet is 1518; leave room for jumbo-sized tests. */
#define PCAPGEN_FRAME_MAX	9018

/* TCP flags (RFC 793, RFC 3168 for the top two). */
#define PCAPGEN_FIN	0x01
#define PCAPGEN_SYN	0x02
#define PCAPGEN_RST	0x04
#define PCAPGEN_PSH	0x08
#define PCAPGEN_ACK	0x10

/* One end of a conversation as the capture point sees it: its IP address
 * and the MAC on the wire for it (for a remote host, the gateway's MAC). */
struct pcapgen_host {
	int family;		/* 4 or 6 */
	uint8_t addr[16];	/* network order; IPv4 uses the first 4 */
	uint8_t mac[6];
};

struct pcapgen {
	FILE *fp;		/* borrowed, see pcapgen_close */
	uint64_t now_us;	/* network time of the next frame, epoch us */
	uint64_t rng;		/* xorshift64* state, never 0 */
	uint16_t ip_id;		/* next IPv4 identification */
	uint16_t vlan;		/* 802.1Q VID for new frames; 0 = untagged */
	uint8_t ttl;		/* hop limit of new packets */
	unsigned long packets;	/* frames written */
	uint64_t bytes;		/* frame bytes written */
	int err;		/* sticky: a write failed */
	uint8_t pool[65536];	/* pseudo-random bytes for opaque payloads */
	size_t pool_off;
	uint8_t buf[PCAPGEN_FRAME_MAX];	/* frame under construction */
};

/* --- file and clock ------------------------------------------------------ */

/* Start a pcap file on fp (writes the 24-byte global header) with the clock
 * at start_us (epoch microseconds) and the PRNG seeded with seed.  Returns
 * 0, or -1 with errno from the write. */
int pcapgen_open(struct pcapgen *g, FILE *fp, uint64_t start_us,
    uint64_t seed);
/* Flush fp (not closed: the caller opened it).  Returns -1 if any write
 * failed since pcapgen_open. */
int pcapgen_close(struct pcapgen *g);
void pcapgen_advance(struct pcapgen *g, uint64_t us);

/* Deterministic PRNG (xorshift64*).  _range is inclusive, lo <= hi. */
uint32_t pcapgen_rand(struct pcapgen *g);
uint32_t pcapgen_rand_range(struct pcapgen *g, uint32_t lo, uint32_t hi);
/* Fill out with len PRNG bytes (opaque payload: ciphertext and the like). */
void pcapgen_rand_bytes(struct pcapgen *g, uint8_t *out, size_t len);

/* --- hosts and checksums ------------------------------------------------- */

/* Fill h from a textual IPv4 or IPv6 address and a MAC "aa:bb:cc:dd:ee:ff".
 * Returns 0 or -1 when either does not parse. */
int pcapgen_host(struct pcapgen_host *h, const char *ip, const char *mac);

/* RFC 1071 Internet checksum of len bytes, seeded with a 32-bit partial sum
 * (0, or a pseudo-header sum from pcapgen_pseudo_sum).  Result is in host
 * order, ready to store big-endian. */
uint16_t pcapgen_cksum(const uint8_t *p, size_t len, uint32_t sum);
/* Partial sum of the IPv4 (RFC 793) or IPv6 (RFC 8200 8.1) pseudo-header. */
uint32_t pcapgen_pseudo_sum(const struct pcapgen_host *src,
    const struct pcapgen_host *dst, uint8_t proto, uint32_t l4len);

/* --- frames and datagrams ------------------------------------------------ */

/* Write one frame of len bytes at the current clock.  Returns 0 or -1. */
int pcapgen_frame(struct pcapgen *g, const uint8_t *frame, size_t len);

/* One UDP datagram; data may be NULL for len opaque bytes. */
int pcapgen_udp(struct pcapgen *g, const struct pcapgen_host *src,
    uint16_t sport, const struct pcapgen_host *dst, uint16_t dport,
    const uint8_t *data, size_t len);

/* ICMP (IPv4) or ICMPv6 echo request (reply = 0) or reply, with len bytes
 * of payload. */
int pcapgen_icmp_echo(struct pcapgen *g, const struct pcapgen_host *src,
    const struct pcapgen_host *dst, int reply, uint16_t id, uint16_t seq,
    size_t len);

/* --- TCP ------------------------------------------------------------------ */

enum pcapgen_dir {
	PCAPGEN_C2S = 0,	/* client (originator) to server */
	PCAPGEN_S2C = 1
};

/* A TCP connection's state as both ends know it: each side's next
 * sequence number.  Every segment acknowledges everything the other side
 * has sent, i.e. no loss. */
struct pcapgen_tcp {
	struct pcapgen_host cli, srv;
	uint16_t cport, sport;
	uint32_t seq[2];	/* next seq sent, indexed by enum pcapgen_dir */
	uint16_t mss;		/* largest payload per segment */
	uint16_t win[2];	/* advertised windows */
	uint32_t rtt_us;	/* round trip; helpers advance time by it */
	int ack_every;		/* receiver ACKs every n-th data segment */
};

/* Set up c (no packet written): random ISNs, MSS 1460 (IPv4) or 1440
 * (IPv6), RTT 30 ms, an ACK every 2 segments (RFC 1122 delayed ACK). */
void pcapgen_tcp_init(struct pcapgen *g, struct pcapgen_tcp *c,
    const struct pcapgen_host *cli, uint16_t cport,
    const struct pcapgen_host *srv, uint16_t sport);

/* One segment from dir with flags and len bytes of data (NULL = opaque).
 * seq is the sender's, ack the peer's next seq when ACK is set; the
 * sender's seq then advances by len (+1 for SYN, +1 for FIN).  SYN
 * segments carry MSS, SACK-permitted and window-scale options.  No time
 * advance. */
int pcapgen_tcp_segment(struct pcapgen *g, struct pcapgen_tcp *c,
    enum pcapgen_dir dir, uint8_t flags, const uint8_t *data, size_t len);

/* Three-way handshake: SYN, SYN-ACK, ACK, an RTT apart in all. */
int pcapgen_tcp_connect(struct pcapgen *g, struct pcapgen_tcp *c);
/* len bytes from dir (data NULL = opaque), split at the MSS, PSH on the
 * last segment, the receiver ACKing per ack_every and after the last;
 * time advances half an RTT each way. */
int pcapgen_tcp_send(struct pcapgen *g, struct pcapgen_tcp *c,
    enum pcapgen_dir dir, const uint8_t *data, size_t len);
/* Orderly close begun by dir: FIN-ACK, FIN-ACK, ACK. */
int pcapgen_tcp_close(struct pcapgen *g, struct pcapgen_tcp *c,
    enum pcapgen_dir dir);
/* Abort from dir: one RST-ACK. */
int pcapgen_tcp_reset(struct pcapgen *g, struct pcapgen_tcp *c,
    enum pcapgen_dir dir);
/* A SYN nobody answers, sent `tries` times with exponential backoff
 * starting at 1 s (RFC 6298): the retransmissions are real ones. */
int pcapgen_tcp_unanswered(struct pcapgen *g, struct pcapgen_tcp *c,
    int tries);

/* --- application messages ------------------------------------------------- */

/* A DNS query (RFC 1035) for name and qtype (1 = A, 28 = AAAA), RD set.
 * Returns the length written into buf, 0 if it does not fit or name is not
 * a valid name. */
size_t pcapgen_dns_query(uint8_t *buf, size_t cap, uint16_t id,
    const char *name, uint16_t qtype);
/* The response to it: the question echoed, then one answer per entry of
 * addrs (naddrs of them, each 4 bytes for A or 16 for AAAA) pointing back
 * at the question name, with ttl.  naddrs 0 gives NXDOMAIN. */
size_t pcapgen_dns_response(uint8_t *buf, size_t cap, uint16_t id,
    const char *name, uint16_t qtype, const uint8_t *addrs, int naddrs,
    uint32_t ttl);
/* Query from cli:random port to srv:53 and the answer an RTT later:
 * name -> addrs (IPv4 when qtype 1, IPv6 when 28). */
int pcapgen_dns_exchange(struct pcapgen *g, const struct pcapgen_host *cli,
    const struct pcapgen_host *srv, const char *name, uint16_t qtype,
    const uint8_t *addrs, int naddrs, uint32_t ttl);

/* A TLS 1.3 ClientHello record (RFC 8446 4.1.2) as browsers send it:
 * record header, handshake header, random, session id, cipher suites,
 * server_name (RFC 6066) for sni (omitted when NULL), supported_groups,
 * signature_algorithms, supported_versions, psk modes, key_share (x25519),
 * ALPN h2/http1.1.  Returns the record length, 0 if it does not fit. */
size_t pcapgen_tls_client_hello(struct pcapgen *g, uint8_t *buf,
    size_t cap, const char *sni);
/* The server's first flight: ServerHello record, ChangeCipherSpec, then
 * opaque application-data records (the encrypted certificate and Finished)
 * totalling about extra bytes.  Returns the length, 0 if it does not fit. */
size_t pcapgen_tls_server_flight(struct pcapgen *g, uint8_t *buf,
    size_t cap, size_t extra);
/* Opaque TLS 1.3 application-data records carrying len bytes of
 * "ciphertext" (split at 16384 + 256 per RFC 8446 5.2).  Returns the
 * length, 0 if it does not fit. */
size_t pcapgen_tls_app_data(struct pcapgen *g, uint8_t *buf, size_t cap,
    size_t len);

/* A whole HTTPS-like session on c: connect, ClientHello (with sni, may be
 * NULL), server flight of about hs_extra bytes, client Finished, then up
 * bytes up and down bytes down as app data, close from the client. */
/* The same up to the client's Finished, the connection left open; then
 * len bytes of application data records in direction dir. */
int pcapgen_tls_open(struct pcapgen *g, struct pcapgen_tcp *c, const char *sni,
    size_t hs_extra);
int pcapgen_tls_data(struct pcapgen *g, struct pcapgen_tcp *c, int dir,
    size_t len);
int pcapgen_https(struct pcapgen *g, struct pcapgen_tcp *c, const char *sni,
    size_t hs_extra, size_t up, size_t down);

/* --- scenarios -------------------------------------------------------------- */

/* Options a scenario may read; zero/NULL means its default. */
struct pcapgen_opts {
	unsigned long count;	/* packets (bench), devices (phones) */
	unsigned long days;	/* capture length in days (phones) */
	const char *ip;		/* indicator address to use */
	uint64_t seed;		/* 0 = the scenario's fixed seed */
};

struct pcapgen_scenario {
	const char *name;
	const char *help;
	int (*run)(struct pcapgen *g, const struct pcapgen_opts *o);
};

/* The table mkpcap offers, ended by a NULL name.  To add a scenario, write
 * its function in pcapgen.c and add a row. */
extern const struct pcapgen_scenario pcapgen_scenarios[];

/* Write scenario `name` to fp.  Returns 0, or -1 with a reason in errbuf
 * (unknown scenario, bad option, write error). */
int pcapgen_scenario_run(const char *name, FILE *fp,
    const struct pcapgen_opts *o, char *errbuf, size_t errlen);

#endif /* SW_PCAPGEN_H */

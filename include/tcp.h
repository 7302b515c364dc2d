/*
 * tcp.h - Zeek's TCP endpoint state machine, for the flow table.
 *
 * Each TCP connection holds two struct tcp_endpoint (originator,
 * responder).  tcp_packet() is Zeek's TCPSessionAdapter::Process without
 * reassembly: endpoint states, sequence and acknowledgement bookkeeping
 * with wraps, history letters, close, reset and attempt rules, and the
 * payload sizes from sequence numbers (TCP_Endpoint::Size); it tells the
 * table which deadline the connection now has.  tcp_conn_state() is
 * Zeek's conn_state of the endpoints.  Only flow.c calls these; the app
 * layer reads an endpoint's SYN and initial sequence number.
 */
#ifndef SW_TCP_H
#define SW_TCP_H

#include <stdint.h>

struct flow;
struct packet;

/* One side of a connection (40 bytes). */
struct tcp_endpoint {
	uint32_t isn;	  /* first sequence number seen */
	uint32_t max_seq; /* highest seq + len seen (wrapping) */
	uint32_t ack_seq; /* highest seq the peer acknowledged */
	uint32_t retrans_n;  /* retransmissions ('T' at 1, 10, 100...) */
	uint32_t zero_win_n; /* zero windows ('W' likewise) */
	/* relative sequence of the last SYN, FIN and RST, low 32 bits: a
	 * repeat is logged again only at a new one */
	uint32_t hist_last_syn, hist_last_fin, hist_last_rst;
	/* 4 GiB wraps of max_seq and ack_seq: 2^48 bytes each way */
	uint16_t seq_wraps, ack_wraps;
	uint8_t state; /* private: enum tcp_state */
	uint8_t prev_state;
	uint8_t fin_cnt;		   /* FINs seen, saturating */
	uint8_t seq_init : 1;		   /* isn valid */
	uint8_t syn : 1, fin : 1, rst : 1; /* flags seen */
	uint8_t did_close : 1;
};

/* The deadline a segment leaves the connection with. */
enum tcp_timer {
	TCP_TIMER_KEEP,	   /* unchanged (a fixed deadline stands) */
	TCP_TIMER_IDLE,	   /* tcp_inactivity_timeout from now */
	TCP_TIMER_ATTEMPT, /* tcp_attempt_delay from now: SYN unanswered */
	TCP_TIMER_CLOSE	   /* tcp_close_delay from the last packet; also
			    * Zeek's tcp_reset_delay (the same 5 s) after a
			    * RST that follows its side's FIN */
};

/*
 * Account one segment of p to f, travelling originator to responder when
 * is_orig.  May flip the roles (a SYN-ACK seen before its SYN): the
 * caller finds the direction again afterwards.
 */
enum tcp_timer tcp_packet(struct flow *f, const struct packet *p, int is_orig);

/* Zeek's IsReuse: p starts a new connection on f's 4-tuple. */
int tcp_is_reuse(const struct flow *f, const struct packet *p);

/* Zeek's payload bytes of one side (TCP_Endpoint::Size): dir 0 the
 * originator's, 1 the responder's. */
uint64_t tcp_payload_bytes(const struct flow *f, int dir);

/* Zeek's conn_state of a TCP connection ("S0", "SF", "REJ", ...). */
const char *tcp_conn_state(const struct flow *f);

#endif /* SW_TCP_H */

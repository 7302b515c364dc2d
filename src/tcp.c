/*
 * tcp.c - Zeek's TCP endpoint state machine (see tcp.h).
 *
 * The code mirrors Zeek's TCPSessionAdapter and TCP_Endpoint (endpoint
 * states, sequence bookkeeping, history letters, close and reuse rules)
 * so that conn_state, history and the byte counts come out as Zeek logs
 * them.  Its state is the two struct tcp_endpoint of a flow; the flow
 * table (flow.c) owns the rest of the flow and turns the deadline
 * tcp_packet() returns into a place on its timeout lists: Zeek's
 * tcp_close_delay after a complete close (both FINs, or a RST), its
 * tcp_reset_delay after a RST that follows the same side's FIN, and its
 * tcp_attempt_delay after an unanswered SYN are fixed deadlines that
 * later packets do not push back.
 */
#include "tcp.h"

#include <string.h>

#include "decode.h"
#include "flow.h"

/* Zeek's TCP endpoint states (analyzer/protocol/tcp/TCP_Endpoint.h). */
enum tcp_state {
	TS_INACTIVE, /* nothing seen from this side */
	TS_SYN_SENT,
	TS_SYN_ACK_SENT, /* SYN-ACK without an initial SYN */
	TS_PARTIAL,	 /* data without a SYN */
	TS_ESTABLISHED,
	TS_CLOSED, /* FIN seen */
	TS_RESET   /* RST seen */
};

/* Which fixed deadline a connection has (flow->close_sched). */
#define TCP_SCHED_NONE	0
#define TCP_SCHED_RESET 1 /* Zeek's ResetTimer: a RST after its side's FIN */
#define TCP_SCHED_CLOSE 2 /* close complete: Zeek's ConnDeleteTimer */

/* Zeek ignores SYN/RST sequence jumps larger than this (1 MiB). */
#define TOO_LARGE_SEQ_DELTA 1048576

/*
 * Letters logged at the 1st, 10th, 100th, ... occurrence ('T', 'W'), and
 * at the count's ceiling, where it stays.
 */
static void
tcp_scaled_history(struct flow *f, int is_orig, char code, uint32_t *count)
{
	uint32_t n;

	if (*count == UINT32_MAX)
		return;
	n = ++*count;
	while (n >= 10 && n % 10 == 0)
		n /= 10;
	if (n == 1 || *count == UINT32_MAX)
		flow_history_add(f, is_orig ? code : (char)(code - 'A' + 'a'));
}

static int32_t
tcp_seq_delta(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b);
}

static void
tcp_set_state(struct tcp_endpoint *d, uint8_t st)
{
	if (st != d->state) {
		d->prev_state = d->state;
		d->state = st;
	}
}

static uint64_t
tcp_rel_seq(const struct tcp_endpoint *d, uint32_t cur, uint32_t last,
    uint32_t wraps, int *underflow)
{
	int32_t delta = tcp_seq_delta(cur, last);

	if (delta < 0) {
		if (wraps && cur > last)
			--wraps;
	} else if (delta > 0) {
		if (cur < last)
			++wraps;
	}
	if (wraps == 0) {
		delta = tcp_seq_delta(cur, d->isn);
		if (underflow != NULL && delta < 0)
			*underflow = 1;
		return (uint64_t)(int64_t)delta;
	}
	return (((uint64_t)wraps << 32) + cur) - d->isn;
}

static void
tcp_update_last(struct tcp_endpoint *d, uint32_t seq)
{
	if (seq < d->max_seq)
		d->seq_wraps++;
	d->max_seq = seq;
}

static void
tcp_update_ack(struct tcp_endpoint *d, uint32_t seq)
{
	if (seq < d->ack_seq)
		d->ack_wraps++;
	d->ack_seq = seq;
}

static void
tcp_init_seq(struct tcp_endpoint *d, uint32_t start, uint32_t last)
{
	d->isn = start;
	d->ack_seq = start;
	d->max_seq = last;
	d->seq_init = 1;
}

static void
tcp_init_endpoint(struct tcp_endpoint *d, uint8_t flags, uint32_t seq,
    uint32_t last)
{
	int syn = (flags & TCPF_SYN) != 0;

	switch (d->state) {
	case TS_INACTIVE:
		/*
		 * Without a SYN, number as though one preceded this packet so
		 * relative sequence numbers stay consistent.
		 */
		if (syn)
			tcp_init_seq(d, seq, last);
		else
			tcp_init_seq(d, seq - 1, seq);
		break;
	case TS_SYN_SENT:
	case TS_SYN_ACK_SENT:
		if (syn && seq != d->isn)
			tcp_init_seq(d, seq, last);
		break;
	case TS_ESTABLISHED:
	case TS_PARTIAL:
		if (syn)
			tcp_init_seq(d, seq, last);
		break;
	case TS_RESET:
		if (syn && d->prev_state == TS_INACTIVE)
			tcp_init_seq(d, seq, last);
		break;
	default:
		break;
	}
}

static int
tcp_no_data_acked(const struct tcp_endpoint *d)
{
	uint64_t ack = ((uint64_t)d->ack_wraps << 32) + d->ack_seq;

	return ack == d->isn || ack == (uint64_t)d->isn + 1;
}

/* Zeek's TCP_Endpoint::Size(): payload bytes from sequence numbers. */
static uint64_t
tcp_size(const struct tcp_endpoint *d, const struct tcp_endpoint *peer)
{
	uint64_t last, ack, size;

	if (d->prev_state == TS_SYN_SENT && d->state == TS_RESET &&
	    peer->state == TS_INACTIVE && !tcp_no_data_acked(d))
		return 0; /* half-open connection found and aborted */
	last = ((uint64_t)d->seq_wraps << 32) + d->max_seq;
	ack = ((uint64_t)d->ack_wraps << 32) + d->ack_seq;
	size = (last > ack ? last : ack) - d->isn;
	if (size != 0)
		--size; /* the SYN (or the assumed one) */
	if (d->fin_cnt > 0 && size != 0)
		--size; /* the FIN */
	return size;
}

uint64_t
tcp_payload_bytes(const struct flow *f, int dir)
{
	return tcp_size(&f->tcp[dir], &f->tcp[!dir]);
}

static void
tcp_history(struct flow *f, int is_orig, struct tcp_endpoint *ep, uint8_t flags,
    uint64_t rel_seq, uint32_t len)
{
	int bits = !!(flags & TCPF_SYN) + !!(flags & TCPF_FIN) +
	    !!(flags & TCPF_RST);
	char code, lc;

	if (bits > 1) {
		if ((flags & TCPF_FIN) && (flags & TCPF_RST))
			flow_history_once(f, is_orig, FLOW_HIST_FIN_RST, 'I');
		else
			flow_history_once(f, is_orig, FLOW_HIST_MULTI, 'Q');
	} else if (bits == 1) {
		/* A repeated SYN/FIN/RST is logged again only at a new seq. */
		if (flags & TCPF_SYN) {
			code = (flags & TCPF_ACK) ? 'H' : 'S';
			lc = is_orig ? code : (char)(code - 'A' + 'a');
			if (flow_history_once(f, is_orig, FLOW_HIST_SYN,
				code) &&
			    (uint32_t)rel_seq != ep->hist_last_syn)
				flow_history_add(f, lc);
			ep->hist_last_syn = (uint32_t)rel_seq;
		}
		if (flags & TCPF_FIN) {
			if (flow_history_once(f, is_orig, FLOW_HIST_FIN, 'F') &&
			    (uint32_t)(rel_seq + len) != ep->hist_last_fin)
				flow_history_add(f, is_orig ? 'F' : 'f');
			ep->hist_last_fin = (uint32_t)(rel_seq + len);
		}
		if (flags & TCPF_RST) {
			if (flow_history_once(f, is_orig, FLOW_HIST_RST, 'R') &&
			    (uint32_t)rel_seq != ep->hist_last_rst)
				flow_history_add(f, is_orig ? 'R' : 'r');
			ep->hist_last_rst = (uint32_t)rel_seq;
		}
	} else {
		if (len)
			flow_history_once(f, is_orig, FLOW_HIST_DATA, 'D');
		else if (flags & TCPF_ACK)
			flow_history_once(f, is_orig, FLOW_HIST_ACK, 'A');
	}
}

/*
 * Zeek's ConnectionClosed without reassembly: a close is complete on a
 * RST, when the peer has closed too, or when the peer never spoke; the
 * entry then gets a fixed deadline (1 returned: it is new).
 */
static int
tcp_closed(struct flow *f, struct tcp_endpoint *ep, struct tcp_endpoint *peer,
    int gen_event)
{
	if (ep->did_close)
		return 0;
	ep->did_close = 1;
	if (ep->state == TS_RESET || peer->did_close ||
	    peer->state == TS_INACTIVE) {
		if (gen_event)
			f->active = 0; /* connection_finished */
		/* Zeek cancels a pending ResetTimer and sets this one */
		if (f->close_sched != TCP_SCHED_CLOSE) {
			f->close_sched = TCP_SCHED_CLOSE;
			f->attempt = 0;
			return 1;
		}
	}
	return 0;
}

/*
 * Zeek's IsReuse: a SYN (or, on a half-open connection, a SYN-ACK) with a
 * new initial sequence number, or any SYN once the connection is over,
 * starts a new connection on the same 4-tuple.
 */
int
tcp_is_reuse(const struct flow *f, const struct packet *p)
{
	const struct tcp_endpoint *conn_orig = &f->tcp[0];

	if (!(p->tcp_flags & TCPF_SYN))
		return 0;
	if (p->tcp_flags & TCPF_ACK) {
		if (f->tcp[0].state != TS_INACTIVE)
			return 0;
		conn_orig = &f->tcp[1];
	}
	if (f->active) {
		if (p->seq == conn_orig->isn)
			return 0;
		if (!(p->tcp_flags & TCPF_ACK) &&
		    conn_orig->state == TS_SYN_ACK_SENT &&
		    f->tcp[1].state == TS_INACTIVE && p->seq == f->tcp[1].isn)
			return 0;
	}
	return 1;
}

static void
tcp_inactive_state(struct flow *f, struct tcp_endpoint **epp,
    struct tcp_endpoint **peerp, int *is_origp, const struct packet *p,
    int *do_close, int *gen_event, int *started_attempt)
{
	struct tcp_endpoint *ep = *epp, *peer = *peerp, *tmp;
	uint8_t flags = p->tcp_flags;
	int is_orig = *is_origp;

	if (flags & TCPF_SYN) {
		if (is_orig) {
			tcp_set_state(ep,
			    (flags & TCPF_ACK) ? TS_SYN_ACK_SENT : TS_SYN_SENT);
			*started_attempt = 1;
		} else {
			if (!(flags & TCPF_ACK) &&
			    peer->state == TS_SYN_ACK_SENT &&
			    p->seq == ep->isn) {
				/*
				 * SYN-ACK seen before its SYN: flip so the
				 * SYN's sender is the originator.  The tcp[]
				 * slots swap, so follow our endpoint.
				 */
				flow_flip(f);
				tmp = ep;
				ep = peer;
				peer = tmp;
				is_orig = 1;
				tcp_set_state(peer, TS_ESTABLISHED);
			}
			if (peer->state == TS_SYN_SENT)
				tcp_set_state(peer, TS_ESTABLISHED);
			tcp_set_state(ep, TS_ESTABLISHED);
		}
	}
	if (flags & TCPF_FIN) {
		tcp_set_state(ep, TS_CLOSED);
		*do_close = *gen_event = 1;
	}
	if (flags & TCPF_RST) {
		int is_reject = 0;

		tcp_set_state(ep, TS_RESET);
		if (is_orig) {
			if (peer->state == TS_ESTABLISHED)
				is_reject = 1;
		} else if (peer->state == TS_SYN_SENT ||
		    peer->state == TS_SYN_ACK_SENT)
			is_reject = 1;
		*do_close = 1;
		*gen_event = !is_reject;
	}
	if (ep->state == TS_INACTIVE) {
		if (!is_orig && p->payload_len == 0 &&
		    f->tcp[0].state == TS_SYN_SENT)
			; /* an early ACK of the SYN: not partial */
		else if ((flags & TCPF_ACK) && peer->state == TS_ESTABLISHED)
			tcp_set_state(ep, TS_ESTABLISHED);
		else
			tcp_set_state(ep, TS_PARTIAL);
	}
	*epp = ep;
	*peerp = peer;
	*is_origp = is_orig;
}

static void
tcp_state_machine(struct flow *f, struct tcp_endpoint **epp,
    struct tcp_endpoint **peerp, int *is_origp, const struct packet *p,
    int *do_close, int *gen_event, int *started_attempt, int *reset_timer)
{
	struct tcp_endpoint *ep = *epp, *peer = *peerp;
	uint8_t flags = p->tcp_flags;

	*do_close = *gen_event = 0;
	switch (ep->state) {
	case TS_INACTIVE:
		tcp_inactive_state(f, epp, peerp, is_origp, p, do_close,
		    gen_event, started_attempt);
		break;
	case TS_SYN_SENT:
	case TS_SYN_ACK_SENT:
		if (flags & TCPF_FIN) {
			tcp_set_state(ep, TS_CLOSED);
			*do_close = *gen_event = 1;
		}
		if (flags & TCPF_RST) {
			tcp_set_state(ep, TS_RESET);
			f->active = 0; /* ConnectionReset */
			*do_close = 1;
		}
		break;
	case TS_ESTABLISHED:
	case TS_PARTIAL:
		if ((flags & TCPF_SYN) && ep->state == TS_PARTIAL &&
		    peer->state == TS_INACTIVE && !(flags & TCPF_ACK))
			tcp_set_state(ep, TS_SYN_SENT);
		if ((flags & TCPF_FIN) && !(flags & TCPF_RST)) {
			tcp_set_state(ep, TS_CLOSED);
			/* FIN then RST from the peer was a normal close. */
			if (peer->state == TS_RESET &&
			    peer->prev_state == TS_CLOSED)
				tcp_set_state(peer, TS_CLOSED);
			*do_close = *gen_event = 1;
		}
		if (flags & TCPF_RST) {
			tcp_set_state(ep, TS_RESET);
			*do_close = 1;
			if (peer->state != TS_RESET ||
			    peer->prev_state != TS_ESTABLISHED)
				f->active = 0;
		}
		break;
	case TS_CLOSED:
		/* After a FIN exchange a RST changes nothing. */
		if ((flags & TCPF_RST) && peer->state != TS_CLOSED) {
			tcp_set_state(ep, TS_RESET);
			if (!ep->did_close)
				*do_close = 1;
			/*
			 * FIN then RST from one side is no complete close,
			 * yet the connection is over: Zeek's ResetTimer ends
			 * it tcp_reset_delay after the RST, not after the
			 * 5-minute idle timeout.
			 */
			*reset_timer = 1;
		}
		break;
	default:
		break;
	}
}

enum tcp_timer
tcp_packet(struct flow *f, const struct packet *p, int is_orig)
{
	struct tcp_endpoint *ep = &f->tcp[is_orig ? 0 : 1];
	struct tcp_endpoint *peer = &f->tcp[is_orig ? 1 : 0];
	uint8_t flags = p->tcp_flags;
	uint32_t len = p->payload_len;
	uint32_t seg_len, seq_end;
	uint64_t rel_seq;
	int32_t delta;
	int underflow = 0, do_close, gen_event, started_attempt = 0;
	int closing = 0, unanswered, reset_timer = 0;

	seg_len = len + !!(flags & TCPF_SYN) + !!(flags & TCPF_FIN);
	if (flags & TCPF_RST)
		seg_len -= len; /* data on a RST is not stream data */
	seq_end = p->seq + seg_len;

	tcp_init_endpoint(ep, flags, p->seq, seq_end);
	rel_seq = tcp_rel_seq(ep, p->seq, ep->max_seq, ep->seq_wraps,
	    &underflow);
	tcp_history(f, is_orig, ep, flags, rel_seq, len);

	/*
	 * Zero windows matter unless they come with or after a RST, or after
	 * the peer's FIN (Zeek's update_window).
	 */
	if (p->win == 0 && !(flags & TCPF_RST) && peer->state != TS_CLOSED &&
	    ep->state != TS_RESET) {
		tcp_scaled_history(f, is_orig, 'W', &ep->zero_win_n);
	}
	/* Once both sides closed, stragglers do not extend the duration. */
	if (!f->tcp[0].did_close || !f->tcp[1].did_close)
		f->last_us = p->ts_us;
	if (flags & TCPF_SYN)
		ep->syn = 1;
	if (flags & TCPF_FIN) {
		ep->fin = 1;
		if (ep->fin_cnt < UINT8_MAX)
			ep->fin_cnt++;
	}
	if (flags & TCPF_RST)
		ep->rst = 1;

	if (flags & TCPF_ACK) {
		if (peer->state == TS_INACTIVE) {
			/* Number the silent peer as though its SYN was seen. */
			tcp_init_seq(peer, p->ack - 1, p->ack - 1);
		} else {
			int ack_uf = 0;

			(void)tcp_rel_seq(peer, p->ack, peer->ack_seq,
			    peer->ack_wraps, &ack_uf);
			/* RST acks are not trusted; nor is an ack of 0 far
			 * ahead (more likely broken than a wrap). */
			if (!ack_uf && !(flags & TCPF_RST)) {
				int32_t da = tcp_seq_delta(p->ack,
				    peer->ack_seq);

				/* a zero ack far ahead: broken, not a wrap */
				if (p->ack == 0 && da > TOO_LARGE_SEQ_DELTA)
					da = 0;
				if (da > 0)
					tcp_update_ack(peer, p->ack);
			}
		}
	}

	/* Zeek's update_last_seq, with retransmission detection. */
	delta = tcp_seq_delta(seq_end, ep->max_seq);
	if ((flags & (TCPF_SYN | TCPF_RST)) &&
	    (delta > TOO_LARGE_SEQ_DELTA || delta < -TOO_LARGE_SEQ_DELTA))
		;
	else if ((flags & TCPF_FIN) && ep->max_seq == ep->isn + 1)
		tcp_update_last(ep, seq_end);
	else if (ep->state == TS_RESET)
		;
	else if (delta > 0)
		tcp_update_last(ep, seq_end);
	else if (len > 0) {
		tcp_scaled_history(f, is_orig, 'T', &ep->retrans_n);
	}

	tcp_state_machine(f, &ep, &peer, &is_orig, p, &do_close, &gen_event,
	    &started_attempt, &reset_timer);
	if (do_close)
		closing = tcp_closed(f, ep, peer, gen_event);
	/* the ResetTimer does nothing once the connection is inactive */
	if (reset_timer && f->close_sched == TCP_SCHED_NONE && f->active) {
		f->close_sched = TCP_SCHED_RESET;
		f->attempt = 0;
		closing = 1;
	}

	/*
	 * Timeout class: a scheduled close keeps its fixed deadline; an
	 * unanswered SYN ends tcp_attempt_delay (= close delay, 5 s in Zeek)
	 * after it was sent; anything else idles out after tcp_timeout.
	 */
	if (f->close_sched)
		return closing ? TCP_TIMER_CLOSE : TCP_TIMER_KEEP;
	unanswered = (f->tcp[0].state == TS_SYN_SENT ||
			 f->tcp[0].state == TS_SYN_ACK_SENT) &&
	    f->tcp[1].state == TS_INACTIVE;
	if (started_attempt && is_orig && !f->attempt && unanswered) {
		f->attempt = 1;
		return TCP_TIMER_ATTEMPT;
	}
	if (f->attempt && unanswered)
		return TCP_TIMER_KEEP;
	f->attempt = 0;
	return TCP_TIMER_IDLE;
}

/* Zeek's RSTOS0 pattern /^\^?S[^HAFGIQ]*R.*$/ on the history. */
static int
tcp_history_rstos0(const char *h)
{
	if (*h == '^')
		h++;
	if (*h++ != 'S')
		return 0;
	for (; *h != '\0'; h++) {
		if (*h == 'R')
			return 1;
		if (strchr("HAFGIQ", *h) != NULL)
			return 0;
	}
	return 0;
}

const char *
tcp_conn_state(const struct flow *f)
{
	char hist[FLOW_HISTORY_MAX];
	uint8_t os = f->tcp[0].state, rs = f->tcp[1].state;
	int o_inactive = os == TS_INACTIVE || os == TS_PARTIAL;
	int r_inactive = rs == TS_INACTIVE || rs == TS_PARTIAL;

	if (rs == TS_RESET) {
		if (os == TS_SYN_SENT || os == TS_SYN_ACK_SENT)
			return "REJ";
		if (os == TS_RESET && tcp_payload_bytes(f, 0) == 0 &&
		    tcp_payload_bytes(f, 1) == 0)
			return "REJ";
		return o_inactive ? "RSTRH" : "RSTR";
	}
	if (os == TS_RESET) {
		if (!r_inactive)
			return "RSTO";
		flow_history(f, hist);
		return tcp_history_rstos0(hist) ? "RSTOS0" : "OTH";
	}
	if (rs == TS_CLOSED && os == TS_CLOSED)
		return "SF";
	if (os == TS_CLOSED)
		return r_inactive ? "SH" : "S2";
	if (rs == TS_CLOSED)
		return o_inactive ? "SHR" : "S3";
	if (os == TS_SYN_SENT && rs == TS_INACTIVE)
		return "S0";
	if (os == TS_ESTABLISHED && rs == TS_ESTABLISHED)
		return "S1";
	return "OTH";
}

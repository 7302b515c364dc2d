/*
 * reasm.h - bounded reassembly of the first bytes of a TCP stream.
 *
 * A pool of fixed-size slots, all allocated at reasm_new(): nothing is
 * allocated per packet.  A slot holds the first slot_bytes bytes of one
 * direction of one connection, placed at (seq - base) where base is the
 * sequence number of the stream's first payload byte (ISN + 1 when the SYN
 * was seen, else the first data segment's seq).  Segments may arrive out of
 * order, overlap or be retransmitted: the slot keeps a short sorted list of
 * received byte ranges, so the in-order prefix is known at once.  Offsets
 * are computed modulo 2^32, so sequence wrap-around needs no special case;
 * a segment "before" base (offset >= 2^31) or past the slot is cut.
 *
 * It exists for TLS ClientHellos that span segments (post-quantum key
 * shares make them ~1.8 KB).  The caller keeps a 4-byte handle (struct
 * reasm_ref: the slot's id, 1..slots, and generation) in its flow entry.
 *
 * Memory: slots * (slot_bytes + ~100 bytes), and a table of the sources
 * holding slots (one entry a slot, ~100 bytes each); the defaults,
 * SW_REASM_SLOTS of SW_REASM_SLOT_BYTES (config.h, with their reasons),
 * cost 8.1 MiB, pages touched only when used.  A slot keeps at most
 * SW_REASM_MAX_RANGES disjoint received ranges; a segment that would
 * need one more is dropped and counted.
 *
 * Slots cannot be held.  Each open slot is on one of two lists, in the
 * order it last received new bytes (a retransmission adds none): slots of
 * connections whose three-way handshake was not seen (a spoofer's
 * one-packet connections), and the others.  When no slot is free, a new
 * stream takes the stalest slot without a handshake, else the stalest
 * slot idle for SW_REASM_IDLE_S seconds or more; the holder finds its
 * slot gone (reasm_held()) and gives up, counted in `reclaimed`.  A slot
 * with a handshake that received new bytes less than SW_REASM_IDLE_S ago
 * is never taken.  One source address holds at most SW_REASM_PER_SOURCE
 * slots; past that its new streams get none (counted in
 * `source_limited`).  When no slot can be had, the caller falls back to
 * parsing the first segment alone, and the miss is counted in
 * `exhausted`.
 *
 * The bound, with the defaults: 512 slots of 16 KiB (8 MiB) in all, 64
 * of them (1 MiB) for one source address.  A slot with a handshake is
 * kept against a new stream for SW_REASM_IDLE_S (5 s) after its last new
 * bytes; its holder (tls.c) feeds it at most SW_TLS_FEED_MAX_SEGS (48)
 * segments, so new bytes at every chance keep it at most 48 x 5 s = 4 min;
 * retransmissions keep it not at all.  To keep the pool from a victim's
 * handshaked connection an attacker must complete (or fake) a handshake
 * and send new bytes on 512 connections every 5 s, from 8 or more
 * addresses; a slot without a handshake is kept from nothing.  Open,
 * release and reclaim are O(1): no call scans the slots.
 */
#ifndef SW_REASM_H
#define SW_REASM_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

/* Limits on reasm_new()'s arguments, not tunables: ids fit the 12 bits
 * of a reasm_ref (0 = none), and slots * bytes stays far from overflow. */
#define REASM_MAX_SLOTS		4095
#define REASM_MAX_BYTES		(1u << 20)
/* A slot's generation: 20 bits, and free slots reused in turn, so that a
 * stale handle meets its generation again only after 2^20 opens of every
 * slot (537 million with the default 512 slots). */
#define REASM_GEN_BITS		20
#define REASM_GEN_MASK		((1u << REASM_GEN_BITS) - 1)

struct reasm;

/*
 * A holder's handle on a slot: its id (1..slots, 0 = none) and the
 * slot's generation when it was handed out.  A slot reclaimed for another
 * stream gets a new generation: the old holder's calls then do nothing.
 */
struct reasm_ref {
	uint16_t id : 12;
	uint16_t gen_hi : REASM_GEN_BITS - 16; /* the generation's top bits */
	uint16_t gen_lo;		       /* and its low 16 */
};

/* A handle's generation (0 .. REASM_GEN_MASK).  Two 16-bit halves keep
 * the handle 2-aligned in 4 bytes: a flow holds two (tls.h). */
static inline uint32_t
reasm_ref_gen(struct reasm_ref ref)
{
	return (uint32_t)ref.gen_hi << 16 | ref.gen_lo;
}

/* Who asks for a slot: the per-source budget and the reclaim order.
 * src is the sender's address, 16 bytes (IPv4-mapped); handshake says
 * the connection's SYN, SYN-ACK and an ACK were seen. */
struct reasm_owner {
	const uint8_t *src;
	uint8_t handshake;
};

struct reasm_stats {
	uint64_t in_use;	/* slots held now */
	uint64_t in_use_max;	/* high-water mark */
	uint64_t opened;	/* slots handed out */
	uint64_t exhausted;	/* reasm_open() found no slot to give */
	/* slots taken from a holder: no handshake, or idle */
	uint64_t reclaimed;
	/* reasm_open() refused: the source held SW_REASM_PER_SOURCE */
	uint64_t source_limited;
	uint64_t overflow;	/* bytes cut because they fell past the slot */
	uint64_t too_many_ranges;	/* segments dropped: range list full */
};

/*
 * Allocate a pool of `slots` slots of `slot_bytes` bytes each (0 means the
 * defaults); seed keys the source table's hash.  Returns NULL and writes
 * the reason into errbuf (SW_ERRLEN bytes) on failure.  The caller frees
 * it with reasm_free() (NULL-safe).
 */
struct reasm *reasm_new(uint32_t slots, uint32_t slot_bytes, uint64_t seed,
    char *errbuf);
void reasm_free(struct reasm *r);

/*
 * Take a slot for a stream whose first payload byte has sequence number
 * base, for owner (NULL: the all-zero address, with a handshake) at
 * network time now_us: a free one, else one reclaimed as above.  Returns
 * its handle, id 0 when none can be had (counted).  O(1).
 */
struct reasm_ref reasm_open(struct reasm *r, uint32_t base,
    const struct reasm_owner *owner, int64_t now_us);

/* 1 while ref still holds its slot (not released, not reclaimed). */
int reasm_held(const struct reasm *r, struct reasm_ref ref);

/*
 * Place len bytes with sequence number seq into slot ref, received at
 * network time now_us.  Bytes outside [base, base + slot_bytes) are cut;
 * bytes already received are kept as first received (a retransmission
 * normally carries the same bytes).  Returns the number of new bytes
 * stored; new bytes make the slot the freshest of its list.
 * O(SW_REASM_MAX_RANGES + len).
 */
size_t reasm_add(struct reasm *r, struct reasm_ref ref, uint32_t seq,
    const uint8_t *data, size_t len, int64_t now_us);

/*
 * The in-order prefix received so far: *ptr (valid until the next call on
 * this slot) and *len (0 when the first byte is still missing).
 */
void reasm_contiguous(const struct reasm *r, struct reasm_ref ref,
    const uint8_t **ptr, size_t *len);

/* Slot capacity, bytes. */
size_t reasm_slot_bytes(const struct reasm *r);

/* Return slot ref to the pool; id 0, a free or a reclaimed slot is
 * ignored.  NULL-safe r. */
void reasm_release(struct reasm *r, struct reasm_ref ref);

const struct reasm_stats *reasm_stats(const struct reasm *r);

#endif /* SW_REASM_H */

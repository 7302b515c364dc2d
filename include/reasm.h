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
 * shares make them ~1.8 KB).  Slot ids are small integers (1..slots) that
 * the caller keeps in its flow entry (uint16_t, 0 = none).
 *
 * Memory: slots * (slot_bytes + ~80 bytes); the defaults, SW_REASM_SLOTS
 * of SW_REASM_SLOT_BYTES (config.h, with their reasons), cost 8 MiB, pages
 * touched only when used.  When the pool is exhausted the caller falls
 * back to parsing the first segment alone, and the miss is counted.  A
 * slot keeps at most SW_REASM_MAX_RANGES disjoint received ranges; a
 * segment that would need one more is dropped and counted.
 */
#ifndef SW_REASM_H
#define SW_REASM_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

/* Limits on reasm_new()'s arguments, not tunables: ids fit a uint16_t
 * (0 = none), and slots * bytes stays far from overflow. */
#define REASM_MAX_SLOTS		65535
#define REASM_MAX_BYTES		(1u << 20)

struct reasm;

struct reasm_stats {
	uint64_t in_use;	/* slots held now */
	uint64_t in_use_max;	/* high-water mark */
	uint64_t opened;	/* slots handed out */
	uint64_t exhausted;	/* reasm_open() found no free slot */
	uint64_t overflow;	/* bytes cut because they fell past the slot */
	uint64_t too_many_ranges;	/* segments dropped: range list full */
};

/*
 * Allocate a pool of `slots` slots of `slot_bytes` bytes each (0 means the
 * defaults).  Returns NULL and writes the reason into errbuf (SW_ERRLEN
 * bytes) on failure.  The caller frees it with reasm_free() (NULL-safe).
 */
struct reasm *reasm_new(uint32_t slots, uint32_t slot_bytes, char *errbuf);
void reasm_free(struct reasm *r);

/*
 * Take a free slot for a stream whose first payload byte has sequence
 * number base.  Returns its id (1..slots), or 0 when the pool is exhausted
 * (counted).  O(1).
 */
uint16_t reasm_open(struct reasm *r, uint32_t base);

/*
 * Place len bytes with sequence number seq into slot id.  Bytes outside
 * [base, base + slot_bytes) are cut; bytes already received are kept as
 * first received (a retransmission normally carries the same bytes).
 * Returns the number of new bytes stored.  O(SW_REASM_MAX_RANGES + len).
 */
size_t reasm_add(struct reasm *r, uint16_t id, uint32_t seq,
    const uint8_t *data, size_t len);

/*
 * The in-order prefix received so far: *ptr (valid until the next call on
 * this slot) and *len (0 when the first byte is still missing).
 */
void reasm_contiguous(const struct reasm *r, uint16_t id,
    const uint8_t **ptr, size_t *len);

/* Slot capacity, bytes. */
size_t reasm_slot_bytes(const struct reasm *r);

/* Return slot id to the pool; id 0 or a free slot is ignored. */
void reasm_release(struct reasm *r, uint16_t id);

const struct reasm_stats *reasm_stats(const struct reasm *r);

#endif /* SW_REASM_H */

/*
 * ring.h - single-producer single-consumer byte ring between the capture
 * thread and the analyzer thread.
 *
 * Records are variable length: a fixed header (struct ring_rec) followed by
 * the captured bytes, padded to 8.  A record never wraps: when it does not
 * fit before the end of the buffer, the producer writes a skip marker and
 * starts at offset 0.  Head and tail are C11 atomics with release/acquire
 * ordering and live on separate cache lines; each side caches the other's
 * index and re-reads it only when it looks full or empty, and publishes
 * its own a batch at a time (SW_RING_BATCH bytes), so the common case
 * costs no shared-cache-line traffic.  No locks.
 *
 * The producer decides what "full" means: live capture drops and counts
 * (it must never wait on analysis); replay waits, because a file has no
 * kernel buffer to overflow and a replay must see every packet.
 */
#ifndef SW_RING_H
#define SW_RING_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* Most bytes of a record's meta area: what the producer's classifier
 * works out from the packet (the analyzer's decoded headers and flow
 * hash), so that the consumer need not.  Records without (live capture)
 * carry none. */
#define RING_META_MAX 128

/*
 * A record: this header, meta_len bytes of meta (a multiple of 8; 0 when
 * the producer classified nothing), then caplen bytes of packet.
 */
struct ring_rec {
	int64_t ts_us;
	uint32_t caplen; /* packet bytes that follow the meta */
	uint32_t wirelen;
	int32_t dlt;
	uint32_t meta_len; /* meta bytes after the header */
};

/* A record's meta area and its packet bytes. */
static inline unsigned char *
ring_rec_meta(const struct ring_rec *rec)
{
	return (unsigned char *)(uintptr_t)(rec + 1);
}

static inline const uint8_t *
ring_rec_data(const struct ring_rec *rec)
{
	return (const uint8_t *)(rec + 1) + rec->meta_len;
}

struct ring;

/* cap_bytes is rounded up to a power of two.  NULL on failure (errbuf). */
struct ring *ring_new(size_t cap_bytes, char *errbuf, size_t errlen);
void ring_free(struct ring *r);

/* Largest caplen a record may carry. */
size_t ring_max_payload(const struct ring *r);

/*
 * Producer: copy one record in: the header, h->meta_len bytes of meta
 * (may be NULL when 0) and h->caplen bytes of data.  Returns 0, or -1
 * when there is no room (nothing written; the caller drops or waits).
 */
int ring_put(struct ring *r, const struct ring_rec *h, const void *meta,
    const uint8_t *data);

/*
 * Consumer: the next record not yet handed out, or NULL when there is
 * none.  Several records may be held at once (the analyzer looks a few
 * packets ahead to prefetch); each stays valid until it, or a later one,
 * is released.  ring_release(r, rec) frees rec and every record before
 * it, so release in the order of peeking.
 */
const struct ring_rec *ring_peek(struct ring *r);
void ring_release(struct ring *r, const struct ring_rec *rec);

/*
 * Producer: make every record put so far visible to the consumer.
 * ring_put() publishes in batches of SW_RING_BATCH bytes (and all it has
 * when the ring is full); a live producer calls this after each packet so
 * that none waits for a batch to fill.
 */
void ring_flush(struct ring *r);

/* Producer: no more records will come (flushes).  Consumer: has the
 * producer ended? */
void ring_close(struct ring *r);
int ring_closed(struct ring *r);

/* Block briefly (the consumer when empty, the producer when full). */
void ring_wait(struct ring *r);

#endif /* SW_RING_H */

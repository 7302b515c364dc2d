/*
 * ring.c - the SPSC byte ring between capture and analyzer threads.
 *
 * struct ring: a power-of-two byte buffer, a producer index `head` and a
 * consumer index `tail`, both free-running byte counts (offset = index &
 * mask).  Records are 8-byte aligned: a struct ring_rec header and its
 * bytes.  A header with caplen == RING_SKIP tells the consumer to jump to
 * the next lap (the producer never splits a record across the end).  Each
 * side keeps a private index ahead of its shared one (wr ahead of head,
 * freed ahead of tail) and publishes a batch of SW_RING_BATCH bytes at
 * once, or all it has when the other side may be waiting: the producer
 * when the ring is full, at ring_flush() and at close, the consumer when
 * it finds the ring empty.
 */
#include "ring.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"

#define RING_SKIP	UINT32_MAX
#define RING_ALIGN	8
#define CACHELINE	SW_CACHE_PAIR

struct ring {
	/* published indices, each on its own cache line: the other side
	 * reads it, so nothing written often may share it */
	_Alignas(CACHELINE) _Atomic size_t head;
	_Alignas(CACHELINE) _Atomic size_t tail;
	/* producer's private line */
	_Alignas(CACHELINE) size_t wr; /* end of the records written, of
				 * which head publishes up to a batch less */
	size_t tail_cache;	       /* producer's last view of tail */
	/* consumer's private line */
	_Alignas(CACHELINE) size_t rd; /* next record to hand out */
	size_t freed;		       /* end of the records released, of which
				 * tail publishes up to a batch less */
	size_t head_cache;	       /* consumer's last view of head */
	/* shared, read-mostly */
	_Alignas(CACHELINE) _Atomic int closed;
	uint8_t *buf;
	size_t cap;
	size_t mask;
	size_t batch; /* bytes published at once (SW_RING_BATCH) */
};

static size_t
rec_size(const struct ring_rec *h)
{
	return (sizeof(struct ring_rec) + h->meta_len + h->caplen + RING_ALIGN -
		   1) &
	    ~(size_t)(RING_ALIGN - 1);
}

struct ring *
ring_new(size_t cap_bytes, char *errbuf, size_t errlen)
{
	struct ring *r;
	size_t cap;

	cap = 4096;
	while (cap < cap_bytes) {
		if (cap > SIZE_MAX / 2) {
			snprintf(errbuf, errlen, "ring size too large");
			return NULL;
		}
		cap <<= 1;
	}
	/* sizeof(*r) is a multiple of CACHELINE: its members are aligned */
	r = aligned_alloc(CACHELINE, sizeof(*r));
	if (r == NULL) {
		snprintf(errbuf, errlen, "out of memory for the ring");
		return NULL;
	}
	memset(r, 0, sizeof(*r));
	r->buf = aligned_alloc(CACHELINE, cap);
	if (r->buf == NULL) {
		free(r);
		snprintf(errbuf, errlen, "out of memory for a %zu-byte ring",
		    cap);
		return NULL;
	}
	r->cap = cap;
	r->mask = cap - 1;
	/* a batch is at most an eighth of the ring, so a full one never
	 * waits on records held back */
	r->batch = SW_RING_BATCH < cap / 8 ? SW_RING_BATCH : cap / 8;
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	atomic_init(&r->closed, 0);
	return r;
}

void
ring_free(struct ring *r)
{
	if (r == NULL)
		return;
	free(r->buf);
	free(r);
}

size_t
ring_max_payload(const struct ring *r)
{
	/* a record may need to skip up to its own size at the end: keep it
	 * at a quarter of the ring so a full lap always has room */
	return r->cap / 4 - sizeof(struct ring_rec) - RING_META_MAX -
	    RING_ALIGN;
}

int
ring_put(struct ring *r, const struct ring_rec *h, const void *meta,
    const uint8_t *data)
{
	size_t head, need, off, to_end, want;
	struct ring_rec skip;

	head = r->wr;
	need = rec_size(h);
	off = head & r->mask;
	to_end = r->cap - off;
	/* room for the record, plus the skip at the end when it would wrap */
	want = need <= to_end ? need : to_end + need;
	if (head + want - r->tail_cache > r->cap) {
		r->tail_cache = atomic_load_explicit(&r->tail,
		    memory_order_acquire);
		if (head + want - r->tail_cache > r->cap) {
			/* full: the consumer must see all there is */
			ring_flush(r);
			return -1;
		}
	}
	if (need > to_end) {
		memset(&skip, 0, sizeof(skip));
		skip.caplen = RING_SKIP;
		/* to_end >= 8 and the header may not fit: write what fits */
		memcpy(r->buf + off, &skip, to_end < sizeof(skip) ?
		    to_end : sizeof(skip));
		head += to_end;
		off = 0;
	}
	memcpy(r->buf + off, h, sizeof(*h));
	if (h->meta_len > 0)
		memcpy(r->buf + off + sizeof(*h), meta, h->meta_len);
	memcpy(r->buf + off + sizeof(*h) + h->meta_len, data, h->caplen);
	r->wr = head + need;
	/* publish a batch at a time: a store per record would move the
	 * head's cache line to the consumer's core and back every packet */
	if (r->wr - atomic_load_explicit(&r->head, memory_order_relaxed) >=
	    r->batch)
		atomic_store_explicit(&r->head, r->wr, memory_order_release);
	return 0;
}

void
ring_flush(struct ring *r)
{
	if (atomic_load_explicit(&r->head, memory_order_relaxed) != r->wr)
		atomic_store_explicit(&r->head, r->wr, memory_order_release);
}

static void
release_publish(struct ring *r)
{
	if (atomic_load_explicit(&r->tail, memory_order_relaxed) != r->freed)
		atomic_store_explicit(&r->tail, r->freed, memory_order_release);
}

/*
 * Ask for the next record's header and meta while this one is worked on:
 * the other core wrote them, so they are in none of this core's caches,
 * and records lie too unevenly apart for the hardware prefetcher to
 * follow.  Without it the header's miss was a tenth of the analyzer's
 * time on the bench capture.
 */
SW_PREFETCH_FN void
prefetch_head(const struct ring *r)
{
	const size_t len = sizeof(struct ring_rec) + RING_META_MAX;
	size_t off = r->rd & r->mask, n;

	/* a record starts 8-aligned: its first len bytes may touch one
	 * line more than len / SW_CACHE_LINE */
	for (n = 0; n < len; n += SW_CACHE_LINE)
		__builtin_prefetch(r->buf + ((off + n) & r->mask));
	__builtin_prefetch(r->buf + ((off + len - 1) & r->mask));
}

const struct ring_rec *
ring_peek(struct ring *r)
{
	size_t off, to_end;
	const struct ring_rec *h;

	for (;;) {
		if (r->rd == r->head_cache) {
			r->head_cache = atomic_load_explicit(&r->head,
			    memory_order_acquire);
			if (r->rd == r->head_cache) {
				/* nothing new: give back all that was
				 * released, so a waiting producer goes on */
				release_publish(r);
				return NULL;
			}
		}
		off = r->rd & r->mask;
		to_end = r->cap - off;
		/* a skip marker, or too little room for any header */
		if (to_end < sizeof(struct ring_rec) ||
		    ((const struct ring_rec *)(const void *)(r->buf +
		    off))->caplen == RING_SKIP) {
			r->rd += to_end;
			continue;
		}
		h = (const struct ring_rec *)(const void *)(r->buf + off);
		r->rd += rec_size(h);
		prefetch_head(r);
		return h;
	}
}

void
ring_release(struct ring *r, const struct ring_rec *rec)
{
	size_t tail, off, end;

	/* the record's end, as a free-running index just past freed */
	tail = r->freed;
	off = (size_t)((const uint8_t *)rec - r->buf);
	end = tail + ((off - (tail & r->mask)) & r->mask) + rec_size(rec);
	r->freed = end;
	/* a batch at a time, as the producer publishes */
	if (end - atomic_load_explicit(&r->tail, memory_order_relaxed) >=
	    r->batch)
		atomic_store_explicit(&r->tail, end, memory_order_release);
}

void
ring_close(struct ring *r)
{
	ring_flush(r);
	atomic_store_explicit(&r->closed, 1, memory_order_release);
}

int
ring_closed(struct ring *r)
{
	return atomic_load_explicit(&r->closed, memory_order_acquire);
}

void
ring_wait(struct ring *r)
{
	struct timespec ts = { 0, SW_RING_WAIT_US * 1000 };

	(void)r;
	nanosleep(&ts, NULL);
}

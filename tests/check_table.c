/*
 * check_table.c - the generic hash table (src/table.c): find, insert and
 * remove, key lengths, values, the cap with and without eviction, LRU
 * order and lists, handles, reuse, many keys, per-table hash keys, stats.
 *
 * Keys are small strings or 4-byte numbers; the seed is fixed.  Each
 * value records the key it was stored under, so a find that returns the
 * wrong entry fails.
 */
#include <check.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "table.h"

Suite *table_suite(void);

struct tval {
	uint64_t id;		/* the key's number */
	uint32_t n;
};

static struct table *
mk(uint32_t max, uint16_t key_max, uint32_t val_size, uint8_t nlists)
{
	struct table_config cfg = { 0 };
	struct table *t;
	char err[SW_ERRLEN];

	cfg.name = "test";
	cfg.max = max;
	cfg.key_max = key_max;
	cfg.val_size = val_size;
	cfg.nlists = nlists;
	cfg.seed = 42;
	t = table_new(&cfg, err);
	ck_assert_msg(t != NULL, "table_new: %s", err);
	return t;
}

static void *
put(struct table *t, const void *k, size_t klen, int evict)
{
	return table_insert(t, k, klen, table_hash(t, k, klen), evict);
}

static void *
get(struct table *t, const void *k, size_t klen)
{
	return table_find(t, k, klen, table_hash(t, k, klen));
}

/* Key i: "k<i>", NUL not included. */
static size_t
skey(char *buf, size_t len, uint32_t i)
{
	return (size_t)snprintf(buf, len, "k%u", i);
}

/* Insert "k<i>" with its number in the value. */
static struct tval *
put_i(struct table *t, uint32_t i, int evict)
{
	char k[16];
	size_t kl = skey(k, sizeof(k), i);
	struct tval *v = put(t, k, kl, evict);

	if (v != NULL)
		v->id = i;
	return v;
}

static struct tval *
get_i(struct table *t, uint32_t i)
{
	char k[16];
	size_t kl = skey(k, sizeof(k), i);

	return get(t, k, kl);
}

START_TEST(insert_find_remove)
{
	struct table *t = mk(8, 16, sizeof(struct tval), 1);
	struct tval *a, *b;
	const char *k;
	size_t kl;

	ck_assert_ptr_null(get(t, "alpha", 5));
	a = put(t, "alpha", 5, 0);
	ck_assert_ptr_nonnull(a);
	a->id = 1;
	b = put(t, "beta", 4, 0);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_ne(a, b);
	b->id = 2;
	ck_assert_ptr_eq(get(t, "alpha", 5), a);
	ck_assert_ptr_eq(get(t, "beta", 4), b);
	/* a prefix, and another key of the same length, are other keys */
	ck_assert_ptr_null(get(t, "alph", 4));
	ck_assert_ptr_null(get(t, "alphb", 5));
	ck_assert_ptr_null(get(t, "gamma", 5));
	k = table_key(t, a, &kl);
	ck_assert_uint_eq(kl, 5);
	ck_assert_mem_eq(k, "alpha", 5);
	ck_assert_ptr_eq(table_key(t, b, NULL), table_key(t, b, &kl));
	ck_assert_uint_eq(kl, 4);
	ck_assert_uint_eq(table_get_stats(t)->entries, 2);
	table_remove(t, a);
	ck_assert_ptr_null(get(t, "alpha", 5));
	ck_assert_ptr_eq(get(t, "beta", 4), b);
	ck_assert_uint_eq(b->id, 2);
	ck_assert_uint_eq(table_get_stats(t)->entries, 1);
	table_remove(t, b);
	ck_assert_ptr_null(get(t, "beta", 4));
	ck_assert_uint_eq(table_get_stats(t)->entries, 0);
	ck_assert_ptr_null(table_oldest(t, 0));
	table_free(t);
}
END_TEST

START_TEST(key_lengths)
{
	/* lengths around the 8-byte words SipHash reads, up to key_max */
	static const size_t lens[] = { 0, 1, 7, 8, 9, 15, 16, 17, 31, 32 };
	const size_t n = sizeof(lens) / sizeof(lens[0]);
	struct table *t = mk(16, 32, sizeof(struct tval), 1);
	uint8_t buf[64];
	struct tval *v[sizeof(lens) / sizeof(lens[0])];
	const uint8_t *k;
	size_t i, kl;

	/* every key a prefix of the next: only the length tells them apart */
	memset(buf, 'x', sizeof(buf));
	for (i = 0; i < n; i++) {
		v[i] = put(t, buf, lens[i], 0);
		ck_assert_ptr_nonnull(v[i]);
		v[i]->id = lens[i];
	}
	for (i = 0; i < n; i++) {
		ck_assert_ptr_eq(get(t, buf, lens[i]), v[i]);
		ck_assert_uint_eq(v[i]->id, lens[i]);
		k = table_key(t, v[i], &kl);
		ck_assert_uint_eq(kl, lens[i]);
		ck_assert_mem_eq(k, buf, kl);
		/* the rest of the key area is zero: strings read back */
		if (kl < 32)
			ck_assert_uint_eq(k[kl], 0);
	}
	ck_assert_ptr_null(get(t, buf, 2));
	/* longer than key_max: refused, and not counted as "full" */
	ck_assert_ptr_null(put(t, buf, 33, 0));
	ck_assert_ptr_null(put(t, buf, 33, 1));
	ck_assert_ptr_null(get(t, buf, 33));
	ck_assert_uint_eq(table_get_stats(t)->entries, n);
	ck_assert_uint_eq(table_get_stats(t)->inserted, n);
	ck_assert_uint_eq(table_get_stats(t)->refused, 0);
	ck_assert_uint_eq(table_get_stats(t)->evicted, 0);
	/* the empty key: removed and found no more, the others stay */
	table_remove(t, v[0]);
	ck_assert_ptr_null(get(t, buf, 0));
	ck_assert_ptr_eq(get(t, buf, 1), v[1]);
	table_free(t);
}
END_TEST

START_TEST(key_max_zero)
{
	/* a table of one key, the empty one: a set of one flag */
	struct table *t = mk(2, 0, sizeof(struct tval), 1);
	struct tval *v;

	v = put(t, "", 0, 0);
	ck_assert_ptr_nonnull(v);
	ck_assert_ptr_eq(get(t, "", 0), v);
	ck_assert_ptr_null(put(t, "a", 1, 0));
	ck_assert_ptr_null(get(t, "a", 1));
	table_free(t);
}
END_TEST

START_TEST(values_zeroed_stable)
{
	/* odd sizes: the value must still be 8-aligned */
	struct table *t = mk(64, 5, 13, 1);
	uint8_t *v[64], zero[13];
	char k[16];
	size_t kl;
	uint32_t i, j;

	memset(zero, 0, sizeof(zero));
	for (i = 0; i < 64; i++) {
		kl = (size_t)snprintf(k, sizeof(k), "%u", i);
		v[i] = put(t, k, kl, 0);
		ck_assert_ptr_nonnull(v[i]);
		ck_assert_uint_eq((uintptr_t)v[i] % 8, 0);
		ck_assert_mem_eq(v[i], zero, sizeof(zero));
		memset(v[i], 0xa5 ^ (int)i, 13);
		/* every earlier pointer still finds its own bytes */
		for (j = 0; j <= i; j++) {
			kl = (size_t)snprintf(k, sizeof(k), "%u", j);
			ck_assert_ptr_eq(get(t, k, kl), v[j]);
			ck_assert_uint_eq(v[j][0], (uint8_t)(0xa5 ^ j));
			ck_assert_uint_eq(v[j][12], (uint8_t)(0xa5 ^ j));
		}
	}
	/* values do not overlap their neighbours or the keys */
	for (i = 0; i < 64; i++) {
		kl = (size_t)snprintf(k, sizeof(k), "%u", i);
		ck_assert_mem_eq(table_key(t, v[i], NULL), k, kl);
	}
	/* a freed entry's value is zeroed when reused */
	table_remove(t, v[10]);
	ck_assert_ptr_eq(put(t, "new", 3, 0), v[10]);
	ck_assert_mem_eq(v[10], zero, sizeof(zero));
	ck_assert_uint_eq(v[11][0], (uint8_t)(0xa5 ^ 11));
	table_free(t);
}
END_TEST

START_TEST(full_refuse)
{
	struct table *t = mk(4, 16, sizeof(struct tval), 1);
	const struct table_stats *st = table_get_stats(t);
	uint32_t i;

	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(table_full(t), 0);
		ck_assert_ptr_nonnull(put_i(t, i, 0));
	}
	ck_assert_int_ne(table_full(t), 0);
	ck_assert_ptr_null(put_i(t, 4, 0));
	ck_assert_ptr_null(put_i(t, 5, 0));
	ck_assert_uint_eq(st->refused, 2);
	ck_assert_uint_eq(st->evicted, 0);
	ck_assert_uint_eq(st->entries, 4);
	ck_assert_uint_eq(st->inserted, 4);
	ck_assert_ptr_null(get_i(t, 4));
	for (i = 0; i < 4; i++) {
		ck_assert_ptr_nonnull(get_i(t, i));
		ck_assert_uint_eq(get_i(t, i)->id, i);
	}
	/* room again once one goes */
	table_remove(t, get_i(t, 2));
	ck_assert_int_eq(table_full(t), 0);
	ck_assert_ptr_nonnull(put_i(t, 4, 0));
	ck_assert_int_ne(table_full(t), 0);
	ck_assert_uint_eq(st->refused, 2);
	table_free(t);
}
END_TEST

START_TEST(full_evict)
{
	struct table *t = mk(4, 16, sizeof(struct tval), 1);
	const struct table_stats *st = table_get_stats(t);
	uint32_t i, j;

	for (i = 0; i < 4; i++)
		ck_assert_ptr_nonnull(put_i(t, i, 1));
	ck_assert_uint_eq(st->evicted, 0);
	/* each new key pushes out the oldest, in insertion order */
	for (i = 4; i < 10; i++) {
		ck_assert_ptr_nonnull(put_i(t, i, 1));
		ck_assert_uint_eq(st->evicted, i - 3);
		ck_assert_uint_eq(st->entries, 4);
		for (j = 0; j <= i; j++) {
			if (j + 4 <= i)
				ck_assert_ptr_null(get_i(t, j));
			else
				ck_assert_uint_eq(get_i(t, j)->id, j);
		}
	}
	ck_assert_uint_eq(st->refused, 0);
	ck_assert_uint_eq(st->inserted, 10);
	ck_assert_uint_eq(st->entries_max, 4);
	table_free(t);
}
END_TEST

START_TEST(touch_order)
{
	struct table *t = mk(4, 16, sizeof(struct tval), 1);
	static const uint32_t gone[] = { 1, 3, 0, 2 };
	uint32_t i;

	for (i = 0; i < 4; i++)
		ck_assert_ptr_nonnull(put_i(t, i, 0));
	/* recency now (oldest first): 1 3 0 2 */
	table_touch(t, get_i(t, 0), 0);
	table_touch(t, get_i(t, 2), 0);
	table_touch(t, get_i(t, 3), 0);
	table_touch(t, get_i(t, 3), 0);	/* the newest already: no change */
	table_touch(t, get_i(t, 0), 0);
	table_touch(t, get_i(t, 2), 0);
	ck_assert_uint_eq(((struct tval *)table_oldest(t, 0))->id, 1);
	for (i = 0; i < 4; i++) {
		ck_assert_ptr_nonnull(get_i(t, gone[i]));
		ck_assert_ptr_nonnull(put_i(t, 10 + i, 1));
		ck_assert_ptr_null(get_i(t, gone[i]));
		ck_assert_uint_eq(table_get_stats(t)->evicted, i + 1);
	}
	/* only the new keys are left, oldest first */
	ck_assert_uint_eq(((struct tval *)table_oldest(t, 0))->id, 10);
	table_free(t);
}
END_TEST

/* The ids of list `list`, oldest first, into ids[]; their number. */
static unsigned
list_ids(struct table *t, unsigned list, uint64_t *ids, unsigned max)
{
	struct tval *v;
	unsigned n = 0;

	for (v = table_oldest(t, list); v != NULL; v = table_newer(t, v)) {
		ck_assert_uint_lt(n, max);
		ids[n++] = v->id;
	}
	return n;
}

START_TEST(lists)
{
	struct table *t = mk(16, 16, sizeof(struct tval), TABLE_LISTS_MAX);
	struct tval *v, *next;
	uint64_t ids[16];
	unsigned l, n;
	uint32_t i;

	for (i = 0; i < 16; i++)
		ck_assert_ptr_nonnull(put_i(t, i, 0));
	/* every new entry is at the recent end of list 0 */
	ck_assert_uint_eq(list_ids(t, 0, ids, 16), 16);
	for (i = 0; i < 16; i++)
		ck_assert_uint_eq(ids[i], i);
	for (l = 1; l < TABLE_LISTS_MAX; l++)
		ck_assert_ptr_null(table_oldest(t, l));
	/* entry i to list i % 4, in descending order: each list's oldest
	 * is its biggest id */
	for (i = 16; i-- > 0;)
		table_touch(t, get_i(t, i), i % TABLE_LISTS_MAX);
	for (l = 0; l < TABLE_LISTS_MAX; l++) {
		n = list_ids(t, l, ids, 16);
		ck_assert_uint_eq(n, 16 / TABLE_LISTS_MAX);
		for (i = 0; i < n; i++)
			ck_assert_uint_eq(ids[i],
			    l + TABLE_LISTS_MAX * (n - 1 - i));
	}
	ck_assert_ptr_null(table_oldest(t, TABLE_LISTS_MAX));
	/* a move between lists: 13 from list 1 to the end of list 2 */
	table_touch(t, get_i(t, 13), 2);
	ck_assert_uint_eq(list_ids(t, 1, ids, 16), 3);
	ck_assert_uint_eq(ids[0], 9);
	ck_assert_uint_eq(list_ids(t, 2, ids, 16), 5);
	ck_assert_uint_eq(ids[4], 13);
	/* removing the entry in hand, the next one fetched first */
	for (v = table_oldest(t, 2); v != NULL; v = next) {
		next = table_newer(t, v);
		table_remove(t, v);
	}
	ck_assert_ptr_null(table_oldest(t, 2));
	ck_assert_uint_eq(table_get_stats(t)->entries, 11);
	ck_assert_ptr_null(get_i(t, 13));
	ck_assert_ptr_null(get_i(t, 6));
	/* every other list is whole, in order */
	ck_assert_uint_eq(list_ids(t, 0, ids, 16), 4);
	ck_assert_uint_eq(ids[0], 12);
	ck_assert_uint_eq(ids[3], 0);
	ck_assert_uint_eq(list_ids(t, 1, ids, 16), 3);
	ck_assert_uint_eq(list_ids(t, 3, ids, 16), 4);
	/* removing every other one while walking, and the newest */
	for (i = 0, v = table_oldest(t, 3); v != NULL; v = next, i++) {
		next = table_newer(t, v);
		if (i % 2 == 0 || next == NULL)
			table_remove(t, v);
	}
	ck_assert_uint_eq(list_ids(t, 3, ids, 16), 1);
	ck_assert_uint_eq(ids[0], 11);
	table_free(t);
}
END_TEST

START_TEST(evict_from_list0_only)
{
	struct table *t = mk(4, 16, sizeof(struct tval), 2);
	uint32_t i;

	for (i = 0; i < 4; i++)
		ck_assert_ptr_nonnull(put_i(t, i, 1));
	/* 0 and 1 move to list 1: eviction takes 2 then 3 from list 0 */
	table_touch(t, get_i(t, 0), 1);
	table_touch(t, get_i(t, 1), 1);
	ck_assert_ptr_nonnull(put_i(t, 4, 1));
	ck_assert_ptr_null(get_i(t, 2));
	ck_assert_ptr_nonnull(put_i(t, 5, 1));
	ck_assert_ptr_null(get_i(t, 3));
	ck_assert_uint_eq(table_get_stats(t)->evicted, 2);
	/* list 0 empty, the pool full: nothing to evict, refused */
	table_touch(t, get_i(t, 4), 1);
	table_touch(t, get_i(t, 5), 1);
	ck_assert_ptr_null(table_oldest(t, 0));
	ck_assert_ptr_null(put_i(t, 6, 1));
	ck_assert_uint_eq(table_get_stats(t)->refused, 1);
	ck_assert_uint_eq(table_get_stats(t)->evicted, 2);
	for (i = 0; i < 6; i++)
		if (i != 2 && i != 3)
			ck_assert_uint_eq(get_i(t, i)->id, i);
	table_free(t);
}
END_TEST

START_TEST(handles)
{
	struct table *t = mk(8, 16, sizeof(struct tval), 1);
	struct tval *v[8];
	uint32_t i, h, seen = 0;

	ck_assert_ptr_null(table_at(t, 0));
	ck_assert_ptr_null(table_at(t, 1));	/* never used yet */
	for (i = 0; i < 8; i++) {
		v[i] = put_i(t, i, 0);
		h = table_index(t, v[i]);
		ck_assert_uint_ge(h, 1);
		ck_assert_uint_le(h, 8);
		ck_assert_uint_eq(seen & (1u << h), 0);
		seen |= 1u << h;
		ck_assert_ptr_eq(table_at(t, h), v[i]);
		ck_assert_ptr_null(table_at(t, i + 2 > 8 ? 9 : i + 2));
	}
	ck_assert_ptr_null(table_at(t, 0));
	ck_assert_ptr_null(table_at(t, 9));
	ck_assert_ptr_null(table_at(t, UINT32_MAX));
	/* a freed entry has no value */
	h = table_index(t, v[3]);
	table_remove(t, v[3]);
	ck_assert_ptr_null(table_at(t, h));
	ck_assert_ptr_eq(table_at(t, table_index(t, v[4])), v[4]);
	table_free(t);
}
END_TEST

START_TEST(reuse)
{
	struct table *t = mk(8, 16, sizeof(struct tval), 1);
	struct tval *v;
	uint32_t i, h3, h5, r;

	for (i = 0; i < 6; i++)
		ck_assert_ptr_nonnull(put_i(t, i, 0));
	h3 = table_index(t, get_i(t, 3));
	h5 = table_index(t, get_i(t, 5));
	table_remove(t, get_i(t, 3));
	table_remove(t, get_i(t, 5));
	/* freed entries first, the last freed first, then fresh ones */
	v = put_i(t, 100, 0);
	ck_assert_uint_eq(table_index(t, v), h5);
	ck_assert_uint_eq(v->n, 0);
	v = put_i(t, 101, 0);
	ck_assert_uint_eq(table_index(t, v), h3);
	ck_assert_ptr_eq(table_at(t, h3), v);
	ck_assert_uint_eq(table_index(t, put_i(t, 102, 0)), 7);
	ck_assert_uint_eq(table_index(t, put_i(t, 103, 0)), 8);
	ck_assert_int_ne(table_full(t), 0);
	/* round after round of churn stays within the pool */
	for (r = 0; r < 1000; r++) {
		v = table_oldest(t, 0);
		i = (uint32_t)v->id;
		h3 = table_index(t, v);
		table_remove(t, v);
		ck_assert_ptr_null(get_i(t, i));
		v = put_i(t, 1000 + r, 0);
		ck_assert_uint_eq(table_index(t, v), h3);
		ck_assert_uint_eq(table_get_stats(t)->entries, 8);
	}
	ck_assert_uint_eq(table_get_stats(t)->inserted, 1010);
	table_free(t);
}
END_TEST

START_TEST(many_keys)
{
	const uint32_t n = 100000;
	struct table *t = mk(n, 4, sizeof(struct tval), 1);
	const struct table_stats *st = table_get_stats(t);
	struct tval *v;
	uint32_t i, k;

	for (i = 0; i < n; i++) {
		v = put(t, &i, sizeof(i), 0);
		ck_assert_ptr_nonnull(v);
		v->id = i;
	}
	ck_assert_int_ne(table_full(t), 0);
	for (i = 0; i < n; i++) {
		v = get(t, &i, sizeof(i));
		ck_assert_ptr_nonnull(v);
		ck_assert_uint_eq(v->id, i);
	}
	k = n;
	ck_assert_ptr_null(put(t, &k, sizeof(k), 0));
	/* churn: every third key out and a new one in, then evict half */
	for (i = 0; i < n; i += 3) {
		table_remove(t, get(t, &i, sizeof(i)));
		k = n + i;
		v = put(t, &k, sizeof(k), 0);
		ck_assert_ptr_nonnull(v);
		v->id = k;
	}
	for (i = 0; i < n / 2; i++) {
		k = 2 * n + i;
		v = put(t, &k, sizeof(k), 1);
		ck_assert_ptr_nonnull(v);
		v->id = k;
	}
	ck_assert_uint_eq(st->evicted, n / 2);
	ck_assert_uint_eq(st->entries, n);
	ck_assert_uint_eq(st->refused, 1);
	/* every value found is its own key's, and n of them are left */
	k = 0;
	for (i = 0; i < 3 * n; i++) {
		v = get(t, &i, sizeof(i));
		if (v == NULL)
			continue;
		ck_assert_uint_eq(v->id, i);
		k++;
	}
	ck_assert_uint_eq(k, n);
	/* the evicted are the oldest: the first n / 2 keys not churned */
	for (i = 0, k = 0; i < n; i++) {
		v = get(t, &i, sizeof(i));
		if (i % 3 == 0)
			ck_assert_ptr_null(v);
		else if (k++ < n / 2)
			ck_assert_ptr_null(v);
		else
			ck_assert_ptr_nonnull(v);
	}
	ck_assert_uint_eq(k, n - (n + 2) / 3);
	for (i = 0; i < n; i += 3) {
		k = n + i;
		ck_assert_ptr_nonnull(get(t, &k, sizeof(k)));
	}
	table_free(t);
}
END_TEST

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Two keys whose hashes share their low 32 bits, so the same bucket and
 * the same tag: only the key bytes tell them apart.  A birthday search
 * over 2^18 keys (about 8 such pairs expected; the seed is fixed, so the
 * same pair every run).
 */
START_TEST(tag_collision)
{
	const uint32_t n = 1u << 18;
	struct table *t = mk(8, 4, sizeof(struct tval), 1);
	uint64_t *h = malloc(n * sizeof(*h));
	uint32_t i, tag, a = 0, b = 0;
	struct tval *va, *vb;
	int found = 0;

	ck_assert_ptr_nonnull(h);
	/* the tag above, the key below */
	for (i = 0; i < n; i++) {
		tag = (uint32_t)table_hash(t, &i, sizeof(i));
		h[i] = (uint64_t)tag << 32 | i;
	}
	qsort(h, n, sizeof(*h), cmp_u64);
	for (i = 1; i < n && !found; i++)
		if (h[i] >> 32 == h[i - 1] >> 32) {
			a = (uint32_t)h[i - 1];
			b = (uint32_t)h[i];
			found = 1;
		}
	free(h);
	ck_assert_int_ne(found, 0);
	ck_assert_uint_ne(a, b);
	ck_assert_uint_eq((uint32_t)table_hash(t, &a, sizeof(a)),
	    (uint32_t)table_hash(t, &b, sizeof(b)));
	va = put(t, &a, sizeof(a), 0);
	ck_assert_ptr_null(get(t, &b, sizeof(b)));
	vb = put(t, &b, sizeof(b), 0);
	ck_assert_ptr_nonnull(va);
	ck_assert_ptr_nonnull(vb);
	ck_assert_ptr_ne(va, vb);
	ck_assert_ptr_eq(get(t, &a, sizeof(a)), va);
	ck_assert_ptr_eq(get(t, &b, sizeof(b)), vb);
	/* out of the middle of the chain, then of its head */
	table_remove(t, va);
	ck_assert_ptr_null(get(t, &a, sizeof(a)));
	ck_assert_ptr_eq(get(t, &b, sizeof(b)), vb);
	va = put(t, &a, sizeof(a), 0);
	table_remove(t, va);
	ck_assert_ptr_eq(get(t, &b, sizeof(b)), vb);
	table_remove(t, vb);
	ck_assert_ptr_null(get(t, &b, sizeof(b)));
	ck_assert_uint_eq(table_get_stats(t)->entries, 0);
	table_free(t);
}
END_TEST

static struct table *
mk_named(const char *name, uint64_t seed)
{
	struct table_config cfg = { 0 };
	char err[SW_ERRLEN];

	cfg.name = name;
	cfg.max = 4;
	cfg.key_max = 16;
	cfg.val_size = 8;
	cfg.seed = seed;
	return table_new(&cfg, err);
}

START_TEST(hash_keys)
{
	struct table *a = mk_named("flows", 7), *a2 = mk_named("flows", 7);
	struct table *b = mk_named("names", 7), *c = mk_named("flows", 8);
	char k[16];
	size_t kl;
	uint32_t i, same_b = 0, same_c = 0;

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(a2);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_nonnull(c);
	for (i = 0; i < 100; i++) {
		kl = skey(k, sizeof(k), i);
		/* the same seed and name: the same hash, run after run */
		ck_assert_uint_eq(table_hash(a, k, kl), table_hash(a2, k, kl));
		same_b += table_hash(a, k, kl) == table_hash(b, k, kl);
		same_c += table_hash(a, k, kl) == table_hash(c, k, kl);
	}
	ck_assert_uint_eq(same_b, 0);
	ck_assert_uint_eq(same_c, 0);
	ck_assert_uint_ne(table_hash(a, "", 0), table_hash(b, "", 0));
	/* and a key's hash depends on every byte and on the length */
	ck_assert_uint_ne(table_hash(a, "abc", 3), table_hash(a, "abd", 3));
	ck_assert_uint_ne(table_hash(a, "abc", 3), table_hash(a, "abc", 2));
	table_free(a);
	table_free(a2);
	table_free(b);
	table_free(c);
}
END_TEST

START_TEST(stats)
{
	struct table *t = mk(8, 16, sizeof(struct tval), 1);
	const struct table_stats *st = table_get_stats(t);
	uint32_t i;

	ck_assert_uint_eq(st->entries, 0);
	ck_assert_uint_eq(st->entries_max, 0);
	for (i = 0; i < 5; i++)
		put_i(t, i, 0);
	for (i = 0; i < 3; i++)
		table_remove(t, get_i(t, i));
	for (i = 10; i < 12; i++)
		put_i(t, i, 0);
	ck_assert_uint_eq(st->entries, 4);
	ck_assert_uint_eq(st->entries_max, 5);
	ck_assert_uint_eq(st->inserted, 7);
	ck_assert_uint_eq(st->evicted, 0);
	ck_assert_uint_eq(st->refused, 0);
	for (i = 20; i < 25; i++)
		put_i(t, i, 0);
	ck_assert_uint_eq(st->entries, 8);
	ck_assert_uint_eq(st->entries_max, 8);
	ck_assert_uint_eq(st->inserted, 11);
	ck_assert_uint_eq(st->refused, 1);
	/* the pool and the buckets, at least one entry's bytes apiece */
	ck_assert_uint_ge(table_mem(t), 9 * (16 + sizeof(struct tval)));
	table_free(t);
}
END_TEST

START_TEST(config_errors)
{
	struct table_config cfg = { 0 };
	struct table *t;
	char err[SW_ERRLEN];

	cfg.name = "bad";
	cfg.key_max = 8;
	cfg.val_size = 8;
	cfg.max = 0;
	ck_assert_ptr_null(table_new(&cfg, err));
	ck_assert_ptr_nonnull(strstr(err, "bad"));
	cfg.max = (1u << 28) + 1;
	err[0] = '\0';
	ck_assert_ptr_null(table_new(&cfg, err));
	ck_assert_ptr_nonnull(strstr(err, "bad"));
	cfg.max = 4;
	cfg.nlists = TABLE_LISTS_MAX + 1;
	err[0] = '\0';
	ck_assert_ptr_null(table_new(&cfg, err));
	ck_assert_ptr_nonnull(strstr(err, "lists"));
	/* nlists 0 is one list */
	cfg.nlists = 0;
	t = table_new(&cfg, err);
	ck_assert_ptr_nonnull(t);
	ck_assert_ptr_nonnull(table_insert(t, "a", 1, table_hash(t, "a", 1),
	    0));
	ck_assert_ptr_nonnull(table_oldest(t, 0));
	ck_assert_ptr_null(table_oldest(t, 1));
	table_free(t);
	table_free(NULL);
}
END_TEST

/* val_zero: a reused entry has the head of its value zeroed, and only
 * that (the tail is the caller's to fill). */
/* The counting filter (table.h): hashes given by hand so that keys share
 * a counter; it must never hide a key present, and must count down. */
START_TEST(filter)
{
	struct table_config cfg = { 0 };
	struct table *t;
	char err[SW_ERRLEN], k[16];
	uint64_t h;
	uint32_t i;
	size_t kl, m0;

	cfg.name = "test";
	cfg.max = 512;
	cfg.key_max = 16;
	cfg.val_size = sizeof(struct tval);
	cfg.seed = 42;
	t = table_new(&cfg, err);
	ck_assert_ptr_nonnull(t);
	m0 = table_mem(t);
	table_free(t);
	cfg.filter = 8;
	t = table_new(&cfg, err);
	ck_assert_msg(t != NULL, "%s", err);
	ck_assert_uint_eq(table_mem(t), m0 + 512 * 8);

	/* 300 keys on one counter: it sticks at 255, and each key that
	 * is left is found as the others go */
	for (i = 0; i < 300; i++) {
		kl = skey(k, sizeof(k), i);
		h = (uint64_t)0x12345678 << 32 | i;
		ck_assert_ptr_nonnull(table_insert(t, k, kl, h, 0));
	}
	for (i = 0; i < 300; i++) {
		kl = skey(k, sizeof(k), i);
		h = (uint64_t)0x12345678 << 32 | i;
		ck_assert_ptr_nonnull(table_find(t, k, kl, h));
		if (i != 7)
			table_remove(t, table_find(t, k, kl, h));
	}
	kl = skey(k, sizeof(k), 7);
	ck_assert_ptr_nonnull(table_find(t, k, kl,
	    (uint64_t)0x12345678 << 32 | 7));

	/* 200 keys on another: counted down to the last, then to 0 */
	for (i = 1000; i < 1200; i++) {
		kl = skey(k, sizeof(k), i);
		ck_assert_ptr_nonnull(table_insert(t, k, kl,
		    (uint64_t)0x9abc << 32 | i, 0));
	}
	for (i = 1000; i < 1199; i++) {
		kl = skey(k, sizeof(k), i);
		table_remove(t,
		    table_find(t, k, kl, (uint64_t)0x9abc << 32 | i));
	}
	kl = skey(k, sizeof(k), 1199);
	h = (uint64_t)0x9abc << 32 | 1199;
	ck_assert_ptr_nonnull(table_find(t, k, kl, h));
	table_remove(t, table_find(t, k, kl, h));
	ck_assert_ptr_null(table_find(t, k, kl, h));
	ck_assert_ptr_nonnull(table_insert(t, k, kl, h, 0));
	ck_assert_ptr_nonnull(table_find(t, k, kl, h));
	table_free(t);

	/* a filter too big to index is refused, named */
	cfg.max = 1u << 28;
	cfg.filter = 128;
	ck_assert_ptr_null(table_new(&cfg, err));
	ck_assert_ptr_nonnull(strstr(err, "test: a filter of"));
}
END_TEST

START_TEST(test_val_zero)
{
	struct table_config cfg = { 0 };
	char err[SW_ERRLEN];
	struct table *t;
	uint8_t *v;
	size_t i;

	cfg.name = "zero";
	cfg.max = 1;
	cfg.key_max = 4;
	cfg.val_size = 64;
	cfg.val_zero = 8;
	t = table_new(&cfg, err);
	ck_assert_ptr_nonnull(t);
	v = table_insert(t, "a", 1, table_hash(t, "a", 1), 0);
	ck_assert_ptr_nonnull(v);
	memset(v, 0xee, 64);
	table_remove(t, v);
	v = table_insert(t, "b", 1, table_hash(t, "b", 1), 0);
	ck_assert_ptr_nonnull(v);
	for (i = 0; i < 8; i++)
		ck_assert_uint_eq(v[i], 0);
	/* the tail was left alone: not zeroed on insert */
	ck_assert_uint_eq(v[8], 0xee);
	ck_assert_ptr_nonnull(table_find(t, "b", 1, table_hash(t, "b", 1)));
	table_free(t);
}
END_TEST

Suite *
table_suite(void)
{
	Suite *s = suite_create("table");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, test_val_zero);
	tcase_add_test(tc, filter);
	tcase_add_test(tc, insert_find_remove);
	tcase_add_test(tc, key_lengths);
	tcase_add_test(tc, key_max_zero);
	tcase_add_test(tc, values_zeroed_stable);
	tcase_add_test(tc, full_refuse);
	tcase_add_test(tc, full_evict);
	tcase_add_test(tc, touch_order);
	tcase_add_test(tc, lists);
	tcase_add_test(tc, evict_from_list0_only);
	tcase_add_test(tc, handles);
	tcase_add_test(tc, reuse);
	tcase_add_test(tc, many_keys);
	tcase_add_test(tc, tag_collision);
	tcase_add_test(tc, hash_keys);
	tcase_add_test(tc, stats);
	tcase_add_test(tc, config_errors);
	suite_add_tcase(s, tc);
	return s;
}

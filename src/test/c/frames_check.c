/*
 * Properties of the frame reader, checked on any byte string:
 *
 * 1. It agrees with reference(), a direct reading of the format over the whole buffer: the
 *    same stdout and stderr bytes, the same end (EXIT code, error kind, or none), at the same
 *    offset, and the same answer to "did the stream stop inside a frame".
 * 2. The answer does not depend on how the bytes are split into reads (whole, one byte at a
 *    time, and pieces of pseudo-random sizes).
 * 3. Every DATA piece lies inside the buffer it was read from, is not empty, is stdout or
 *    stderr, and says rightly whether it starts and ends its frame; no call uses more bytes
 *    than it was given; an end is reported again and again.
 *
 * Output counts whole frames only, pieces being held until their frame's last one, which is
 * what the client writes.
 *
 * A violation aborts, which the fuzzer reports as a crash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frames_check.h"

#define CHECK(cond) do {							\
	if (!(cond)) {								\
		(void)fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #cond);						\
		abort();							\
	}									\
} while (0)

static void	 begin(struct outcome *, size_t);
static void	 same(const struct outcome *, const struct outcome *);
static uint32_t	 get32(const unsigned char *);
static int	 known(int);

void
outcome_free(struct outcome *o)
{
	free(o->out);
	free(o->err);
	o->out = o->err = NULL;
}

static void
begin(struct outcome *o, size_t len)
{
	o->out = malloc(len + 1);
	o->err = malloc(len + 1);
	CHECK(o->out != NULL && o->err != NULL);
	o->outlen = o->errlen = 0;
	o->end = FRAME_NONE;
	o->type = 0;
	o->value = 0;
	o->used = 0;
	o->midway = 0;
}

/* The format read straight from the whole buffer, the way FrameCodec.read and Relay see it. */
void
reference(const unsigned char *buf, size_t len, struct outcome *o)
{
	size_t		 at = 0;
	uint32_t	 flen;
	int		 type;

	begin(o, len);
	while (len - at >= FRAME_HEADER) {
		type = buf[at];
		flen = get32(buf + at + 1);
		o->type = type;
		if (flen > FRAME_MAX) {
			o->end = FRAME_BAD_LENGTH;
			o->value = (int32_t)flen;
			o->used = at + FRAME_HEADER;
			return;
		}
		if (!known(type)) {
			o->end = FRAME_BAD_TYPE;
			o->used = at + FRAME_HEADER;
			return;
		}
		if (type != FRAME_STDOUT && type != FRAME_STDERR &&
		    !(type == FRAME_EXIT && flen == 4) && flen == 0) {
			o->end = type == FRAME_EXIT ? FRAME_BAD_EXIT : FRAME_UNEXPECTED;
			o->used = at + FRAME_HEADER;
			return;
		}
		if (len - at - FRAME_HEADER < flen) {
			/* Incomplete: what arrived of it is never written, as in the Java shim. */
			o->midway = 1;
			o->used = len;
			return;
		}
		at += FRAME_HEADER;
		if (type == FRAME_STDOUT) {
			memcpy(o->out + o->outlen, buf + at, flen);
			o->outlen += flen;
		} else if (type == FRAME_STDERR) {
			memcpy(o->err + o->errlen, buf + at, flen);
			o->errlen += flen;
		} else if (type == FRAME_EXIT && flen == 4) {
			o->end = FRAME_EXIT_CODE;
			o->value = (int32_t)get32(buf + at);
			o->used = at + 4;
			return;
		} else {
			o->end = type == FRAME_EXIT ? FRAME_BAD_EXIT : FRAME_UNEXPECTED;
			o->value = (int32_t)flen;
			o->used = at + flen;
			return;
		}
		at += flen;
	}
	o->midway = at < len;
	o->used = len;
}

/*
 * The buffer through frame_read, as the client reads a socket: in pieces of 1 + (prng % 17)
 * bytes, one byte at a time for seed 1, whole for seed 0.
 */
void
replay(const unsigned char *buf, size_t len, uint32_t seed, struct outcome *o)
{
	struct frame_reader	 fr;
	struct frame_event	 ev;
	unsigned char		*pending;
	size_t			 at = 0, piece, off, n, held = 0;
	uint32_t		 prng = seed;
	int			 type = 0;

	begin(o, len);
	pending = malloc(len + 1);
	CHECK(pending != NULL);
	frame_init(&fr);
	while (at < len && o->end == FRAME_NONE) {
		if (seed == 0)
			piece = len;
		else if (seed == 1)
			piece = 1;
		else {
			prng = prng * 1103515245u + 12345u;
			piece = 1 + (prng >> 16) % 17;
		}
		if (piece > len - at)
			piece = len - at;
		for (off = 0; off < piece && o->end == FRAME_NONE;) {
			n = frame_read(&fr, buf + at + off, piece - off, &ev);
			CHECK(n <= piece - off);
			switch (ev.kind) {
			case FRAME_NONE:
				CHECK(off + n == piece);
				break;
			case FRAME_DATA:
				CHECK(ev.len > 0);
				CHECK(ev.data >= buf + at + off && ev.data + ev.len <= buf + at + off + n);
				CHECK(ev.type == FRAME_STDOUT || ev.type == FRAME_STDERR);
				CHECK(ev.first == (held == 0));
				CHECK(held + ev.len <= ev.whole);
				CHECK(ev.last == (held + ev.len == ev.whole));
				CHECK(ev.first || ev.type == type);
				type = ev.type;
				memcpy(pending + held, ev.data, ev.len);
				held += ev.len;
				if (!ev.last)
					break;
				if (ev.type == FRAME_STDOUT) {
					memcpy(o->out + o->outlen, pending, held);
					o->outlen += held;
				} else {
					memcpy(o->err + o->errlen, pending, held);
					o->errlen += held;
				}
				held = 0;
				break;
			default:
				o->end = ev.kind;
				o->type = ev.type;
				o->value = ev.value;
				o->used = at + off + n;
				CHECK(!frame_midway(&fr));
				/* An end is final: nothing more is used, the same is reported. */
				n = frame_read(&fr, buf, len, &ev);
				CHECK(n == 0 && ev.kind == o->end && ev.value == o->value);
				break;
			}
			off += n;
			CHECK(n > 0 || o->end != FRAME_NONE || piece == off);
		}
		at += piece;
	}
	if (o->end == FRAME_NONE) {
		o->used = len;
		o->midway = frame_midway(&fr);
		CHECK(held == 0 || o->midway);
	}
	free(pending);
}

static void
same(const struct outcome *a, const struct outcome *b)
{
	CHECK(a->end == b->end);
	CHECK(a->used == b->used);
	CHECK(a->midway == b->midway);
	CHECK(a->outlen == b->outlen && memcmp(a->out, b->out, a->outlen) == 0);
	CHECK(a->errlen == b->errlen && memcmp(a->err, b->err, a->errlen) == 0);
	if (a->end != FRAME_NONE) {
		CHECK(a->type == b->type);
		CHECK(a->value == b->value);
	}
}

void
frames_check(const unsigned char *buf, size_t len)
{
	struct outcome	ref, got;
	uint32_t	seed, seeds[] = { 0, 1, 2, 0x9e3779b9u };
	size_t		i;

	reference(buf, len, &ref);
	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		seed = seeds[i];
		if (seed > 1 && len > 0)
			seed ^= buf[0] | (uint32_t)buf[len - 1] << 8;
		replay(buf, len, seed, &got);
		same(&ref, &got);
		outcome_free(&got);
	}
	outcome_free(&ref);
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static int
known(int type)
{
	return (type >= FRAME_JOB && type <= FRAME_STATUS) ||
	    (type >= FRAME_STDOUT && type <= FRAME_STATUS_REPLY);
}

/*
 * Frame reader and writer helpers for the shim/daemon protocol; see frames.h.
 *
 * The reader hands STDOUT and STDERR payloads out as they arrive, in pieces that point into
 * the caller's buffer and say whether they start or end their frame: a frame that arrives in
 * one read needs no copy.  A frame the client cannot use is read to its end before it is
 * reported, as the Java shim does.
 */
#include <stddef.h>
#include <stdint.h>

#include "frames.h"

enum {
	ST_HEADER,	/* collecting the 5 header bytes */
	ST_DATA,	/* STDOUT/STDERR payload */
	ST_CODE,	/* the 4 bytes of an EXIT payload */
	ST_SKIP,	/* a payload read only to report its frame afterwards */
	ST_DONE		/* EXIT or an error was reported */
};

static int	 known(int);
static uint32_t	 get32(const unsigned char *);
static void	 begin_frame(struct frame_reader *);
static void	 finish(struct frame_reader *, enum frame_kind, int32_t);

void
frame_init(struct frame_reader *fr)
{
	fr->state = ST_HEADER;
	fr->have = 0;
	fr->type = 0;
	fr->len = 0;
	fr->left = 0;
	fr->end.kind = FRAME_NONE;
	fr->end.type = 0;
	fr->end.data = NULL;
	fr->end.len = 0;
	fr->end.whole = 0;
	fr->end.first = fr->end.last = 0;
	fr->end.value = 0;
}

/*
 * Reads from buf until something is to be reported or buf is used up.  Returns the number of
 * bytes used; ev says what was found.  Once FRAME_EXIT_CODE or an error has been reported the
 * reader uses nothing more and reports the same again.
 */
size_t
frame_read(struct frame_reader *fr, const unsigned char *buf, size_t len,
    struct frame_event *ev)
{
	size_t	used = 0, n;

	while (used < len && fr->state != ST_DONE) {
		switch (fr->state) {
		case ST_HEADER:
			fr->hdr[fr->have++] = buf[used++];
			if (fr->have == FRAME_HEADER)
				begin_frame(fr);
			break;
		case ST_DATA:
			n = len - used < fr->left ? len - used : fr->left;
			ev->kind = FRAME_DATA;
			ev->type = fr->type;
			ev->data = buf + used;
			ev->len = n;
			ev->whole = fr->len;
			ev->first = fr->left == fr->len;
			fr->left -= (uint32_t)n;
			ev->last = fr->left == 0;
			ev->value = 0;
			if (fr->left == 0)
				fr->state = ST_HEADER;
			return used + n;
		case ST_CODE:
			fr->code[fr->have++] = buf[used++];
			if (--fr->left == 0)
				finish(fr, FRAME_EXIT_CODE, (int32_t)get32(fr->code));
			break;
		case ST_SKIP:
			n = len - used < fr->left ? len - used : fr->left;
			used += n;
			fr->left -= (uint32_t)n;
			if (fr->left == 0)
				finish(fr, fr->type == FRAME_EXIT ? FRAME_BAD_EXIT :
				    FRAME_UNEXPECTED, (int32_t)fr->len);
			break;
		}
	}
	if (fr->state == ST_DONE) {
		*ev = fr->end;
		return used;
	}
	ev->kind = FRAME_NONE;
	ev->type = fr->type;
	ev->data = NULL;
	ev->len = 0;
	ev->whole = 0;
	ev->first = ev->last = 0;
	ev->value = 0;
	return used;
}

/* The header is complete: checks it in FrameCodec.read's order (length, then type). */
static void
begin_frame(struct frame_reader *fr)
{
	fr->have = 0;
	fr->type = fr->hdr[0];
	fr->len = fr->left = get32(fr->hdr + 1);
	if (fr->len > FRAME_MAX) {
		finish(fr, FRAME_BAD_LENGTH, (int32_t)fr->len);
		return;
	}
	if (!known(fr->type)) {
		finish(fr, FRAME_BAD_TYPE, 0);
		return;
	}
	if (fr->type == FRAME_STDOUT || fr->type == FRAME_STDERR)
		fr->state = fr->len == 0 ? ST_HEADER : ST_DATA;
	else if (fr->type == FRAME_EXIT && fr->len == 4)
		fr->state = ST_CODE;
	else if (fr->len > 0)
		fr->state = ST_SKIP;
	else
		finish(fr, fr->type == FRAME_EXIT ? FRAME_BAD_EXIT : FRAME_UNEXPECTED, 0);
}

static void
finish(struct frame_reader *fr, enum frame_kind kind, int32_t value)
{
	fr->state = ST_DONE;
	fr->end.kind = kind;
	fr->end.type = fr->type;
	fr->end.data = NULL;
	fr->end.len = 0;
	fr->end.whole = 0;
	fr->end.first = fr->end.last = 0;
	fr->end.value = value;
}

/* True while a frame has begun and not ended: the stream may not end here. */
int
frame_midway(const struct frame_reader *fr)
{
	return fr->state != ST_DONE && (fr->state != ST_HEADER || fr->have > 0);
}

void
frame_put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

void
frame_header(unsigned char *hdr, int type, uint32_t len)
{
	hdr[0] = (unsigned char)type;
	frame_put32(hdr + 1, len);
}

/* The type's name as the Java shim prints it (FrameType's constant names). */
const char *
frame_name(int type)
{
	switch (type) {
	case FRAME_JOB:
		return "JOB";
	case FRAME_STDIN:
		return "STDIN";
	case FRAME_STDIN_EOF:
		return "STDIN_EOF";
	case FRAME_STATUS:
		return "STATUS";
	case FRAME_STDOUT:
		return "STDOUT";
	case FRAME_STDERR:
		return "STDERR";
	case FRAME_EXIT:
		return "EXIT";
	case FRAME_STATUS_REPLY:
		return "STATUS_REPLY";
	}
	return "unknown";
}

static int
known(int type)
{
	return type == FRAME_JOB || type == FRAME_STDIN || type == FRAME_STDIN_EOF ||
	    type == FRAME_STATUS || type == FRAME_STDOUT || type == FRAME_STDERR ||
	    type == FRAME_EXIT || type == FRAME_STATUS_REPLY;
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
	    (uint32_t)p[3];
}

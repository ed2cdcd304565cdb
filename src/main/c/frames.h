/*
 * The shim/daemon wire format (dev.ffdispatch.protocol.FrameCodec): one type byte, a 4-byte
 * big-endian payload length, the payload.  The reader is a pure state machine over bytes, with
 * no I/O, so the fuzzer and the tests drive it exactly as the client does.
 */
#ifndef FFD_FRAMES_H
#define FFD_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#define FRAME_HEADER	5
#define FRAME_CHUNK	(64 * 1024)		/* data frames the shim sends */
#define FRAME_MAX	(16 * 1024 * 1024)	/* largest payload accepted */

/* Frame type codes; part of the wire format (dev.ffdispatch.protocol.FrameType). */
enum frame_type {
	FRAME_JOB = 0x01,
	FRAME_STDIN = 0x02,
	FRAME_STDIN_EOF = 0x03,
	FRAME_STATUS = 0x04,
	FRAME_STDOUT = 0x11,
	FRAME_STDERR = 0x12,
	FRAME_EXIT = 0x13,
	FRAME_STATUS_REPLY = 0x14
};

/* What frame_read found.  Every kind after FRAME_EXIT ends the conversation. */
enum frame_kind {
	FRAME_NONE,		/* all input used, nothing to report yet */
	FRAME_DATA,		/* a piece of a STDOUT or STDERR frame's payload */
	FRAME_EXIT_CODE,	/* an EXIT frame: the job's exit code */
	FRAME_BAD_LENGTH,	/* a length outside 0..FRAME_MAX */
	FRAME_BAD_TYPE,		/* a type code the protocol does not have */
	FRAME_UNEXPECTED,	/* a known type that a daemon never sends during a job */
	FRAME_BAD_EXIT		/* an EXIT frame whose payload is not 4 bytes */
};

struct frame_event {
	enum frame_kind		 kind;
	int			 type;	/* the frame's type code */
	const unsigned char	*data;	/* FRAME_DATA: points into the input */
	size_t			 len;	/* FRAME_DATA: bytes at data */
	uint32_t		 whole;	/* FRAME_DATA: the frame's payload length */
	int			 first;	/* FRAME_DATA: this piece starts the payload */
	int			 last;	/* FRAME_DATA: this piece ends the payload */
	int32_t			 value;	/* exit code, or the bad length */
};

struct frame_reader {
	int		state;
	unsigned char	hdr[FRAME_HEADER];
	size_t		have;		/* header or exit-code bytes so far */
	int		type;
	uint32_t	len;		/* payload length of the current frame */
	uint32_t	left;		/* payload bytes still to come */
	unsigned char	code[4];
	struct frame_event end;	/* what ended the conversation */
};

void		 frame_init(struct frame_reader *);
size_t		 frame_read(struct frame_reader *, const unsigned char *, size_t,
		    struct frame_event *);
int		 frame_midway(const struct frame_reader *);
void		 frame_header(unsigned char *, int, uint32_t);
void		 frame_put32(unsigned char *, uint32_t);
const char	*frame_name(int);

#endif

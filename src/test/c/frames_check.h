/*
 * The frame reader's properties, shared by the unit test (frames_test.c) and the fuzz harness
 * (fuzz_frames.c).
 */
#ifndef FFD_FRAMES_CHECK_H
#define FFD_FRAMES_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "frames.h"

/* What a byte stream amounts to for the client. */
struct outcome {
	unsigned char	*out;		/* STDOUT payload bytes of whole frames, in order */
	size_t		 outlen;
	unsigned char	*err;		/* STDERR payload bytes of whole frames, in order */
	size_t		 errlen;
	enum frame_kind	 end;		/* FRAME_NONE: the stream ended without EXIT or error */
	int		 type;		/* the type of the frame that ended it */
	int32_t		 value;		/* its exit code or bad length */
	size_t		 used;		/* bytes up to and including that frame */
	int		 midway;	/* FRAME_NONE only: the stream stopped inside a frame */
};

void	outcome_free(struct outcome *);
void	reference(const unsigned char *, size_t, struct outcome *);
void	replay(const unsigned char *, size_t, uint32_t, struct outcome *);
void	frames_check(const unsigned char *, size_t);

#endif

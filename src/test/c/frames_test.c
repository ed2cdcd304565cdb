/*
 * Unit test of the client's frame reader (src/main/c/frames.c), built with ASan and UBSan and
 * run by the Java suite (NativeFramesTest).  Each case is a byte stream and what the client
 * must make of it; every case also goes through frames_check() (reference reading, any split
 * into reads), and so do 200000 generated streams.
 *
 *	frames-test			run the tests; prints "frames-test: N cases ok"
 *	frames-test --seeds DIR		write the cases as files, the fuzzer's seed corpus
 */
#define _XOPEN_SOURCE 700

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frames_check.h"

struct tcase {
	const char	*name;
	const char	*bytes;		/* the stream, as a C string literal with escapes */
	size_t		 len;
	const char	*out;		/* expected stdout bytes */
	size_t		 outlen;
	const char	*err;		/* expected stderr bytes */
	size_t		 errlen;
	enum frame_kind	 end;
	int32_t		 value;
	int		 midway;
};

#define S(lit)	lit, sizeof(lit) - 1

static const struct tcase cases[] = {
	{ "exit 0", S("\x13\0\0\0\4\0\0\0\0"), S(""), S(""), FRAME_EXIT_CODE, 0, 0 },
	{ "exit 137 after output", S("\x11\0\0\0\3abc\x12\0\0\0\2e\n\x13\0\0\0\4\0\0\0\x89"),
	    S("abc"), S("e\n"), FRAME_EXIT_CODE, 137, 0 },
	{ "negative exit code", S("\x13\0\0\0\4\xff\xff\xff\xfe"), S(""), S(""), FRAME_EXIT_CODE, -2, 0 },
	{ "binary stdout with NUL and CR", S("\x11\0\0\0\5\0\xff\r\n\0\x13\0\0\0\4\0\0\0\1"),
	    S("\0\xff\r\n\0"), S(""), FRAME_EXIT_CODE, 1, 0 },
	{ "empty data frames", S("\x11\0\0\0\0\x12\0\0\0\0\x13\0\0\0\4\0\0\0\0"), S(""), S(""),
	    FRAME_EXIT_CODE, 0, 0 },
	{ "bytes after EXIT are not read", S("\x13\0\0\0\4\0\0\0\3\x11\0\0\0\1x"), S(""), S(""),
	    FRAME_EXIT_CODE, 3, 0 },
	{ "nothing", S(""), S(""), S(""), FRAME_NONE, 0, 0 },
	{ "closed inside a header", S("\x11\0\0"), S(""), S(""), FRAME_NONE, 0, 1 },
	{ "closed inside stdout", S("\x11\0\0\0\x0apart"), S(""), S(""), FRAME_NONE, 0, 1 },
	{ "closed inside EXIT", S("\x13\0\0\0\4\0\0"), S(""), S(""), FRAME_NONE, 0, 1 },
	{ "closed between frames", S("\x12\0\0\0\1x"), S(""), S("x"), FRAME_NONE, 0, 0 },
	{ "length over 16 MiB", S("\x11\1\0\0\1"), S(""), S(""), FRAME_BAD_LENGTH, 0x1000001, 0 },
	{ "length exactly 16 MiB is fine", S("\x11\1\0\0\0ab"), S(""), S(""), FRAME_NONE, 0, 1 },
	{ "stdout then a cut frame", S("\x11\0\0\0\2ok\x11\0\0\0\3no"), S("ok"), S(""), FRAME_NONE, 0, 1 },
	{ "negative length", S("\x11\xff\xff\xff\xfb"), S(""), S(""), FRAME_BAD_LENGTH, -5, 0 },
	{ "length is checked before type", S("\x7f\x7f\0\0\0"), S(""), S(""), FRAME_BAD_LENGTH,
	    0x7f000000, 0 },
	{ "unknown type", S("\x7f\0\0\0\0"), S(""), S(""), FRAME_BAD_TYPE, 0, 0 },
	{ "unknown type zero", S("\0\0\0\0\1x"), S(""), S(""), FRAME_BAD_TYPE, 0, 0 },
	{ "STDIN from the daemon", S("\x02\0\0\0\1q"), S(""), S(""), FRAME_UNEXPECTED, 1, 0 },
	{ "STATUS_REPLY during a job", S("\x14\0\0\0\2{}"), S(""), S(""), FRAME_UNEXPECTED, 2, 0 },
	{ "empty JOB frame", S("\x01\0\0\0\0"), S(""), S(""), FRAME_UNEXPECTED, 0, 0 },
	{ "unexpected frame is read to its end", S("\x04\0\0\0\3ab"), S(""), S(""), FRAME_NONE, 0, 1 },
	{ "EXIT with 3 bytes", S("\x13\0\0\0\3\0\0\0"), S(""), S(""), FRAME_BAD_EXIT, 3, 0 },
	{ "EXIT with 0 bytes", S("\x13\0\0\0\0"), S(""), S(""), FRAME_BAD_EXIT, 0, 0 },
	{ "EXIT with 5 bytes", S("\x13\0\0\0\5\0\0\0\0\0"), S(""), S(""), FRAME_BAD_EXIT, 5, 0 },
};

static int	 one(const struct tcase *);
static int	 seeds(const char *);
static void	 generated(unsigned long);
static uint32_t	 next(uint32_t *);

int
main(int argc, char *argv[])
{
	size_t	i;
	int	failed = 0;

	if (argc == 3 && strcmp(argv[1], "--seeds") == 0)
		return seeds(argv[2]);
	if (argc != 1) {
		(void)fprintf(stderr, "usage: frames-test [--seeds DIR]\n");
		return 2;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		failed += one(&cases[i]);
	generated(200000);
	if (failed > 0) {
		(void)fprintf(stderr, "frames-test: %d of %zu cases failed\n", failed,
		    sizeof(cases) / sizeof(cases[0]));
		return 1;
	}
	(void)printf("frames-test: %zu cases and 200000 generated streams ok\n",
	    sizeof(cases) / sizeof(cases[0]));
	return 0;
}

static int
one(const struct tcase *c)
{
	struct outcome	 o;
	const unsigned char *bytes = (const unsigned char *)c->bytes;
	int		 ok;

	frames_check(bytes, c->len);
	replay(bytes, c->len, 2, &o);
	ok = o.outlen == c->outlen && memcmp(o.out, c->out, o.outlen) == 0;
	ok = ok && o.errlen == c->errlen && memcmp(o.err, c->err, o.errlen) == 0;
	ok = ok && o.end == c->end && o.midway == c->midway;
	ok = ok && (c->end == FRAME_NONE || o.value == c->value);
	if (!ok)
		(void)fprintf(stderr, "frames-test: FAIL %s: end=%d value=%d midway=%d out=%zu "
		    "err=%zu bytes\n", c->name, (int)o.end, (int)o.value, o.midway, o.outlen,
		    o.errlen);
	outcome_free(&o);
	return !ok;
}

/*
 * Streams that look like a daemon's: mostly valid frames of every type with small payloads,
 * with a byte flipped now and then and cut at a random point.
 */
static void
generated(unsigned long count)
{
	static const unsigned char types[] = { 0x11, 0x12, 0x13, 0x13, 0x01, 0x02, 0x03, 0x04,
	    0x14, 0x00, 0x15, 0xff };
	unsigned char	 buf[512];
	unsigned long	 i;
	uint32_t	 prng = 42, flen;
	size_t		 len, k;

	for (i = 0; i < count; i++) {
		len = 0;
		while (len + FRAME_HEADER + 8 < sizeof(buf) && next(&prng) % 8 != 0) {
			buf[len] = next(&prng) % 4 == 0 ? types[next(&prng) % sizeof(types)] :
			    (next(&prng) % 2 ? FRAME_STDOUT : FRAME_STDERR);
			flen = buf[len] == FRAME_EXIT && next(&prng) % 4 != 0 ? 4 : next(&prng) % 8;
			if (next(&prng) % 64 == 0)
				flen = (uint32_t)next(&prng) << 8;
			frame_put32(buf + len + 1, flen);
			len += FRAME_HEADER;
			for (k = 0; k < flen && k < 8; k++)
				buf[len++] = (unsigned char)next(&prng);
		}
		if (len > 0 && next(&prng) % 4 == 0) {
			k = next(&prng) % len;
			buf[k] ^= (unsigned char)(1u << (next(&prng) % 8));
		}
		if (len > 0 && next(&prng) % 3 == 0)
			len = next(&prng) % len;
		frames_check(buf, len);
	}
}

/* A small linear congruential generator: the same streams on every run. */
static uint32_t
next(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 8;
}

/* One file per case, named after it. */
static int
seeds(const char *dir)
{
	char	 path[4096], *p;
	size_t	 i;
	int	 fd;

	if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
		(void)fprintf(stderr, "frames-test: mkdir %s: %s\n", dir, strerror(errno));
		return 1;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		(void)snprintf(path, sizeof(path), "%s/%02zu-%s", dir, i, cases[i].name);
		for (p = path + strlen(dir) + 1; *p != '\0'; p++) {
			if (*p == ' ' || *p == '/')
				*p = '-';
		}
		if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1 ||
		    write(fd, cases[i].bytes, cases[i].len) != (ssize_t)cases[i].len ||
		    close(fd) == -1) {
			(void)fprintf(stderr, "frames-test: %s: %s\n", path, strerror(errno));
			return 1;
		}
	}
	return 0;
}

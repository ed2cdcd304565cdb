/*
 * libFuzzer harness for the client's frame reader: every input must satisfy frames_check()
 * (agreement with a direct reading of the format, whatever the split into reads; no read out
 * of bounds, which ASan catches).  Built and run by src/test/c/fuzz.
 */
#include <stddef.h>
#include <stdint.h>

#include "frames_check.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	frames_check(data, size);
	return 0;
}

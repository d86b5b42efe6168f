#include <zlib.h>

// inflateInit2 is a macro, which Swift cannot call.
static inline int fw_inflateInit2(z_stream *strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}

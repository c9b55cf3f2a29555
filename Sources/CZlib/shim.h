// The system zlib (Debian: zlib1g-dev), for gzip output transforms.
//
// zlib's init functions are macros that pass the library version and the stream's size; Swift cannot import
// function-like macros, so these wrappers make them callable.
#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H

#include <zlib.h>

/// deflateInit2 for gzip framing (window bits 16 + MAX_WBITS) with zlib's default memory level and strategy.
static inline int czlib_deflate_init_gzip(z_streamp stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
}

/// inflateInit2 that accepts gzip framing (window bits 16 + MAX_WBITS).
static inline int czlib_inflate_init_gzip(z_streamp stream) {
    return inflateInit2(stream, 16 + MAX_WBITS);
}

/// deflateInit2 for raw deflate (no zlib/gzip framing), as permessage-deflate (RFC 7692) uses it.
static inline int czlib_deflate_init_raw(z_streamp stream, int level, int windowBits, int memLevel) {
    return deflateInit2(stream, level, Z_DEFLATED, -windowBits, memLevel, Z_DEFAULT_STRATEGY);
}

/// inflateInit2 for raw deflate (no zlib/gzip framing).
static inline int czlib_inflate_init_raw(z_streamp stream, int windowBits) {
    return inflateInit2(stream, -windowBits);
}

#endif

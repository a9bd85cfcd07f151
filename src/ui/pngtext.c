/* pngtext.c - inserting and reading PNG text chunks, with the chunks' CRC-32. */
#include "pngtext.h"

#include <stdlib.h>
#include <string.h>

#include "core/gf_error.h"

static const uint8_t png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

uint32_t png_crc32(uint32_t crc, const uint8_t *p, size_t n)
{
    /* reflected CRC-32, bit by bit: the chunks are small enough not to need a table */
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static uint32_t be32_(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be32_(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

int png_add_text(const uint8_t *png, size_t len, const char *keyword, const char *text,
                 uint8_t **out, size_t *out_len)
{
    size_t klen = strlen(keyword), tlen = strlen(text);
    if (klen < 1 || klen > 79) return GF_ERR_FORMAT;
    for (size_t i = 0; i < klen; i++) {
        unsigned char ch = (unsigned char)keyword[i];
        if (ch < 32 || (ch > 126 && ch < 161)) return GF_ERR_FORMAT;
    }
    /* signature, then IHDR: length 13, type, 13 bytes, crc */
    if (len < 8 + 25 || memcmp(png, png_sig, 8) != 0 || be32_(png + 8) != 13 ||
        memcmp(png + 12, "IHDR", 4) != 0)
        return GF_ERR_FORMAT;
    int ascii = 1;
    for (size_t i = 0; i < tlen; i++)
        if ((unsigned char)text[i] >= 0x80) ascii = 0;
    /* tEXt: keyword NUL text.  iTXt: keyword NUL, compression flag 0, method 0, empty language
     * tag NUL, empty translated keyword NUL, UTF-8 text. */
    size_t data_len = klen + 1 + (ascii ? 0 : 4) + tlen;
    if (data_len > 0x7FFFFFFFu) return GF_ERR_FORMAT;
    size_t chunk = 12 + data_len;
    uint8_t *o = malloc(len + chunk);
    if (!o) return GF_ERR_NOMEM;
    size_t at = 8 + 25;
    memcpy(o, png, at);
    uint8_t *c = o + at;
    put_be32_(c, (uint32_t)data_len);
    memcpy(c + 4, ascii ? "tEXt" : "iTXt", 4);
    uint8_t *d = c + 8;
    memcpy(d, keyword, klen);
    d[klen] = 0;
    d += klen + 1;
    if (!ascii) {
        d[0] = 0; /* not compressed */
        d[1] = 0; /* method */
        d[2] = 0; /* language tag: empty */
        d[3] = 0; /* translated keyword: empty */
        d += 4;
    }
    memcpy(d, text, tlen);
    put_be32_(c + 8 + data_len, png_crc32(0, c + 4, 4 + data_len));
    memcpy(o + at + chunk, png + at, len - at);
    *out = o;
    *out_len = len + chunk;
    return GF_OK;
}

int png_find_text(const uint8_t *png, size_t len, const char *keyword, char *buf, size_t n)
{
    if (len < 8 || memcmp(png, png_sig, 8) != 0 || n == 0) return -1;
    size_t klen = strlen(keyword);
    size_t at = 8;
    while (at + 12 <= len) {
        uint32_t dl = be32_(png + at);
        if (dl > len - at - 12) return -1;
        const uint8_t *type = png + at + 4, *data = png + at + 8;
        int text = memcmp(type, "tEXt", 4) == 0, itxt = memcmp(type, "iTXt", 4) == 0;
        if ((text || itxt) && dl > klen && memcmp(data, keyword, klen) == 0 && data[klen] == 0 &&
            png_crc32(0, type, 4 + (size_t)dl) == be32_(data + dl)) {
            size_t skip = klen + 1 + (itxt ? 4 : 0);
            if (itxt) { /* skip the language tag and translated keyword (NUL-terminated) */
                skip = klen + 3;
                for (int z = 0; z < 2 && skip < dl; z++) {
                    while (skip < dl && data[skip]) skip++;
                    skip++;
                }
            }
            if (skip > dl) return -1;
            size_t tl = dl - skip;
            if (tl >= n) tl = n - 1;
            memcpy(buf, data + skip, tl);
            buf[tl] = 0;
            return 0;
        }
        if (memcmp(type, "IEND", 4) == 0) break;
        at += 12 + (size_t)dl;
    }
    return -1;
}

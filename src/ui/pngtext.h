/* pngtext.h - text metadata in PNG files: adds a tEXt chunk (iTXt when the text is not ASCII)
 * right after the header chunk, and reads one back. Plain C over byte buffers. */
#ifndef GF_UI_PNGTEXT_H
#define GF_UI_PNGTEXT_H

#include <stddef.h>
#include <stdint.h>

/* CRC-32 of PNG chunks (ISO 3309, polynomial 0xEDB88320), over n bytes continuing from crc
 * (start with 0). */
uint32_t png_crc32(uint32_t crc, const uint8_t *p, size_t n);

/* Copies the PNG png (len bytes) into *out (malloc'ed, *out_len bytes) with a text chunk
 * keyword = text inserted after IHDR. keyword: 1 to 79 printable Latin-1 characters.
 * Returns 0, GF_ERR_FORMAT if png is not a PNG or keyword is not valid, GF_ERR_NOMEM. */
int png_add_text(const uint8_t *png, size_t len, const char *keyword, const char *text,
                 uint8_t **out, size_t *out_len);

/* Finds the tEXt / iTXt chunk with keyword and copies its text into buf (n bytes, NUL-terminated).
 * Returns 0 if found (with a correct CRC), -1 otherwise. */
int png_find_text(const uint8_t *png, size_t len, const char *keyword, char *buf, size_t n);

#endif

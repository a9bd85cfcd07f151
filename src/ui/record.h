/* record.h - a renderer that records. While a display list is attached to a renderer's target (a
 * texture made by record_begin), every drawing primitive (gfx.h, text.h, a Canvas shown through
 * gfx_image) appends what it draws to that list, in figure pixels, besides drawing it: the view is
 * described once and the vector backends read the description. The window and the PNG export never
 * attach one, so their pixels are what they were. */
#ifndef GF_UI_RECORD_H
#define GF_UI_RECORD_H

#include <SDL.h>

#include "core/gf_error.h"
#include "displist.h"

/* The list r records into, or NULL when it does not record. */
DispList *record_list(SDL_Renderer *r);

/* Makes r draw into a new w x h target texture (*target) that records into dl. */
int record_begin(SDL_Renderer *r, DispList *dl, int w, int h, SDL_Texture **target, GfError *err);
/* Stops recording: r draws to its own surface again and the target is destroyed (*target NULL). */
void record_end(SDL_Renderer *r, SDL_Texture **target);

#endif

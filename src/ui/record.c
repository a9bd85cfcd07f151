/* record.c - attaching a display list to a renderer through its target texture's user data. */
#include "record.h"

DispList *record_list(SDL_Renderer *r)
{
    SDL_Texture *t = r ? SDL_GetRenderTarget(r) : NULL;
    if (!t) return NULL; /* the window and the PNG export: no target, nothing recorded */
    int access = 0;
    if (SDL_QueryTexture(t, NULL, &access, NULL, NULL) != 0 || access != SDL_TEXTUREACCESS_TARGET) return NULL;
    return SDL_GetTextureUserData(t);
}

int record_begin(SDL_Renderer *r, DispList *dl, int w, int h, SDL_Texture **target, GfError *err)
{
    *target = SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, w, h);
    if (!*target) return gf_error_set(err, GF_ERR_NOMEM, "cannot create a %dx%d drawing: %s", w, h, SDL_GetError());
    SDL_SetTextureUserData(*target, dl);
    if (SDL_SetRenderTarget(r, *target) != 0) {
        SDL_DestroyTexture(*target);
        *target = NULL;
        return gf_error_set(err, GF_ERR_IO, "cannot draw into a texture: %s", SDL_GetError());
    }
    return GF_OK;
}

void record_end(SDL_Renderer *r, SDL_Texture **target)
{
    if (!*target) return;
    SDL_SetRenderTarget(r, NULL);
    SDL_DestroyTexture(*target);
    *target = NULL;
}

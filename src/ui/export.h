/* export.h - drawing the view offscreen (software renderer on a surface) and writing it as a PNG
 * with the command line in its text metadata; shared by `gradflow export` and the window's S key. */
#ifndef GF_UI_EXPORT_H
#define GF_UI_EXPORT_H

#include <SDL.h>
#include <stddef.h>
#include <stdint.h>

#include "displist.h"
#include "plotdata.h"
#include "settings.h"
#include "trainsnap.h"

/* Training steps an export of the training view takes when --steps is not given. */
#define EXPORT_TRAIN_STEPS 300

/* Draws the view of pd with settings s (not changed) onto a new w x h ARGB surface (*out, the
 * caller frees it) at scale factor scale, without the panel if plot_only. */
int export_render(const PlotData *pd, const UiSettings *s, int w, int h, double scale, int plot_only,
                  SDL_Surface **out, GfError *err);

/* export_render with the training view's data: the snapshot, and the training step of the weights
 * behind pd (-1: unknown). */
int export_render_train(const PlotData *pd, const UiSettings *s, const TrainSnapshot *train, long profile_step, int w,
                        int h, double scale, int plot_only, SDL_Surface **out, GfError *err);

/* export_render_train described instead of drawn: what the view draws is appended to dl (for
 * export_encode_vector). */
int export_record(const PlotData *pd, const UiSettings *s, const TrainSnapshot *train, long profile_step, int w, int h,
                  double scale, int plot_only, DispList *dl, GfError *err);

/* Writes a w x h view's display list as CLI_FORMAT_SVG or CLI_FORMAT_PDF in memory (*out
 * malloc'ed, *len bytes), command_line in its metadata. */
int export_encode_vector(const DispList *dl, int format, int w, int h, const char *command_line, uint8_t **out,
                         size_t *len, GfError *err);

/* Encodes surf as PNG in memory (*png malloc'ed, *len bytes) with tEXt "Software" = gradflow and
 * its version, and "Comment" = command_line when not NULL. */
int export_encode_png(SDL_Surface *surf, const char *command_line, uint8_t **png, size_t *len,
                      GfError *err);

/* A file name in folder dir ("." for the current one) that did not exist yet:
 * dir/stem-YYYYmmdd-HHMMSS.png, then -2, -3 ... within the same second. The name is claimed by
 * creating it empty, so no later call (nor another gradflow) picks it again; the caller writes the
 * picture over it, or removes it when it cannot. */
int export_unique_path(const char *dir, const char *stem, char *out, size_t n, GfError *err);

/* export_unique_path with the extension ext ("svg") in place of png. */
int export_unique_path_ext(const char *dir, const char *stem, const char *ext, char *out, size_t n, GfError *err);

/* The scale factor of an export of w x h (a 1080p export is drawn at 1). */
double export_scale(int w, int h);

#endif

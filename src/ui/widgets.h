/* widgets.h - immediate-mode widgets in the spirit of microui: the caller owns one UiCtx, each
 * widget is a function bound to the value it edits that returns 1 when the user changed it, and
 * drawing is a list of commands that the SDL side walks. No SDL, no allocation: the logic (hover,
 * press, drag, click) and the geometry are tested headless. */
#ifndef GF_UI_WIDGETS_H
#define GF_UI_WIDGETS_H

#include "geom.h"
#include "theme.h"

#define UI_CMD_TEXT_LEN 112
#define UI_MAX_CMDS 640

typedef enum { UI_CMD_RECT, UI_CMD_BOX, UI_CMD_TEXT } UiCmdType;
typedef enum { UI_ALIGN_LEFT, UI_ALIGN_CENTER, UI_ALIGN_RIGHT } UiAlign;

typedef struct UiCmd {
    UiCmdType type;
    UiRect r;       /* filled rect, outlined box, or the box text is aligned in (vertically centred) */
    UiColor c;
    int border;     /* box: outline width in pixels */
    int font_px;    /* text: pixel size */
    int bold;       /* text: bold face */
    UiAlign align;  /* text: horizontal alignment */
    char text[UI_CMD_TEXT_LEN];
} UiCmd;

/* The mouse as the widgets see it for one frame, in output pixels. */
typedef struct UiInput {
    int mx, my;    /* position */
    int down;      /* left button held */
    int pressed;   /* went down during this frame */
    int released;  /* went up during this frame */
    int wheel;     /* wheel steps during this frame, > 0 away from the user */
} UiInput;

typedef struct UiCtx {
    UiInput in;
    int hot;             /* widget under the mouse (0: none) */
    int active;          /* widget that took the button press and holds it until release */
    const Theme *th;
    int font_px;         /* labels */
    int small_px;        /* key hints and values */
    int border;          /* outline width */
    int ncmd;
    UiCmd cmds[UI_MAX_CMDS]; /* this frame's drawing, in order */
} UiCtx;

/* Starts a frame: takes the input, clears the command list. */
void ui_begin(UiCtx *ctx, const UiInput *in, const Theme *th, int font_px, int small_px, int border);
/* Ends a frame: a released button frees the active widget. */
void ui_end(UiCtx *ctx);

void ui_cmd_rect(UiCtx *ctx, UiRect r, UiColor c);
void ui_cmd_box(UiCtx *ctx, UiRect r, UiColor c, int border);
void ui_cmd_text(UiCtx *ctx, UiRect r, const char *text, UiColor c, int font_px, int bold, UiAlign al);

/* A horizontal slider over [lo, hi] snapped to step; value_fmt (printf, one double; NULL: none)
 * is printed in the track. Press and drag anywhere on it; the wheel moves it by one step. Returns 1 if *v changed. */
int widget_slider(UiCtx *ctx, int id, UiRect r, double *v, double lo, double hi, double step,
                  const char *value_fmt);
/* An integer slider on a log scale over [lo, hi] (lo >= 1); value_fmt takes one int. */
int widget_slider_log(UiCtx *ctx, int id, UiRect r, int *v, int lo, int hi, const char *value_fmt);
/* A slider over [0, hi] on a log scale: its first pixel column is 0, the rest run from lo (> 0) to
 * hi logarithmically, so a wide range (a weight scale from 0.01 to 100, with 1 in the middle) keeps
 * its fine steps where they matter. Values are rounded to 0.01 below 10, 0.1 above. The wheel
 * multiplies by 2^(1/8). Returns 1 if *v changed. */
int widget_slider_log0(UiCtx *ctx, int id, UiRect r, double *v, double lo, double hi);
/* A check box with a label and an optional colour swatch (swatch.a == 0: none). */
int widget_toggle(UiCtx *ctx, int id, UiRect r, int *v, const char *label, UiColor swatch);
/* n side-by-side choices; *v is the index chosen. */
int widget_segments(UiCtx *ctx, int id, UiRect r, int *v, int n, const char *const *names);
/* A push button: 1 when clicked (pressed and released on it). */
int widget_button(UiCtx *ctx, int id, UiRect r, const char *label);

/* The slider maths, for tests: value under pixel column mx of track r. */
double widget_slider_value(UiRect r, int mx, double lo, double hi, double step);
int widget_slider_log_value(UiRect r, int mx, int lo, int hi);
/* Where value v sits on track r, as a pixel column. */
int widget_slider_pos(UiRect r, double v, double lo, double hi);
/* widget_slider_log0's maths: the value under column mx, and where v sits. */
double widget_slider_log0_value(UiRect r, int mx, double lo, double hi);
int widget_slider_log0_pos(UiRect r, double v, double lo, double hi);

#endif

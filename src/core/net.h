/* net.h - L stacked layers of one cell kind, run forward over T steps on a batch of B sequences,
 * then backpropagated through time.
 *
 * Parameters follow PyTorch's nn.RNN / nn.LSTM / nn.GRU exactly: for layer k,
 *   weight_ih_l{k} (G*H, I_k), weight_hh_l{k} (G*H, H), bias_ih_l{k} (G*H), bias_hh_l{k} (G*H)
 * with I_0 = I (the task's input size), I_k = H above, and the gate blocks stacked in PyTorch's
 * order (lstm i, f, g, o; gru r, z, n). The loss reads h_n[-1], the last layer's state at t = T-1,
 * through a linear head nn.Linear(H, O): head.weight (O, H), head.bias (O) -- or, for a task
 * scored at every step (copy), output (the last layer's h_t at every t) through the same head.
 *
 * Memory: five contiguous blocks sized at net_init (parameters, parameter gradients, the
 * transposed weight copies, the float32 panels, activations with their scratch); nothing is
 * allocated per step or per run. Every per-sequence tensor is stored
 * batch-major, (L, B, T, ...), like the run file.
 *
 * Bidirectional (s.bidir, PyTorch's bidirectional=True): every layer has a forward direction
 * (d = 0, t = 0 .. T-1) and a reverse one (d = 1, t = T-1 .. 0), each with its own four tensors,
 * the reverse ones named with "_reverse"; the parameters and the per-direction pointers below are
 * indexed by unit u = l * D + d (D = 2 directions; u = l when unidirectional), in PyTorch's order
 * (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, weight_ih_l0_reverse, ...). A layer's
 * output is the two directions side by side, (T, 2H) = [forward h_t, reverse h_t]: the input of
 * the layer above (I_k = 2H) and, per step, what the state tensors hold: h, c, tc, grad_h, grad_c
 * and hn are (L, B, T, D*H) and gate (L, B, T, D*G*H), direction d at offset d*H (d*G*H). The
 * head is nn.Linear(2H, O) on torch.cat([h_n[-2], h_n[-1]], 1) = [the top layer's forward h at
 * t = T-1, its reverse h at t = 0] (each direction's final state), or, per step, on output[:, t]. */
#ifndef GF_NET_H
#define GF_NET_H

#include <stddef.h>
#include <stdint.h>

#include "gf_error.h"
#include "gf_types.h"

/* The largest factor (and smallest: its inverse) by which weight_hh may be read as float32
 * numbers: beyond it the products could lose digits to subnormal numbers near 1e-308 where the
 * float64 path keeps them (see kernels.c); such weights take the float64 path. */
#define GF_PANEL_SCALE_MAX 256.0

typedef struct NetShape {
    GfCell cell;
    GfNonlin nonlin; /* rnn only: tanh or relu */
    int L, H, I, O, B, T;
    int per_step;    /* 1: the head reads output at every step (copy); 0: h_n[-1] only */
    int bidir;       /* 1: bidirectional (two directions per layer); 0: forward only */
} NetShape;

/* Directions per layer: 1, or 2 when bidirectional. */
static inline int net_dirs(const NetShape *s) { return s->bidir ? 2 : 1; }

typedef struct Net {
    NetShape s;
    int G;              /* gates: 1, 4, 3 */
    int full;           /* 1: made for the full backward (dpre allocated); 0: for the per-step
                           profile only (net_init_for with full = 0) */
    /* ---- parameters: one block of n_params doubles, PyTorch's tensors carved out of it ---- */
    double *params;
    size_t n_params;
    double *w_ih[GF_UNITS_MAX];  /* (G*H, I_k), by unit u = l * D + d */
    double *w_hh[GF_UNITS_MAX];  /* (G*H, H) */
    double *b_ih[GF_UNITS_MAX];  /* (G*H) */
    double *b_hh[GF_UNITS_MAX];  /* (G*H) */
    double *head_w;              /* (O, D*H) */
    double *head_b;              /* (O) */
    /* ---- parameter gradients: same layout as params (filled only by a full backward) ---- */
    double *grads;
    double *g_w_ih[GF_UNITS_MAX], *g_w_hh[GF_UNITS_MAX];
    double *g_b_ih[GF_UNITS_MAX], *g_b_hh[GF_UNITS_MAX];
    double *g_head_w, *g_head_b;
    /* ---- transposed weight copies for the forward sweep (net_prepare fills them) ---- */
    double *wt;                  /* block */
    double *w_ihT[GF_UNITS_MAX]; /* (I_k, G*H) */
    double *w_hhT[GF_UNITS_MAX]; /* (H, G*H); not filled for a unit with float32 panels */
    /* ---- weight_hh as float32 panels, where that is exact (net_prepare decides per layer) ----
       When every entry of weight_hh_l{k} is panel_scale times a float32 number (PyTorch's
       float32 init, a float32 state_dict, identity; times the weight scale), the recurrent
       products read these instead, half the bytes; the arithmetic stays double (kernels.c). */
    float *wf;                   /* block of D (2L + 2D(L - 1)) G*H*H floats ((4L - 2) G*H*H) */
    const float *whF[GF_UNITS_MAX]; /* (H, G*H) panels of W_hh^T / panel_scale, or NULL */
    const float *whB[GF_UNITS_MAX]; /* (G*H, H) panels of W_hh / panel_scale, or NULL */
    const float *wiF[GF_UNITS_MAX]; /* (D*H, G*H) panels of W_ih^T above the first layer, or NULL */
    const float *wiB[GF_UNITS_MAX]; /* (G*H, D*H) panels of W_ih above the first layer, or NULL */
    double panel_scale;          /* the s of the panels: 1, or within GF_PANEL_SCALE_MAX^(+-1) */
    double w_hh_scale;           /* what init_scale_recurrent multiplied weight_hh by (1 after an
                                    init or a load): the s net_prepare tries first */
    int f64_only;                /* 1: never use float32 panels (tests compare both paths) */
    /* ---- activations and per-step gradients: one block ---- */
    double *acts;
    size_t n_acts;
    double *x;      /* (B, T, I) inputs */
    double *h;      /* (L, B, T, D*H) h_t of every layer (and direction) */
    double *c;      /* (L, B, T, D*H) lstm cell state c_t, else NULL */
    double *tc;     /* (L, B, T, D*H) lstm tanh(c_t), else NULL */
    double *gate;   /* (L, B, T, D*G*H) activated gates (lstm i,f,g,o; gru r,z,n); NULL for rnn */
    double *hn;     /* (L, B, T, D*H) gru W_hn h_{t-1} + b_hn, else NULL */
    double *grad_h; /* (L, B, T, D*H) total derivative dL/dh_t */
    double *grad_c; /* (L, B, T, D*H) lstm total derivative dL/dc_t, else NULL */
    double *grad_x; /* (B, T, I) dL/dx_t */
    double *dpre;   /* (B, T, G*H) scratch: dL/d(pre-activation), the input-side part, kept for
                       the parameter gradients (full backward) of one direction at a time; NULL
                       in a net made for the profile only, which needs one step's worth (dstep) */
    double *dpre_hh;/* (B, T, G*H) scratch, gru: the hidden-side part (r * dn for the n block);
                       NULL unless gru and made for the full backward */
    double *dh_ext; /* (B, T, D*H) scratch: dL/dh_t arriving from the layer above or the head */
    double *dh_ext2;/* (B, T, 2H) bidirectional only: the layer below's, written while dh_ext is
                       read (both directions add to it), then the two swap; else NULL */
    double *head_in;/* (2H) bidirectional only: the head's input [h_n[-2], h_n[-1]]; else NULL */
    double *bias;   /* (G*H) b_ih + b_hh (gru: b_ih) of the layer being run */
    double *xstep;  /* (G*H) W_ih x_t + bias of the step being run */
    double *tmp;    /* (G*H) scratch of one forward step */
    double *dstep;  /* (2*G*H) dpre (and dpre_hh) of one backward step, when not kept */
    double *ascaled;/* (G*H) panel_scale times a product's vector (panels with a scale below 1) */
    double *step;   /* (4*H) scratch of one backward step: zeros, dh_rec, dc_next, spare */
    double *y;      /* (B, Th, O) head output, Th = T if s.per_step else 1 */
    double *dy;     /* (B, Th, O) dL/dy */
    double loss;    /* the last loss computed */
    /* Optional: when *cancel becomes non-zero, forward and backward stop within 256 steps and
       leave the buffers partly computed (the caller discards them). */
    const GfCancelFlag *cancel;
} Net;

/* Where things are: the (D*H) state of layer l, sequence b, step t, in an (L, B, T, D*H) tensor
 * such as net->h, c, grad_h or grad_c (the forward direction first: the reverse one is H further);
 * and the (D*G*H) activated gates in net->gate. In PyTorch's terms (batch_first),
 * output[b, t] = h at (L-1, b, t), and h_n[l, b] = h at (l, b, T-1) -- with two directions
 * h_n[2l, b] = forward h at (l, b, T-1), h_n[2l+1, b] = reverse h at (l, b, 0). The head reads
 * h_n[-1] = output[:, -1] (unidirectional) or [h_n[-2], h_n[-1]] (bidirectional). */
static inline const double *net_at(const Net *net, const double *tensor, int l, int b, int t)
{
    return tensor + (((size_t)l * net->s.B + b) * net->s.T + t) * net_dirs(&net->s) * net->s.H;
}
static inline const double *net_gate_at(const Net *net, int l, int b, int t)
{
    return net->gate +
           (((size_t)l * net->s.B + b) * net->s.T + t) * net_dirs(&net->s) * (size_t)net->G * net->s.H;
}

/* Steps the head reads: T (per_step) or 1 (the last). */
static inline int net_head_steps(const NetShape *s) { return s->per_step ? s->T : 1; }

/* Number of parameters (doubles in the params block) of shape s. */
size_t net_param_count(const NetShape *s);
/* Bytes net_init would allocate for shape (parameters, gradients, activations, weight copies). */
size_t net_memory(const NetShape *s);
/* Allocates every buffer for shape s; parameters zeroed. */
int net_init(Net *net, const NetShape *s, GfError *err);
/* The same for a net that will (full = 1) or will never (full = 0) be asked for the full
 * backward: without it, the (B, T, G*H) dpre record of the parameter gradients is not allocated
 * (net_init is net_init_for with full = 1); and the bytes that takes. */
int net_init_for(Net *net, const NetShape *s, int full, GfError *err);
size_t net_memory_for(const NetShape *s, int full);
/* Frees every buffer; safe on a zeroed Net; leaves it zeroed. */
void net_free(Net *net);
/* Input size of layer k: I, or D*H above the first layer. */
int net_layer_inputs(const Net *net, int k);

/* After the parameters changed: refresh the copies the kernels read (transposed weights, and
 * float32 panels of every weight_hh that is exactly w_hh_scale (or 1) times float32 numbers, and
 * of every weight_ih above the first layer that is float32 numbers). */
void net_prepare(Net *net);

/* Forward over all T steps from zero initial states; reads net->x (B, T, I). */
void net_forward(Net *net);

/* The loss on h_n[-1] (or, per_step, on output at every step) through the head, and dL/dy:
 *   adding (targets_real (B, O)): MSE, mean over B*O;  recall (targets_class (B)): cross-entropy,
 *   mean over B;  copy (targets_class (B, T)): cross-entropy, mean over B*T.
 * Returns the loss (also in net->loss). */
double net_loss(Net *net, GfTask task, const double *targets_real, const int64_t *targets_class);

/* Backpropagation through time from net->dy. Always fills grad_h (and grad_c for lstm) for every
 * layer and step, and grad_x. With full != 0 it also accumulates into zeroed parameter gradients
 * (grads); without, it skips all work only those need (and keeps no per-step dpre: the
 * profile writes no (T, G*H) tensor). A net made for the profile only has no dpre to keep:
 * full is then ignored and only the profile computed. */
void net_backward(Net *net, int full);

#endif

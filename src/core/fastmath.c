/* fastmath.c - out-of-line array versions of the inline fast maths (for tests and callers
 * outside the kernels). */
#include "fastmath.h"

void fm_tanh_v(double *out, const double *in, int n)
{
    for (int i = 0; i < n; i++) out[i] = fm_tanh(in[i]);
}

void fm_sigmoid_v(double *out, const double *in, int n)
{
    for (int i = 0; i < n; i++) out[i] = fm_sigmoid(in[i]);
}

void fm_exp_v(double *out, const double *in, int n)
{
    for (int i = 0; i < n; i++) out[i] = fm_exp(in[i]);
}

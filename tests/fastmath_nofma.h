/* fastmath_nofma.h - fm_tanh and fm_exp as built without fused multiply-adds (WebAssembly's). */
#ifndef GF_FASTMATH_NOFMA_H
#define GF_FASTMATH_NOFMA_H

double fm_tanh_nofma(double x);
double fm_exp_nofma(double x);

#endif

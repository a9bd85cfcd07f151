/* fastmath_nofma.c - fastmath.h as WebAssembly compiles it (no fused multiply-add: Dekker's exact
 * products instead), built here so test_fastmath can hold it to the fma version bit for bit.
 * Compiled with -ffp-contract=off (tests/meson.build): Dekker's products must each be rounded. */
#define FM_NO_FMA 1
#include "fastmath_nofma.h"

#include "fastmath.h"

double fm_tanh_nofma(double x) { return fm_tanh(x); }
double fm_exp_nofma(double x) { return fm_exp(x); }

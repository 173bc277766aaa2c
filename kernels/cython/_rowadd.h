/* Add one weighted row into its cluster's float64 sum and return the row's ||x||^2.
 *
 *     s[f] += w * x[f]   for every feature f,      return sum_f x[f]^2   (in double)
 *
 * Used by the Lloyd step (_lloyd.pyx), which reads every row right after the
 * tile micro-kernel of _tile.h has found its nearest centre, while the row is
 * still in L1 cache. Computing ||x||^2 here, with full-width vectors, keeps it
 * out of the micro-kernel's hot loop, where it cost one scalar load and one
 * scalar multiply-add per row and feature.
 *
 * Why vector code by hand: a compiler does not vectorise a floating-point
 * reduction (the sum of squares) without -ffast-math, because that changes the
 * order of the additions. Here the order is fixed and written out: lane l of one
 * vector accumulator sums features l, l + L, l + 2L, ... (L lanes), the lanes are
 * then added in order, and the tail features last. It depends on p and the
 * vector width only, so every row, tile and thread gets the same result.
 * float32 rows are widened to float64 before anything is added.
 */
#ifndef SCRATCHML_ROWADD_H
#define SCRATCHML_ROWADD_H

#include <stddef.h>
#include <string.h>

#include "_tile.h"   /* SM_VBYTES, the CPU's vector width */

#define SM_DLANES (SM_VBYTES / 8)

#if (defined(__GNUC__) && __GNUC__ >= 9) || defined(__clang__)
typedef double sm_rd __attribute__((vector_size(SM_VBYTES)));
typedef float sm_rf __attribute__((vector_size(SM_VBYTES / 2)));  /* as many lanes as sm_rd */

#define SM_DEFINE_ROWADD(NAME, T, LOAD)                                               \
static double NAME(const T *x, double w, double *s, ptrdiff_t p)                     \
{                                                                                     \
    sm_rd acc = {0}, xd, sv;                                                          \
    double sq = 0;                                                                    \
    ptrdiff_t f = 0, l;                                                               \
    for (; f + SM_DLANES <= p; f += SM_DLANES) {                                      \
        LOAD                                                                          \
        memcpy(&sv, s + f, sizeof sv);                                                \
        sv += w * xd;                                                                 \
        memcpy(s + f, &sv, sizeof sv);                                                \
        acc += xd * xd;                                                               \
    }                                                                                 \
    for (l = 0; l < SM_DLANES; ++l) sq += acc[l];                                     \
    for (; f < p; ++f) { double v = x[f]; s[f] += w * v; sq += v * v; }              \
    return sq;                                                                        \
}
SM_DEFINE_ROWADD(sm_rowadd_f64, double, memcpy(&xd, x + f, sizeof xd);)
#if defined(__AVX512F__)
/* One vcvtps2pd: GCC splits __builtin_convertvector in two when it is tuned to
 * prefer 256-bit vectors, as it is for most AVX-512 CPUs. */
#include <immintrin.h>
SM_DEFINE_ROWADD(sm_rowadd_f32, float,
                 { __m512d v = _mm512_cvtps_pd(_mm256_loadu_ps(x + f)); memcpy(&xd, &v, sizeof xd); })
#else
SM_DEFINE_ROWADD(sm_rowadd_f32, float,
                 { sm_rf xf; memcpy(&xf, x + f, sizeof xf); xd = __builtin_convertvector(xf, sm_rd); })
#endif
#else  /* portable fallback: the same additions in the same order, as scalar loops */
#define SM_DEFINE_ROWADD(NAME, T)                                                     \
static double NAME(const T *x, double w, double *s, ptrdiff_t p)                     \
{                                                                                     \
    double acc[SM_DLANES] = {0}, sq = 0;                                              \
    ptrdiff_t f = 0, l;                                                               \
    for (; f + SM_DLANES <= p; f += SM_DLANES)                                        \
        for (l = 0; l < SM_DLANES; ++l) {                                             \
            double v = x[f + l]; s[f + l] += w * v; acc[l] += v * v;                  \
        }                                                                             \
    for (l = 0; l < SM_DLANES; ++l) sq += acc[l];                                     \
    for (; f < p; ++f) { double v = x[f]; s[f] += w * v; sq += v * v; }              \
    return sq;                                                                        \
}
SM_DEFINE_ROWADD(sm_rowadd_f64, double)
SM_DEFINE_ROWADD(sm_rowadd_f32, float)
#endif

#endif

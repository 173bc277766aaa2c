/* Helpers of _tree.pyx that are easier to say in C.
 *
 * Both backends must build bit-for-bit the same tree, so every floating-point
 * operation of the Cython kernel must round exactly like the NumPy reference's:
 * a product, then a sum, never a fused multiply-add. GCC fuses a*b + c when it
 * may (-ffp-contract=fast is its default outside ISO C mode), so contraction is
 * switched off for this translation unit (the .pyx also passes -ffp-contract=off).
 *
 * SplitMix64 (Steele, Lea & Flood 2014) is the generator both backends use to
 * draw features and thresholds; the NumPy reference has the same few lines.
 */
#ifndef SCRATCHML_TREE_H
#define SCRATCHML_TREE_H
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("fp-contract=off")
#endif
#if defined(__clang__)
#pragma clang fp contract(off)
#endif
#include <stdint.h>

static inline uint64_t sm_tree_next(uint64_t *state) {
    uint64_t z;
    *state += 0x9E3779B97F4A7C15ULL;
    z = *state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static inline double sm_tree_uniform(uint64_t *state) {
    return (double)(sm_tree_next(state) >> 11) * (1.0 / 9007199254740992.0);
}

#endif

// The MinHash inner loops in C, for one reason: Swift cannot compile a function for several CPU
// levels and pick one at run time. `target_clones` builds each loop for x86-64-v4 (AVX-512),
// x86-64-v3 (AVX2) and the baseline, and the loader picks the best the machine has (an ifunc). The
// result is the same on every level.
//
// Version 1 of the signatures is a 64-bit multiply-add-minimum over the hash functions, which only
// AVX-512 does eight lanes at a time (vpmullq, three µops on current cores; AVX2 has no 64-bit
// multiply at all). Version 2 is the same over 32-bit lanes: sixteen per AVX-512 register and eight
// per AVX2 one, with a single vpmulld each, so a shingle costs about a third of the instructions.
#include "minhash_kernel.h"

#if defined(__x86_64__) && defined(__ELF__)
#define WINNOW_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define WINNOW_CLONES
#endif

// Lanes are taken BLOCK at a time, and each block goes over all the shingles with its minimums,
// multipliers and increments held in local arrays of a fixed size, which the compiler keeps in vector
// registers (four of AVX-512's, eight of AVX2's): a shingle then costs a broadcast and one
// multiply-add-minimum per register, with no load or store of the minimums. The shingles are read
// once per block, from the L1 cache for any document of ordinary length.
#define BLOCK 32

WINNOW_CLONES
void winnow_minhash_update(const uint64_t *restrict shingles, size_t count, const uint64_t *restrict a,
                           const uint64_t *restrict b, uint64_t *restrict mins, size_t lanes) {
    size_t base = 0;
    for (; base + BLOCK <= lanes; base += BLOCK) {
        uint64_t block_a[BLOCK], block_b[BLOCK], block_mins[BLOCK];
        for (size_t lane = 0; lane < BLOCK; lane++) {
            block_a[lane] = a[base + lane];
            block_b[lane] = b[base + lane];
            block_mins[lane] = mins[base + lane];
        }
        for (size_t s = 0; s < count; s++) {
            const uint64_t x = shingles[s];
            for (size_t lane = 0; lane < BLOCK; lane++) {
                const uint64_t value = block_a[lane] * x + block_b[lane];
                block_mins[lane] = value < block_mins[lane] ? value : block_mins[lane];
            }
        }
        for (size_t lane = 0; lane < BLOCK; lane++) mins[base + lane] = block_mins[lane];
    }
    // The lanes past the last whole block (16 of the default 112), the plain way.
    for (size_t s = 0; s < count; s++) {
        const uint64_t x = shingles[s];
        for (size_t lane = base; lane < lanes; lane++) {
            const uint64_t value = a[lane] * x + b[lane];
            mins[lane] = value < mins[lane] ? value : mins[lane];
        }
    }
}

// Version 2: 32-bit lanes, taken 64 at a time (four AVX-512 registers, eight AVX2 ones), then 16 at a
// time (112 = 64 + 3 · 16), then one at a time. `width` is a constant in each call, so every loop over
// the lanes has a fixed length the compiler unrolls into whole registers.
static inline __attribute__((always_inline)) void minhash32_block(const uint64_t *restrict shingles, size_t count,
                                                                  const uint32_t *restrict a,
                                                                  const uint32_t *restrict b,
                                                                  uint32_t *restrict mins, const size_t width) {
    uint32_t block_a[64], block_b[64], block_mins[64];
    for (size_t lane = 0; lane < width; lane++) {
        block_a[lane] = a[lane];
        block_b[lane] = b[lane];
        block_mins[lane] = mins[lane];
    }
    // Vectorized across the lanes only: across the shingles (which a block of 16 otherwise gets) it
    // needs a transposition per step.
#pragma clang loop vectorize(disable) interleave(disable)
    for (size_t s = 0; s < count; s++) {
        // The shingle hash's upper half: its lower bits come from a multiply and are the weaker ones.
        const uint32_t x = (uint32_t)(shingles[s] >> 32);
        for (size_t lane = 0; lane < width; lane++) {
            const uint32_t value = block_a[lane] * x + block_b[lane];
            block_mins[lane] = value < block_mins[lane] ? value : block_mins[lane];
        }
    }
    for (size_t lane = 0; lane < width; lane++) mins[lane] = block_mins[lane];
}

WINNOW_CLONES
void winnow_minhash32_update(const uint64_t *restrict shingles, size_t count, const uint32_t *restrict a,
                             const uint32_t *restrict b, uint32_t *restrict mins, size_t lanes) {
    size_t base = 0;
    for (; base + 64 <= lanes; base += 64) minhash32_block(shingles, count, a + base, b + base, mins + base, 64);
    for (; base + 16 <= lanes; base += 16) minhash32_block(shingles, count, a + base, b + base, mins + base, 16);
    for (; base < lanes; base++) minhash32_block(shingles, count, a + base, b + base, mins + base, 1);
}

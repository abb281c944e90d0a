// The MinHash inner loop in C, for one reason: Swift cannot compile a function for several CPU
// levels and pick one at run time, and the loop is a 64-bit multiply-add-minimum over the hash
// functions, which only AVX-512 (vpmullq, vpminuq) does eight lanes at a time. `target_clones`
// builds it for x86-64-v4 (AVX-512), x86-64-v3 (AVX2) and the baseline, and the loader picks the
// best the machine has (an ifunc). The result is the same on every level.
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

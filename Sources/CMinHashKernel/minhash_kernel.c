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

WINNOW_CLONES
void winnow_minhash_update(const uint64_t *restrict shingles, size_t count, const uint64_t *restrict a,
                           const uint64_t *restrict b, uint64_t *restrict mins, size_t lanes) {
    for (size_t s = 0; s < count; s++) {
        const uint64_t x = shingles[s];
        for (size_t lane = 0; lane < lanes; lane++) {
            const uint64_t value = a[lane] * x + b[lane];
            mins[lane] = value < mins[lane] ? value : mins[lane];
        }
    }
}

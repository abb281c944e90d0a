#ifndef WINNOW_MINHASH_KERNEL_H
#define WINNOW_MINHASH_KERNEL_H

#include <stddef.h>
#include <stdint.h>

/// For each of `lanes` hash functions h_i(x) = a_i·x + b_i (mod 2^64), lowers mins[i] to the
/// smallest h_i over the `count` shingle hashes. `mins` holds the running minimums on entry.
void winnow_minhash_update(const uint64_t *shingles, size_t count, const uint64_t *a, const uint64_t *b,
                           uint64_t *mins, size_t lanes);

#endif

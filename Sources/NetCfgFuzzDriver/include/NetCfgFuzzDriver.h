#ifndef NETCFG_FUZZ_DRIVER_H
#define NETCFG_FUZZ_DRIVER_H

#include <stddef.h>
#include <stdint.h>

// libFuzzer's entry for a program with its own main (compiler-rt FuzzerInterface.h). SwiftPM
// renames an executable's main on Linux, so libFuzzer's main cannot be used; netcfg-fuzz's
// main calls this instead. Only the libFuzzer build (-sanitize=fuzzer) references it.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif

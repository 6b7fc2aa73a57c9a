// Only the declaration in include/NetCfgFuzzDriver.h matters; libFuzzer defines the function.
#include "NetCfgFuzzDriver.h"
